"""IBAN_CODE: Norwegian and foreign IBANs, with and without spaces (mod 97)."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer
from stdnum import iban

from detectors.nlp import REGEX_FLAGS


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

    def validate_result(self, pattern_text: str) -> bool:
        return iban.is_valid(pattern_text)
