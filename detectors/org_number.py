"""NO_ORG_NUMBER: organisasjonsnummer, 9 digits starting with 8 or 9 (mod 11)."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer
from stdnum.no import orgnr

from detectors.nlp import REGEX_FLAGS


class NoOrgNumberRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("orgnr NNN NNN NNN", r"(?<![\d.])[89]\d{2} \d{3} \d{3}(?![\d]|\.\d|\s\d)", 0.55),
        Pattern("orgnr with MVA", r"(?<![\w.])(?:NO\s?)?[89]\d{8}\s?MVA\b", 0.9),
        Pattern("orgnr (9 digits)", r"(?<![\d.,/-])[89]\d{8}(?![\d/-]|[.,]\d|\s\d)", 0.35),
    ]
    CONTEXT = [
        "orgnr",
        "org.nr",
        "org nr",
        "organisasjonsnummer",
        "organisasjonsnr",
        "foretaksregisteret",
        "mva",
        "orgnummer",
        "brreg",
        "enhetsregisteret",
        "as",
    ]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="NO_ORG_NUMBER",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(c for c in pattern_text if c.isdigit())
        return None if orgnr.is_valid(digits) else False
