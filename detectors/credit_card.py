"""CREDIT_CARD: Presidio's card recognizer (patterns and Luhn) with Norwegian context."""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import CreditCardRecognizer as _Presidio


class CreditCardRecognizer(_Presidio):
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

    def __init__(self, supported_language: str = "no") -> None:
        super().__init__(
            context=self.CONTEXT,
            supported_language=supported_language,
            name="NoCreditCardRecognizer",
        )
