"""IBAN_CODE: Norwegian and foreign IBANs, with and without spaces (mod 97)."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from stdnum import iban

from .cues import apply
from .no_pattern_recognizer import NoPatternRecognizer


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


class NoIbanRecognizer(NoPatternRecognizer):
    ENTITY = "IBAN_CODE"
    PATTERNS = [
        Pattern(
            "IBAN", r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])", 0.5
        ),
    ]
    # An IBAN starts with its country code and check digits.
    CORES = {"IBAN": r"[A-Z]{2}\d{2}"}
    CONTEXT = ["iban", "konto", "kontonummer", "bank", "swift", "bic"]

    def validate_result(self, pattern_text: str) -> bool | None:
        return None  # in analyze: the IBAN may end before the match does

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        kept = []
        for r in results:
            length = valid_length(text[r.start : r.end])
            if length:
                r.end = r.start + length
                r.score = EntityRecognizer.MAX_SCORE
                kept.append(r)
        return apply(self.cues, text, kept)
