"""IBAN_CODE: Norwegian and foreign IBANs, with and without spaces (mod 97)."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from stdnum import iban

from .nlp import REGEX_FLAGS


def valid_length(candidate: str) -> int:
    """The length of the longest valid IBAN that ``candidate`` starts with and that ends at
    the end of one of its groups, or 0. The pattern takes up to seven groups and a short
    one; a word after the IBAN ("… 6508 OK", "… VPN") may be taken for a group."""
    if iban.is_valid(candidate):
        return len(candidate)
    cut = candidate.rfind(" ")
    while cut > 4:
        if iban.is_valid(candidate[:cut]):
            return cut
        cut = candidate.rfind(" ", 0, cut)
    return 0


class NoIbanRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern(
            "IBAN", r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])", 0.5
        ),
    ]
    CONTEXT = ["iban", "konto", "kontonummer", "bank", "swift", "bic"]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="IBAN_CODE",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return None  # in analyze: the IBAN may end before the match does

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        for r in super().analyze(text, entities, nlp_artifacts, regex_flags):
            length = valid_length(text[r.start : r.end])
            if length:
                r.end = r.start + length
                r.score = EntityRecognizer.MAX_SCORE
                results.append(r)
        return results
