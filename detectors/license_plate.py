"""NO_LICENSE_PLATE: two letters and 4-5 digits ("EL 12345", "AB12345"); needs context, as
the same shape is common in product and case codes."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

from detectors.nlp import REGEX_FLAGS


class NoLicensePlateRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("plate XX NNNNN", r"(?<![\w-])[A-HJ-NPR-Z]{2} ?[1-9]\d{4}(?![\w-])", 0.4),
        Pattern("plate XX NNNN", r"(?<![\w-])[A-HJ-NPR-Z]{2} ?[1-9]\d{3}(?![\w-])", 0.3),
    ]
    CONTEXT = [
        "bil",
        "bilen",
        "regnr",
        "reg.nr",
        "registreringsnummer",
        "kjennemerke",
        "skilt",
        "skiltnummer",
        "kjøretøy",
        "vogn",
        "parkert",
        "parkering",
        "reg",
        "registrert",
        "el-bil",
        "elbil",
        "tesla",
        "varebil",
    ]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="NO_LICENSE_PLATE",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )
