"""EMAIL_ADDRESS, validated offline against the public suffix list that tldextract ships.

tldextract fetches a fresh suffix list over the network by default; Glemsel runs offline, so
the bundled snapshot is used and no request is ever attempted.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import tldextract
from presidio_analyzer import Pattern, PatternRecognizer

from .nlp import REGEX_FLAGS


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


class NoEmailRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern(
            "e-mail",
            r"(?<![\w.+-])[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[A-Za-z]{2,24}(?![\w@-])",
            0.5,
        )
    ]
    CONTEXT = ["e-post", "epost", "mail", "e-mail", "email", "adresse", "mailto"]

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entity="EMAIL_ADDRESS",
            patterns=self.PATTERNS,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
            supported_language=supported_language,
            global_regex_flags=REGEX_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        local, _, domain = pattern_text.rpartition("@")
        if not local or local.startswith(".") or local.endswith(".") or ".." in pattern_text:
            return False
        return bool(_extractor()(domain.rstrip(".")).suffix)
