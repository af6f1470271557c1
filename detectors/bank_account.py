"""NO_BANK_ACCOUNT: kontonummer, 11 digits, usually written NNNN.NN.NNNNN (mod 11)."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer
from stdnum.no import kontonr

from detectors.nlp import REGEX_FLAGS


class NoBankAccountRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("kontonummer NNNN.NN.NNNNN", r"(?<![\d.])\d{4}\.\d{2}\.\d{5}(?![\d]|\.\d)", 0.85),
        Pattern("kontonummer NNNN NN NNNNN", r"(?<![\d.])\d{4} \d{2} \d{5}(?![\d]|\.\d|\s\d)", 0.6),
        Pattern("kontonummer (11 digits)", r"(?<![\d.,/-])\d{11}(?![\d/-]|[.,]\d|\s\d)", 0.3),
    ]
    CONTEXT = [
        "kontonummer",
        "kontonr",
        "konto",
        "bankkonto",
        "kto",
        "innbetaling",
        "utbetaling",
        "overfør",
        "refusjon",
        "bank",
    ]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="NO_BANK_ACCOUNT",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        # Valid keeps the form's score: an unformatted 11-digit number needs context.
        return None if kontonr.is_valid(pattern_text.replace(" ", "")) else False
