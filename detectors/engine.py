"""The Norwegian analyzer: a Presidio AnalyzerEngine with Glemsel's recognizers only."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import (
    ContextAwareEnhancer,
    LemmaContextAwareEnhancer,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from .nlp import (
    BOUNDARY,
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    CONTEXT_BOOST,
    CONTEXT_FLOOR,
    LANGUAGE,
    LazyArtifacts,
    LightNlpEngine,
)
from .no_address_recognizer import PREFILTER as _ADDRESS_PREFILTER
from .no_address_recognizer import NoAddressRecognizer
from .no_bank_account_recognizer import NoBankAccountRecognizer
from .no_credit_card_recognizer import NoCreditCardRecognizer
from .no_email_recognizer import NoEmailRecognizer
from .no_fodselsnummer_recognizer import NoFodselsnummerRecognizer
from .no_iban_recognizer import NoIbanRecognizer
from .no_ip_address_recognizer import NoIpAddressRecognizer
from .no_license_plate_recognizer import _PLATE, NoLicensePlateRecognizer
from .no_org_number_recognizer import NoOrgNumberRecognizer
from .no_pattern_recognizer import DigitScan, NoPatternRecognizer
from .no_person_recognizer import NoPersonRecognizer
from .no_phone_recognizer import NoPhoneRecognizer

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
        NoFodselsnummerRecognizer(language),
        NoPhoneRecognizer(language),
        NoEmailRecognizer(language),
        NoPersonRecognizer(language),
        NoAddressRecognizer(language),
        NoBankAccountRecognizer(language),
        NoIbanRecognizer(language),
        NoOrgNumberRecognizer(language),
        NoIpAddressRecognizer(language),
        NoLicensePlateRecognizer(language),
        NoCreditCardRecognizer(language),
    ]


def norwegian_registry(language: str = LANGUAGE) -> RecognizerRegistry:
    registry = RecognizerRegistry(supported_languages=[language])
    for recognizer in norwegian_recognizers(language):
        registry.add_recognizer(recognizer)
    return registry


class SentenceContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer, with the window cut at sentence boundaries."""

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        # Presidio's version deep-copies the results first, a fifth of the time spent on a
        # short text; they are this call's own objects, so they are updated in place. A
        # result at the maximum score cannot gain and is skipped.
        by_id = {r.id: r for r in recognizers}
        extra = [word.lower() for word in context or []]
        for result in raw_results:
            meta = result.recognition_metadata or {}
            recognizer = by_id.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            if (
                recognizer is None
                or not recognizer.context
                or result.score >= MAX_SCORE
                or meta.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY)
            ):
                continue
            words = self._extract_surrounding_words(
                nlp_artifacts=nlp_artifacts,
                word=text[result.start : result.end],
                start=result.start,
            )
            word = self._find_supportive_word_in_context(
                words + extra, recognizer.context, self.context_matching_mode
            )
            if word:
                result.score = min(
                    max(
                        result.score + self.context_similarity_factor,
                        self.min_score_with_context_similarity,
                    ),
                    MAX_SCORE,
                )
                result.analysis_explanation.set_supportive_context_word(word)
                result.analysis_explanation.set_improved_score(result.score)
        return raw_results

    def _extract_surrounding_words(
        self, nlp_artifacts: NlpArtifacts, word: str, start: int
    ) -> list[str]:
        # Presidio's version finds the match's token by a linear scan and turns the text's
        # keywords into a set for every result: quadratic in a long text. Same words here,
        # by bisection over token ends and one keyword set per text.
        if not isinstance(nlp_artifacts, LazyArtifacts):
            return super()._extract_surrounding_words(nlp_artifacts, word, start)
        if not nlp_artifacts.tokens:
            return [""]
        index = bisect_right(nlp_artifacts.token_ends, start)  # first token ending after it
        lemmas, keywords = nlp_artifacts.lemmas, nlp_artifacts.keyword_set
        words = self._add_n_words(index, self.context_prefix_count, lemmas, keywords, True)
        words += self._add_n_words(index, self.context_suffix_count, lemmas, keywords, False)
        return list(set(words))

    @staticmethod
    def _find_supportive_word_in_context(
        context_list: list[str],
        recognizer_context_list: list[str],
        matching_mode: str = "substring",
    ) -> str:
        # Whole words: one set lookup per context word instead of Presidio's pairwise scan.
        if matching_mode != "whole_word" or context_list is None or not recognizer_context_list:
            return LemmaContextAwareEnhancer._find_supportive_word_in_context(
                context_list, recognizer_context_list, matching_mode
            )
        words = {w.lower() for w in context_list}
        return next((c for c in recognizer_context_list if c.lower() in words), "")

    @staticmethod
    def _add_n_words(
        index: int,
        n_words: int,
        lemmas: list[str],
        lemmatized_filtered_keywords: list[str] | frozenset[str],
        is_backward: bool,
    ) -> list[str]:
        keywords = frozenset(lemmatized_filtered_keywords)
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
            context_similarity_factor=CONTEXT_BOOST,
            min_score_with_context_similarity=CONTEXT_FLOOR,
            context_prefix_count=CONTEXT_BEFORE,
            context_suffix_count=CONTEXT_AFTER,
            # Whole words: "nr" must not fire inside "fakturanr", nor "bor" inside "borte".
            context_matching_mode="whole_word",
        ),
    )


MAX_SCORE = ContextAwareEnhancer.MAX_SCORE

# The fast path skips a recognizer when its pre-filter finds nothing: each pre-filter is a
# necessary condition of every pattern of that recognizer (fødselsnumre need six digits in a
# row, e-mail an @ …), so skipping changes no result. PERSON always runs. The number
# recognizers then look at the text's digit groups, scanned once per text (DigitScan): a
# pattern whose shape no group holds is not tried, a recognizer with none left not called
# (NoPatternRecognizer.SHAPES). Addresses and plates: the recognizer's own first scan.
PREFILTERS: dict[str, re.Pattern[str]] = {
    "NO_FODSELSNUMMER": re.compile(r"\d{6}"),
    "NO_BANK_ACCOUNT": re.compile(r"\d{4}[ .]?\d{2}"),
    "NO_ORG_NUMBER": re.compile(r"[89]\d{2} ?\d{3}"),
    "PHONE_NUMBER": re.compile(r"\d\d[ .-]?\d\d"),
    "CREDIT_CARD": re.compile(r"[1-6]\d{3}[ -]?\d{4}"),
    "IBAN_CODE": re.compile(r"[A-Z]{2}\d{2}"),
    # IPv6: two colons with at most four hex digits between them (bounded: a long hex run
    # without colons must not be rescanned from every position)
    "IP_ADDRESS": re.compile(r"\d\.\d|:[0-9A-Fa-f]{0,4}:"),
    "EMAIL_ADDRESS": re.compile(r"@|%40"),
    # every plate is a match of _PLATE; every address starts at a house number (_NUMBER)
    # or, a farm's with none ("Solbakken, 3560 Hemsedal"), ends in a postnummer
    "NO_LICENSE_PLATE": _PLATE,
    "NO_ADDRESS": _ADDRESS_PREFILTER,
}
# Entities that hold a letter, each of their spans: a name, a street or post town, a
# plate's or an IBAN's letters, an e-mail address's top-level domain. A value without one
# (an id, an amount, a date) is not given to their recognizers; with a field label in front
# ("id: 4711") the person recognizer would otherwise read the label, a fifth of the time of
# an identity record of a CRM.
LETTERED = frozenset(("PERSON", "NO_ADDRESS", "NO_LICENSE_PLATE", "IBAN_CODE", "EMAIL_ADDRESS"))
_LETTER = re.compile(r"[^\W\d_]")
# Long texts are analysed in line-aligned chunks: Presidio's context step is quadratic in
# the number of tokens. Each chunk carries the lines before it as lead-in (context reaches
# back within a sentence, name cues one line), and only entities that start in the chunk's
# own part are kept, so results equal those of one pass.
CHUNK = 4_000
LEAD_IN = 400


# A text with something of every type (values need not be valid: their checks load too).
_WARM_UP = (
    "Hei Kari Nordmann,\nring 912 34 567 eller skriv til kari@firma.no. Fnr 01019012345, "
    "konto 1234.56.78903, org.nr 923 609 016, IBAN NO93 8601 1117 947, kort 4111 1111 1111 "
    "1111, IP 10.0.0.1, bil EL 12345, Storgata 5, 0155 Oslo.\n\nMvh\nOla"
)
_Runner = tuple[EntityRecognizer, re.Pattern[str] | None, bool, bool]


