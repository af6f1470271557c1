"""NO_ADDRESS: street address, street + number (+ letter), optionally ", NNNN Poststed"."""

from __future__ import annotations

from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

from detectors.nlp import REGEX_FLAGS

_UPPER = "A-ZÆØÅÉ"
_LOWER = "a-zæøåéü"
_SUFFIX = (
    r"(?:gata|gaten|gate|gt\.|veien|vegen|vei|veg|allé|alle|alleen|plass|plassen|"
    r"torget|torg|stien|sti|bakken|brygge|bryggen|kaia|kai|ringen|svingen|lia|"
    r"haugen|tunet|jordet|løkka|hagen|vika|åsen|moen|stranda|lunden|grenda)"
)
_STREET = (
    rf"(?:[{_UPPER}][{_LOWER}]+(?:[ -][{_UPPER}][{_LOWER}]+)*{_SUFFIX}"  # Storgata
    rf"|(?:[{_UPPER}][{_LOWER}]+ ){{1,3}}(?:gate|vei|veg|plass|allé|terrasse))"
)  # Karl Johans gate
_NUMBER = r" \d{1,4} ?[A-Za-z]?(?![\w])"
_POST = rf"(?:,? \d{{4}} [{_UPPER}][{_LOWER}]+(?: [{_UPPER}][{_LOWER}]+)?)"


class NoAddressRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("street, postnummer", rf"\b{_STREET}{_NUMBER}{_POST}", 0.85),
        Pattern("street number", rf"\b{_STREET}{_NUMBER}", 0.65),
    ]
    CONTEXT = [
        "adresse",
        "gateadresse",
        "bor",
        "bur",
        "bosted",
        "levering",
        "leveres",
        "postadresse",
        "besøksadresse",
        "adr",
    ]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="NO_ADDRESS",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )
