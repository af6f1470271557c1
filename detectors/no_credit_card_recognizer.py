"""CREDIT_CARD: payment cards in the common groupings, Luhn and a known issuer range.

Presidio's card pattern misses the Mastercard 2-series (2221–2720) and Mir, so the card
numbers are found here: 4-4-4-4(-3) groups, Amex and Diners 4-6-5 / 4-6-4, and 13–19 digits
unspaced, each checked with Luhn and against the issuer ranges and their lengths. A valid
card scores the maximum, above any phone number read out of its last groups.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, RecognizerResult

from .checksums import luhn_ok
from .cues import DOCUMENTS, END, START, apply
from .no_pattern_recognizer import NoPatternRecognizer

# (first digits from, to, lengths), by issuer.
_RANGES: tuple[tuple[int, int, range | tuple[int, ...]], ...] = (
    (4, 4, range(13, 20)),  # Visa (13, 16 and 19; other lengths are seen in test data)
    (51, 55, (16,)),  # Mastercard
    (2221, 2720, (16,)),  # Mastercard 2-series
    (2200, 2204, range(16, 20)),  # Mir
    (34, 34, (15,)),  # American Express
    (37, 37, (15,)),
    (300, 305, range(14, 20)),  # Diners Club
    (36, 36, range(14, 20)),
    (38, 39, range(14, 20)),
    (3528, 3589, range(16, 20)),  # JCB
    (50, 50, range(13, 20)),  # Maestro
    (56, 59, range(13, 20)),
    (60, 69, range(13, 20)),  # Discover, UnionPay, Maestro, RuPay, Troy …
    (1, 1, (15,)),  # UATP
)


def is_valid(number: str) -> bool:
    digits = "".join(c for c in number if c.isdigit())
    if not 13 <= len(digits) <= 19:
        return False
    known = any(
        low <= int(digits[: len(str(low))]) <= high and len(digits) in lengths
        for low, high, lengths in _RANGES
    )
    return known and luhn_ok(digits)


class NoCreditCardRecognizer(NoPatternRecognizer):
    ENTITY = "CREDIT_CARD"
    PATTERNS = [
        Pattern(
            "card 4-4-4-4",
            START + r"[1-6]\d{3}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{3})?" + END,
            0.3,
        ),
        Pattern("card 4-6-5", START + r"3\d{3}([ -])\d{6}\1\d{4,5}" + END, 0.3),
        Pattern("card (unspaced)", START + r"[1-6]\d{12,18}" + END, 0.3),
    ]
    NEEDS = {"card 4-4-4-4": " -", "card 4-6-5": " -"}
    CORES = {
        "card 4-4-4-4": r"[1-6]\d{3}[ -]\d{4}[ -]\d{4}[ -]\d",
        "card 4-6-5": r"3\d{3}[ -]\d{6}[ -]\d{4}",
        "card (unspaced)": r"[1-6]\d{12}",
    }
    # What every match starts with: the cores' digits and separators.
    SHAPES = {
        "card 4-4-4-4": r"\d{4}[ -]\d{4}[ -]\d{4}[ -]\d",
        "card 4-6-5": r"\d{4}[ -]\d{6}[ -]\d{4}",
        "card (unspaced)": r"\d{13}",
    }
    CONTEXT = [
        "kort",
        "kortet",
        "kortnummer",
        "kortnummeret",
        "kortnr",
        "betalingskort",
        "kredittkort",
        "kredittkortet",
        "bankkort",
        "bankkortet",
        "debetkort",
        "visa",
        "mastercard",
        "amex",
        "card",
        "credit",
    ]

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid(pattern_text)

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        # "KID 4000123456789017": Luhn is the check digit of many document numbers too.
        return apply(self.cues, text, results, labels=DOCUMENTS)
