"""IP_ADDRESS: IPv4 and IPv6, validated by the `ipaddress` module; version strings are not."""

from __future__ import annotations

import ipaddress
from typing import Any

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from .nlp import REGEX_FLAGS


class NoIpAddressRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("IPv4", r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)", 0.6),
        Pattern("IPv6", r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", 0.6),
    ]
    CONTEXT = ["ip", "ip-adresse", "ipv4", "ipv6", "adresse", "server", "innlogging", "logget"]
    # Dotted numbers after these words are versions or dates, not addresses: whole words
    # ("server 10.0.0.1" is an address, "ver 10.0.0.1" a version).
    NOT_AFTER = regex.compile(
        r"(?<![\w-])(?:versjon|versjonen|version|ver|v|build|release|oppdatert til|"
        r"oppgradert til)[ \t.:]*$",
        regex.IGNORECASE,
    )

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="IP_ADDRESS",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        try:
            ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        return True

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r for r in results if not self.NOT_AFTER.search(text[max(r.start - 20, 0) : r.start])
        ]