class Detector:
    def __init__(
        self,
        entities: Iterable[str] | None = None,
        score_threshold: float = 0.5,
        fast: bool = True,
    ) -> None:
        self.entities = list(entities or ENTITY_TYPES)
        self.score_threshold = score_threshold
        self.fast = fast
        self.analyzer = build_analyzer()
        self._runners: list[_Runner] = []
        self._warm = False

    def warm_up(self) -> None:
        """Loads what the recognizers load on first use (word lists, the public suffix
        list, phone metadata): a worker pays it before its first event, not in it."""
        if not self._warm:
            self._warm = True
            self.analyze(_WARM_UP)

    def analyze(self, text: str, field: str | None = None) -> list[Entity]:
        """The entities in ``text``, with offsets into it as given.

        ``field``: where the text stands, a field path ("customer.first_name", "data.mobil")
        or a column header ("Etternavn"), if known. It counts as the text's label, as if
        the text were written "<field>: <text>" ("Etternavn: Hætta" is a surname, "mobil:
        91234567" a phone)."""
        if not text or not text.strip():
            return []
        text = normalised(text)
        label = field_label(field) if field else ""
        letters = _LETTER.search(text) is not None
        if label:
            prefix = f"{label}: "
            shift = len(prefix)
            return [
                Entity(e.type, e.start - shift, e.end - shift, e.score)
                # (a label's digits are not normalised: "x٣" stays as written)
                for e in self._analyze(prefix + text, normalised(prefix) == prefix, letters)
                if e.start >= shift
            ]
        return self._analyze(text, letters=letters)

    def _analyze(self, text: str, ascii_digits: bool = True, letters: bool = True) -> list[Entity]:
        """``ascii_digits``: the text's digits are 0-9 only, as a normalised text's.
        ``letters``: the part entities are kept from holds a letter (see LETTERED)."""
        if not self.fast:
            return resolve_overlaps(self._presidio(text, self.entities))
        if len(text) > CHUNK:
            return self._chunked(text, ascii_digits)
        return resolve_overlaps(self._prefiltered(text, ascii_digits, letters))

    def _presidio(self, text: str, entities: list[str]) -> list[RecognizerResult]:
        return self.analyzer.analyze(
            text=text, language=LANGUAGE, entities=entities, score_threshold=self.score_threshold
        )

    def _prefiltered(
        self, text: str, ascii_digits: bool = True, letters: bool = True
    ) -> list[RecognizerResult]:
        """What AnalyzerEngine.analyze finds, the work that does not depend on the text
        done once per Detector (the registry's selection, the supported entities, a scan
        of all results per recognizer for recognizer-level context that none of these
        recognizers has), and per text only the recognizers that can find something:
        those whose pre-filter finds something, the number recognizers given the text's
        digit scan (see PREFILTERS)."""
        runners = self._runners or self._select()
        scan = DigitScan(text, ascii_digits)
        artifacts = self.analyzer.nlp_engine.process_text(text, LANGUAGE)  # lazy: no tokens yet
        results: list[RecognizerResult] = []
        for recognizer, prefilter, numbers, lettered in runners:
            if (prefilter is not None and prefilter.search(text) is None) or (
                lettered and not letters
            ):
                continue
            if numbers:
                results += recognizer.scanned(text, scan)  # type: ignore[attr-defined]
            else:
                results += recognizer.analyze(text, self.entities, artifacts)
        if not results:
            return results
        settled = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY
        if not all(r.recognition_metadata and r.recognition_metadata.get(settled) for r in results):
            # Presidio's context step, for results no recognizer weighed its cues for
            results = self.analyzer.context_aware_enhancer.enhance_using_context(
                text=text,
                raw_results=results,
                nlp_artifacts=artifacts,
                recognizers=[r for r, *_ in runners],
            )
        return remove_duplicates([r for r in results if r.score >= self.score_threshold])

    def _select(self) -> list[_Runner]:
        """The registry's recognizers for the entities, in its order, each with its
        pre-filter (a recognizer of several entities runs always) and whether it takes the
        digit scan (a pattern recognizer: NoPatternRecognizer.scanned), and whether all its
        entities are LETTERED."""
        recognizers = self.analyzer.registry.get_recognizers(
            language=LANGUAGE, entities=self.entities, all_fields=False
        )
        runners = []
        for recognizer in recognizers:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
            wanted = [e for e in recognizer.supported_entities if e in self.entities]
            prefilter = PREFILTERS.get(wanted[0]) if len(wanted) == 1 else None
            numbers = isinstance(recognizer, NoPatternRecognizer)
            if numbers and recognizer._any_gate:  # type: ignore[attr-defined]
                prefilter = None  # its shapes are the finer test, and cost no scan
            lettered = all(e in LETTERED for e in wanted)
            runners.append((recognizer, prefilter, numbers, lettered))
        self._runners = runners
        return runners

    def _chunked(self, text: str, ascii_digits: bool = True) -> list[Entity]:
        results: list[RecognizerResult] = []
        start = 0
        while start < len(text):
            end = len(text) if len(text) - start <= CHUNK else _line_end(text, start + CHUNK)
            lead = _line_start(text, max(0, start - LEAD_IN)) if start else 0
            for r in self._prefiltered(text[lead:end], ascii_digits):
                if r.start + lead >= start:
                    r.start, r.end = r.start + lead, r.end + lead
                    results.append(r)
            start = end
        return resolve_overlaps(results)

    def analyze_many(self, texts: Iterable[str]) -> list[list[Entity]]:
        return [self.analyze(text) for text in texts]


