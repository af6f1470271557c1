"""PERSON: people's names without an NER model, from shipped name lists and context.

A capitalised run of words is a name when it starts with a known first name (double names
such as Anne-Marit or Jan Erik included), scored by what follows: a known surname is strong
evidence, an unknown capitalised word weaker, nothing at all weak (a greeting or "Navn:"
before it lifts the score through Presidio's context words). Names that are also everyday
words (Per, Liv, Berg, Strand) are not evidence on their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Lowercase chat: "hei kari", "det er ola" — only right after these words.
_LOWER_CUES = frozenset({"hei", "hallo", "heisann", "hilsen", "mvh", "er", "med", "fra", "til"})


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    def load(name: str) -> frozenset[str]:
        text = files("detectors.data").joinpath(name).read_text(encoding="utf-8")
        return frozenset(
            line.strip().casefold()
            for line in text.splitlines()
            if line.strip() and not line.startswith("#")
        )

    return load("first_names.txt"), load("last_names.txt"), load("ambiguous_names.txt")


class PersonRecognizer(EntityRecognizer):
    CONTEXT = [
        "hei",
        "hallo",
        "heisann",
        "hilsen",
        "mvh",
        "navn",
        "kontaktperson",
        "kunde",
        "kunden",
        "saksbehandler",
        "snakket",
        "ringte",
        "kjære",
        "daglig leder",
        "ansatt",
        "søker",
        "fornavn",
        "etternavn",
        "signert",
        "fra",
        "til",
        "v",
        "ved",
        "med",
        "kontakt",
        "kunden",
        "søkeren",
        "pasient",
        "leder",
        "medarbeider",
        "kollega",
        "hilsener",
    ]
    FULL, FIRST_AND_WORD, FIRST_ONLY, AMBIGUOUS, LOWER = 0.85, 0.65, 0.45, 0.15, 0.6

    def __init__(self, supported_language: str = "no") -> None:
        super().__init__(
            supported_entities=["PERSON"],
            supported_language=supported_language,
            name="NoPersonRecognizer",
            context=self.CONTEXT,
        )

    def load(self) -> None:
        name_lists()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        first, last, ambiguous = name_lists()
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        results: list[RecognizerResult] = []
        i = 0
        while i < len(words):
            start, end, word = words[i]
            key = word.casefold()
            if not word[0].isupper():
                prev = words[i - 1][2].casefold() if i else ""
                if key in first and key not in ambiguous and prev in _LOWER_CUES:
                    results.append(self._result(start, end, self.LOWER))
                i += 1
                continue
            if not _is_first(key, first):
                i += 1
                continue
            j = i + 1  # middle names: "Jan Erik", "Anne Marit"
            while (
                j < len(words)
                and _joined(text, words[j - 1], words[j])
                and words[j][2][0].isupper()
                and _is_first(words[j][2].casefold(), first)
                and words[j][2].casefold() not in last
            ):
                j += 1
            surname = 0
            while (
                j < len(words)
                and surname < 2
                and _joined(text, words[j - 1], words[j])
                and words[j][2][0].isupper()
            ):
                j, surname = j + 1, surname + 1
                if words[j - 1][2].casefold() not in last and surname == 1:
                    break  # one unknown capitalised word may be a surname; not two
            span_end = words[j - 1][1]
            run = [w[2].casefold() for w in words[i:j]]
            if surname and all(_known_surname(w, last) for w in run[j - i - surname :]):
                score = self.FULL
            elif surname:
                score = self.FIRST_AND_WORD
            elif len(run) == 1 and run[0] in ambiguous:
                score = self.AMBIGUOUS
            else:
                score = self.FIRST_ONLY
            results.append(self._result(start, span_end, score))
            i = j
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            analysis_explanation=AnalysisExplanation(self.name, score),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _is_first(key: str, first: frozenset[str]) -> bool:
    return key in first or ("-" in key and all(p in first for p in key.split("-")))


def _known_surname(key: str, last: frozenset[str]) -> bool:
    return key in last or ("-" in key and all(p in last for p in key.split("-")))


def _joined(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two words of one name: separated by one blank, not by a line or punctuation."""
    return text[a[1] : b[0]] in {" ", "\u00a0"}
