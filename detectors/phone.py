"""PHONE_NUMBER: Norwegian numbers (8 digits, +47 / 0047 / (+47), 2-2-2-2 and 3-2-3 groups)
and international numbers, validated with phonenumbers.

Almost every 8-digit number is a valid Norwegian number, so the written form carries the
evidence: a country prefix or phone-style grouping scores high, a bare 8-digit number only
reaches the threshold with a context word (tlf, mobil, ring …).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import phonenumbers
from presidio_analyzer import Pattern, PatternRecognizer

from detectors.nlp import REGEX_FLAGS

_PREFIX = r"(?:\+47|0047|\(\+47\)|\+\s47)"
_GROUPED = r"(?:\d{2} \d{2} \d{2} \d{2}|\d{3} \d{2} \d{3}|\d{2}\.\d{2}\.\d{2}\.\d{2}|\d{4} \d{4})"
_EDGE_L = r"(?<![\w+.,/-])"
_EDGE_R = r"(?![\w/-]|[.,]\d|\s\d)"


@lru_cache(maxsize=65_536)
def _is_valid(text: str) -> bool:
    try:
        number = phonenumbers.parse(text.replace("(", "").replace(")", ""), "NO")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


class NoPhoneRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern(
            "+47 number", _EDGE_L + _PREFIX + r"\s?(?:" + _GROUPED + r"|\d{8})" + _EDGE_R, 0.85
        ),
        Pattern("grouped number", _EDGE_L + _GROUPED + _EDGE_R, 0.55),
        Pattern("8 digits", _EDGE_L + r"[2-9]\d{7}" + _EDGE_R, 0.3),
        Pattern(
            "international",
            _EDGE_L
            + r"(?:\+|00)(?!47)[1-9]\d{0,2}[ -]?\(?\d{1,4}\)?(?:[ -]?\d{2,4}){2,4}"
            + _EDGE_R,
            0.6,
        ),
    ]
    CONTEXT = [
        "telefon",
        "tlf",
        "telefonnummer",
        "telefonnummeret",
        "telefonnr",
        "mobil",
        "mobilen",
        "mobilnummer",
        "mobilnummeret",
        "mobilnr",
        "mob",
        "ring",
        "ringe",
        "ringte",
        "ringes",
        "nummer",
        "nummeret",
        "nr",
        "sms",
        "kontakt",
        "tel",
        "telefax",
        "phone",
        "mobile",
        "whatsapp",
        "nås",
        "treffes",
    ]
    # A number right after these is a document number, not a phone.
    NOT_AFTER = re.compile(
        r"(?:faktura|ordre|kid|sak|saks|ref|referanse|kunde|bestilling|sporing|pakke|"
        r"tracking|ticket|avtale|konto|kontonummer|kontonr|org|polise|lisens)\w*[\s.:#-]*$",
        re.IGNORECASE,
    )

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="PHONE_NUMBER",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        # Valid keeps the written form's score: validation alone says little here.
        return None if _is_valid(pattern_text) else False

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r for r in results if not self.NOT_AFTER.search(text[max(r.start - 25, 0) : r.start])
        ]
