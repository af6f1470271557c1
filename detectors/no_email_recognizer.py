"""EMAIL_ADDRESS, validated offline against the public suffix list that tldextract ships.

tldextract fetches a fresh suffix list over the network by default; Glemsel runs offline, so
the bundled snapshot is used and no request is ever attempted.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tldextract
from presidio_analyzer import Pattern, RecognizerResult

from .no_pattern_recognizer import NoPatternRecognizer

# Characters that no e-mail address holds.
_BLANKS = (" ", "\n", "\t", "\r", "<", ">", "(", ")", ",", ";", ":", '"', "[", "]")


# A key before the address in a log line or a query string: "user=kari@firma.no",
# "mail=…", "/x?ref=abc&email=…". "=" and "&" are characters of a local part (RFC 5322), so
# the pattern takes the key in; the address is what follows the last key. Not when "=" or
# "&" stay in the rest: forwarding addresses ("SRS0=HHH=TT=firma.no=kari@…") and VERP
# ("bounces+kari=firma.no@…", whose "+" no key holds) are addresses whole.
_KEY_PREFIX = re.compile(
    r"(?:[^=&@\s]*[?&])?"  # a URL's path and "?" ("/login?user=…")
    r"(?:[A-Za-z_][\w.-]*=[^=&@\s]*&)*[A-Za-z_][\w.-]*=(?=[^=&@?/]+@)"
)


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


@lru_cache(maxsize=16_384)
def _has_suffix(domain: str) -> bool:
    """The domain ends in a public suffix (a few domains recur: looked up once each)."""
    return bool(_extractor()(domain).suffix)


class NoEmailRecognizer(NoPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern(
            "e-mail",
            r"(?<![\w.+-])[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[A-Za-z]{2,24}(?![\w@-])",
            0.5,
        ),
        # URL-encoded, in a link or a web server's log: "/min-side?kunde=kari%40firma.no"
        Pattern(
            "e-mail (URL-encoded)",
            r"(?<![\w.+%-])[\w.+-]+%40(?:[\w-]+\.)+[A-Za-z]{2,24}(?![\w%@-])",
            0.5,
        ),
    ]
    NEEDS = {"e-mail (URL-encoded)": "%"}
    # A long mail holds addresses far apart: the pattern is tried from the blank before each
    # "@" only (finditer tries it at every character: a quarter of this pattern's time).
    SKIP_AHEAD = frozenset(["e-mail"])
    CONTEXT = ["e-post", "epost", "mail", "e-mail", "email", "adresse", "mailto"]

    def scan_start(self, text: str, name: str, core: re.Pattern[str] | None, pos: int = 0) -> int:
        # A match is an unbroken run of the local part's characters (no "@" among them), its
        # "@" and a domain: none starts before the blank before the first "@" from pos.
        if not self.own_patterns or name != "e-mail":
            return pos
        at = text.find("@", pos)
        if at < 0:
            return -1
        return max(pos, max(text.rfind(blank, pos, at) for blank in _BLANKS) + 1)

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        for r in results:
            if "=" in text[r.start : r.end] and (key := _KEY_PREFIX.match(text, r.start, r.end)):
                r.start = key.end()  # the rest is a valid address: its local part is not empty
        return super().refine(text, results)

    def validate_result(self, pattern_text: str) -> bool:
        if "@" not in pattern_text:
            pattern_text = pattern_text.replace("%40", "@")
        local, _, domain = pattern_text.rpartition("@")
        if not local or local.startswith(".") or local.endswith(".") or ".." in pattern_text:
            return False
        return _has_suffix(domain.rstrip(".").lower())
