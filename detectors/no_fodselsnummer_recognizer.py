"""NO_FODSELSNUMMER: fødselsnummer, D-nummer, H-nummer, Tenor test numbers, 2032 rules.

python-stdnum's `no.fodselsnummer` knows neither the control-digit rules for numbers issued
from 2032 nor the synthetic Tenor numbers (month + 80), so the check is written out here:

- date: day (D-nummer: + 40) and month (H-nummer: + 40, Tenor: + 80) must form a real date;
- K1: (Σ w1·d1..9 + K1) mod 11 ∈ {0, 1, 2, 3} (from 2032; numbers before give 0);
- K2: 11 − (Σ w2·d1..10 mod 11), with 11 → 0 and 10 invalid, over the K1 present.
"""

from __future__ import annotations

import calendar

from presidio_analyzer import Pattern, RecognizerResult

from .checksums import fnr_control_ok
from .cues import DOCUMENTS, END, NO_PREVIOUS_GROUP, START, apply
from .no_pattern_recognizer import NoPatternRecognizer


def _plausible_date(day: int, month: int, year2: int) -> bool:
    if day > 40:
        day -= 40  # D-nummer
    if month > 80:
        month -= 80  # Tenor synthetic
    elif month > 40:
        month -= 40  # H-nummer
    if not 1 <= month <= 12:
        return False
    # The century follows from the individual number; 29 February is allowed if either
    # candidate century has it.
    leap = calendar.isleap(1900 + year2) or calendar.isleap(2000 + year2)
    days = 29 if month == 2 and leap else calendar.monthrange(2001, month)[1]
    return 1 <= day <= days


def is_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 11 or len([c for c in number if not c.isdigit() and c not in " -"]):
        return False
    if not _plausible_date(
        digits[0] * 10 + digits[1], digits[2] * 10 + digits[3], digits[4] * 10 + digits[5]
    ):
        return False
    return fnr_control_ok("".join(map(str, digits)))


class NoFodselsnummerRecognizer(NoPatternRecognizer):
    ENTITY = "NO_FODSELSNUMMER"
    PATTERNS = [
        Pattern("fnr (11 digits)", START + r"\d{11}" + END, 0.55),
        Pattern("fnr (DDMMYY NNNNN)", START + NO_PREVIOUS_GROUP + r"\d{6} \d{5}" + END, 0.65),
        # "DDMMYY-NNNNN": the date, then the personal number (a dashed 6-5 is no date)
        Pattern("fnr (DDMMYY-NNNNN)", START + r"\d{6}-\d{5}" + END, 0.65),
    ]
    NEEDS = {"fnr (DDMMYY NNNNN)": " ", "fnr (DDMMYY-NNNNN)": "-"}
    # What every match starts with (the pattern's digits, its edges left out).
    SHAPES = {
        "fnr (11 digits)": r"\d{11}",
        "fnr (DDMMYY NNNNN)": r"\d{6} \d{5}",
        "fnr (DDMMYY-NNNNN)": r"\d{6}-\d{5}",
    }
    CONTEXT = [
        "fødselsnummer",
        "fødselsnummeret",
        "fødselsnr",
        "fnr",
        "f.nr",
        "personnummer",
        "personnummeret",
        "personnr",
        "pnr",
        "d-nummer",
        "d-nummeret",
        "dnummer",
        "d-nr",
        "dnr",
        "h-nummer",
        "født",
        "personid",
        "identitetsnummer",
        "ssn",
        "national",
        "nationalid",
        "fødselsnr",
        "personid",
        "person-id",
    ]

    def validate_result(self, pattern_text: str) -> bool | None:
        # Valid keeps the form's score, so that context can settle an 11-digit number that
        # is also a valid account number ("kontonummer 22476380182").
        return None if is_valid(pattern_text) else False

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        # "Ordrenummer 58850963345": a document's number, whatever its digits.
        return apply(self.cues, text, results, labels=DOCUMENTS)
