"""PERSON: people's names without an NER model, from shipped name lists, cues and context.

Evidence, strongest first:
- a cue right before capitalised words ("Navn:", "Kontaktperson:", "Kunden", "Hei",
  "Hilsen" on the line before, a From: header): a name even when no list knows it;
- a known first name (double names such as Anne-Marit or Jan Erik included) followed by a
  known surname, or by an unknown capitalised word (weaker);
- a known first name alone (weak: Presidio's context words decide).
Names that are also everyday words (Per, Liv, Berg, Strand) count only after a cue.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A cue ends right before the name: "Navn: ", "Kunden ", "Hilsen\n", "From: \"".
_CUE = re.compile(
    r"(?:\b(?:navn|fullt navn|kontaktperson|kunden|kunde|saksbehandler|saksbehandlar|"
    r"hilsen|helsing|mvh|hei|hallo|heisann|kjære|signert|søkeren|søker|ansatt|pasient|"
    r"jeg heter|eg heiter|mitt navn er|v/|ved)"
    r"|^(?:from|fra|to|til|cc))[ \t]*[:,]?[ \t]*[\"']?\n?[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
# Lowercase chat: "hei kari", "det er ola": a known first name right after these words.
_LOWER_CUES = frozenset({"hei", "hallo", "heisann", "hilsen", "mvh", "er", "heter"})
# Capitalised at the start of a sentence, never a name.
_NOT_NAMES = frozenset(
    [
        "jeg",
        "vi",
        "du",
        "dere",
        "det",
        "den",
        "dette",
        "de",
        "takk",
        "hva",
        "hvordan",
        "hvorfor",
        "kan",
        "vil",
        "har",
        "og",
        "ok",
        "alle",
        "god",
        "med",
        "vennlig",
        "hilsen",
        "mvh",
        "hei",
        "hallo",
        "kunden",
        "kunde",
        "saken",
        "sak",
        "gjelder",
        "ang",
        "angående",
        "faktura",
        "ordre",
        "i",
        "på",
        "til",
        "fra",
        "for",
        "re",
        "sv",
        "fw",
    ]
)
_STREET_WORDS = frozenset({"gate", "gata", "vei", "veien", "veg", "vegen", "plass", "allé"})


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


class NoPersonRecognizer(EntityRecognizer):
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
        "ansatt",
        "søker",
        "fornavn",
        "etternavn",
        "signert",
        "kontakt",
        "søkeren",
        "pasient",
        "leder",
        "medarbeider",
        "kollega",
        "helsing",
    ]
    CUED_KNOWN, CUED, FULL, FIRST_AND_WORD, FIRST_ONLY, LOWER = 0.9, 0.75, 0.85, 0.6, 0.45, 0.6

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entities=["PERSON"],
            supported_language=supported_language,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
        )

    def load(self) -> None:
        name_lists()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        first, last, ambiguous = name_lists()
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        cue_ends = {m.end() for m in _CUE.finditer(text)}  # where a cued name would start
        results: list[RecognizerResult] = []
        i = 0
        while i < len(words):
            start, _, word = words[i]
            key = word.casefold()
            if not word[0].isupper():
                prev = words[i - 1][2].casefold() if i else ""
                if key in first and key not in ambiguous and prev in _LOWER_CUES:
                    results.append(self._result(start, words[i][1], self.LOWER))
                i += 1
                continue
            if key in _NOT_NAMES:
                i += 1
                continue
            cued = start in cue_ends
            j = self._extent(text, words, i, cued, first, last)
            if j == i:
                i += 1
                continue
            if (
                j < len(words)
                and words[j][2].casefold() in _STREET_WORDS
                and _joined(text, words[j - 1], words[j])
            ):
                i = j + 1  # "Karl Johans gate": a street named after a person
                continue
            score = self._score([w[2].casefold() for w in words[i:j]], cued, first, last, ambiguous)
            if score:
                results.append(self._result(start, words[j - 1][1], score))
            i = j
        return results

    @staticmethod
    def _extent(text, words, i, cued, first, last) -> int:
        """End (exclusive word index) of the name starting at word i; i if none."""
        if not cued and not _is_known(words[i][2].casefold(), first):
            return i
        j = i + 1
        while (
            j < len(words)
            and j - i < 4
            and _joined(text, words[j - 1], words[j])
            and words[j][2][0].isupper()
            and words[j][2].casefold() not in _NOT_NAMES
        ):
            j += 1
        return j

    def _score(self, run: list[str], cued: bool, first, last, ambiguous) -> float:
        known_first = _is_known(run[0], first)
        known_last = len(run) > 1 and _is_known(run[-1], last)
        if cued:
            return self.CUED_KNOWN if known_first or known_last else self.CUED
        if len(run) == 1:
            return 0.0 if run[0] in ambiguous else self.FIRST_ONLY
        if known_last and all(_is_known(w, first) or _is_known(w, last) for w in run[1:]):
            return self.FULL
        return self.FIRST_AND_WORD

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


def _is_known(key: str, names: frozenset[str]) -> bool:
    return key in names or ("-" in key and all(p in names for p in key.split("-")))


def _joined(text: str, a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Two words of one name: separated by one blank, not by a line or punctuation."""
    return text[a[1] : b[0]] in {" ", "\u00a0"}
