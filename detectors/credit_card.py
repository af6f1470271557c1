"""CREDIT_CARD: Presidio's card recognizer (patterns and Luhn) with Norwegian context."""

from __future__ import annotations

from typing import Any

from presidio_analyzer.predefined_recognizers import CreditCardRecognizer as _Presidio


class NoCreditCardRecognizer(_Presidio):
    CONTEXT = [
        "kort",
        "kortnummer",
        "betalingskort",
        "kredittkort",
        "bankkort",
        "visa",
        "mastercard",
        "amex",
        "card",
        "debetkort",
    ]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
        )