class _Digits(dict):
    """str.translate table, filled as characters are met: digits of any script (fullwidth
    "１", Arabic-Indic "٣", Devanagari …) become ASCII digits, and the fullwidth forms of
    ASCII (U+FF01–FF5E) and the ideographic space their ASCII; every character maps to one
    character, so offsets into the normalised text are offsets into the original."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        value = code
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            value = ord("0") + digit
        elif 0xFF01 <= code <= 0xFF5E:
            value = code - 0xFEE0  # NFKC of the fullwidth forms
        elif code == 0x3000:
            value = 0x20
        self[code] = value
        return value


_DIGITS = _Digits()
# The characters _Digits changes: digits other than 0-9 (re's \d is every decimal digit),
# the fullwidth forms and the ideographic space. Most texts have none: one scan instead of
# a translation character by character.
_CHANGED = re.compile(r"[^\D0-9]|[\uff01-\uff5e\u3000]")


def normalised(text: str) -> str:
    """The text with digits and fullwidth forms in ASCII, character for character."""
    if text.isascii():
        return text
    try:
        # No character of Latin-1 is changed (a test holds it), and a text of Latin-1 only
        # (Norwegian, most of the time) is told at memcpy speed; the scan for a changed
        # character costs tens of nanoseconds a character.
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    return text if not _CHANGED.search(text) else text.translate(_DIGITS)


_FIELD_PART = re.compile(r"[A-Za-zÆØÅæøå][\w -]*")


def field_label(field: str) -> str:
    """A field path or a header as a label: its last named part, words apart
    ("customer.first_name" → "first name", "data[0].Mobil" → "Mobil", "attachment:x.pdf"
    → "")."""
    if field.startswith("attachment:"):
        return ""
    parts = _FIELD_PART.findall(field.replace(".", " . ").replace("/", " . "))
    named = [p.strip() for p in parts if p.strip() and not p.strip().isdigit()]
    if not named:
        return ""
    last = named[-1]
    words = re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", last).replace("_", " ").replace("-", " ")
    return " ".join(words.split())[:60]


def _line_end(text: str, pos: int) -> int:
    """Just after the first newline at or after ``pos`` (or the end)."""
    found = text.find("\n", pos)
    return len(text) if found == -1 else found + 1


def _line_start(text: str, pos: int) -> int:
    """The start of the line ``pos`` is on."""
    return text.rfind("\n", 0, pos) + 1


def remove_duplicates(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """What Presidio's EntityRecognizer.remove_duplicates returns, in its order: no
    zero-score result, none that a result of its type with at least its score contains.
    Without its set of results (a hash of a formatted string each): an exact duplicate is
    contained in its twin and goes the same way."""
    if len(results) < 2:
        return [r for r in results if r.score != 0]
    ordered = sorted(results, key=lambda r: (r.entity_type, r.start, r.start - r.end, -r.score))
    kept: list[RecognizerResult] = []
    active: list[RecognizerResult] = []
    kind = None
    for r in ordered:
        if r.score == 0:
            continue
        if r.entity_type != kind:
            kind, active = r.entity_type, []
        start, end, score = r.start, r.end, r.score
        active = [f for f in active if f.end >= start]
        if any(f.start <= start and end <= f.end and score <= f.score for f in active):
            continue
        kept.append(r)
        active.append(r)
    kept.sort(key=lambda r: (-r.score, r.start, r.start - r.end))
    return kept


def resolve_overlaps(results: list[RecognizerResult]) -> list[Entity]:
    """One entity per stretch of text: highest score, then longest, then most specific."""
    ranked = sorted(
        results, key=lambda r: (-r.score, -(r.end - r.start), _PRIORITY.get(r.entity_type, 99))
    )
    # The characters of kept spans are marked: a span is kept when none of its characters
    # is. Kept spans are disjoint, so marking costs at most the text's length, and a check
    # its span's (a sorted list with insertions was quadratic in the number of entities).
    if not ranked:
        return []
    taken = bytearray(max(r.end for r in ranked) + 1)
    kept: list[RecognizerResult] = []
    for r in ranked:
        if r.end <= r.start or taken.find(1, r.start, r.end) != -1:
            continue
        taken[r.start : r.end] = b"\x01" * (r.end - r.start)
        kept.append(r)
    kept.sort(key=lambda r: r.start)
    return [Entity(r.entity_type, r.start, r.end, round(r.score, 4)) for r in kept]
