"""The Norwegian analyzer: a Presidio AnalyzerEngine with Glemsel's recognizers only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from detectors.address import AddressRecognizer
from detectors.bank_account import BankAccountRecognizer
from detectors.credit_card import CreditCardRecognizer
from detectors.email import EmailRecognizer
from detectors.fodselsnummer import FodselsnummerRecognizer
from detectors.iban import IbanRecognizer
from detectors.ip_address import IpAddressRecognizer
from detectors.license_plate import LicensePlateRecognizer
from detectors.nlp import BOUNDARY, LANGUAGE, LightNlpEngine
from detectors.org_number import OrgNumberRecognizer
from detectors.person import PersonRecognizer
from detectors.phone import PhoneRecognizer

ENTITY_TYPES: tuple[str, ...] = (
    "NO_FODSELSNUMMER",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "PERSON",
    "NO_ADDRESS",
    "NO_BANK_ACCOUNT",
    "IBAN_CODE",
    "NO_ORG_NUMBER",
    "IP_ADDRESS",
    "NO_LICENSE_PLATE",
    "CREDIT_CARD",
)

# When two types claim the same digits, the more specific wins a tie: an 11-digit number
# that is a valid fødselsnummer and a valid account number is reported once.
_PRIORITY = {
    t: i
    for i, t in enumerate(
        (
            "EMAIL_ADDRESS",
            "IBAN_CODE",
            "CREDIT_CARD",
            "NO_FODSELSNUMMER",
            "NO_BANK_ACCOUNT",
            "NO_ORG_NUMBER",
            "PHONE_NUMBER",
            "IP_ADDRESS",
            "NO_ADDRESS",
            "NO_LICENSE_PLATE",
            "PERSON",
        )
    )
}


@dataclass(frozen=True, slots=True)
class Entity:
    type: str
    start: int
    end: int
    score: float


def norwegian_recognizers(language: str = LANGUAGE) -> list[EntityRecognizer]:
    """Glemsel's recognizers, for use in any Presidio AnalyzerEngine."""
    return [
        FodselsnummerRecognizer(language),
        PhoneRecognizer(language),
        EmailRecognizer(language),
        PersonRecognizer(language),
        AddressRecognizer(language),
        BankAccountRecognizer(language),
        IbanRecognizer(language),
        OrgNumberRecognizer(language),
        IpAddressRecognizer(language),
        LicensePlateRecognizer(language),
        CreditCardRecognizer(language),
    ]


def norwegian_registry(language: str = LANGUAGE) -> RecognizerRegistry:
    registry = RecognizerRegistry(supported_languages=[language])
    for recognizer in norwegian_recognizers(language):
        registry.add_recognizer(recognizer)
    return registry


class SentenceContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer, with the window cut at sentence boundaries."""

    @staticmethod
    def _add_n_words(
        index: int,
        n_words: int,
        lemmas: list[str],
        lemmatized_filtered_keywords: list[str],
        is_backward: bool,
    ) -> list[str]:
        keywords = set(lemmatized_filtered_keywords)
        words: list[str] = []
        step = -1 if is_backward else 1
        i, remaining = index, n_words + 1  # + 1: the entity's own token, as Presidio does
        while 0 <= i < len(lemmas) and remaining > 0:
            if lemmas[i] == BOUNDARY and i != index:
                break
            if lemmas[i] in keywords:
                words.append(lemmas[i])
                remaining -= 1
            i += step
        return words


def build_analyzer(language: str = LANGUAGE) -> AnalyzerEngine:
    return AnalyzerEngine(
        registry=norwegian_registry(language),
        nlp_engine=LightNlpEngine(language),
        supported_languages=[language],
        context_aware_enhancer=SentenceContextEnhancer(
            context_similarity_factor=0.35,
            min_score_with_context_similarity=0.5,
            context_prefix_count=6,
            context_suffix_count=1,
            # Whole words: "nr" must not fire inside "fakturanr", nor "bor" inside "borte".
            context_matching_mode="whole_word",
        ),
    )


class Detector:
    def __init__(self, entities: Iterable[str] | None = None, score_threshold: float = 0.5) -> None:
        self.entities = list(entities or ENTITY_TYPES)
        self.score_threshold = score_threshold
        self.analyzer = build_analyzer()

    def analyze(self, text: str) -> list[Entity]:
        if not text or not text.strip():
            return []
        results = self.analyzer.analyze(
            text=text,
            language=LANGUAGE,
            entities=self.entities,
            score_threshold=self.score_threshold,
        )
        return resolve_overlaps(results)

    def analyze_many(self, texts: Iterable[str]) -> list[list[Entity]]:
        return [self.analyze(text) for text in texts]


def resolve_overlaps(results: list[RecognizerResult]) -> list[Entity]:
    """One entity per stretch of text: highest score, then longest, then most specific."""
    ranked = sorted(
        results, key=lambda r: (-r.score, -(r.end - r.start), _PRIORITY.get(r.entity_type, 99))
    )
    kept: list[RecognizerResult] = []
    for r in ranked:
        if all(r.end <= k.start or k.end <= r.start for k in kept):
            kept.append(r)
    return [
        Entity(r.entity_type, r.start, r.end, round(r.score, 4))
        for r in sorted(kept, key=lambda r: r.start)
    ]
