"""IP_ADDRESS: IPv4 and IPv6, validated by the `ipaddress` module; version strings are not.

A four-part version number ("4.2.0.17", "Chrome/120.0.0.0") is a valid IPv4 address as
often as not, so its place decides:
- a version word or field right before it ("version", "v", "build", "sdk", "app_version":),
  or a runtime or software word ("Node 18.18.2.0", "appen 2.3.1.0"), even after an "ip=";
- glued to a product token by a slash ("Chrome/120.0.0.0", "KundeApp/4.1.0.3", "[Portal/2.1.1.2]");
- after a version word earlier on its line ("upgraded from 4.1.0.7 to 5.0.0.1");
- in a user agent ("Mozilla/5.0 (…) …").
An "ip" word shortly before it keeps it an address ("oppdatert IP til 10.0.0.1"), so does a
network word or address field right before it ("on host 10.20.30.40", "src=10.1.2.3",
"client=…", '"deviceIp": "…"').
"""

from __future__ import annotations

import ipaddress

import regex
from presidio_analyzer import Pattern, RecognizerResult

from .cues import apply
from .no_pattern_recognizer import NoPatternRecognizer


class NoIpAddressRecognizer(NoPatternRecognizer):
    ENTITY = "IP_ADDRESS"
    PATTERNS = [
        Pattern("IPv4", r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)", 0.6),
        Pattern("IPv6", r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", 0.6),
    ]
    NEEDS = {"IPv4": ".", "IPv6": ":"}
    # An IPv6 address starts with two of its groups (hex digits, then a colon).
    CORES = {"IPv6": r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:"}
    # An IPv4 address starts with its four dotted numbers.
    SHAPES = {"IPv4": r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d"}
    CONTEXT = ["ip", "ip-adresse", "ipv4", "ipv6", "adresse", "server", "innlogging", "logget"]
    # Dotted numbers after these words are versions or dates, not addresses: whole words
    # ("server 10.0.0.1" is an address, "ver 10.0.0.1" a version). This one and NET_WORD
    # end at "$" and are asked only whether they match: searched backwards (?r), each start
    # fails at once, where a forward search tried all the alternatives at each of the 40
    # characters before (five to seven times the time).
    NOT_AFTER = regex.compile(
        r"(?r)(?:(?<![\w-])(?:versjon|versjonen|version|ver|v|build|release|oppdatert til|"
        r"oppgradert til)[ \t.:=]*"
        # a runtime, system or software word: "Node 18.18.2.0", "SDK 1.2.3.4", "appen 2.3.1.0"
        r"|(?<![\w-])(?:node|node\.js|nodejs|java|jdk|jre|python|php|ruby|perl|golang|dotnet|"
        r"\.net|chrome|chromium|firefox|edge|safari|opera|windows|android|ios|ipados|macos|"
        r"linux|kernel|ubuntu|debian|sdk|app|appen|appversjon|bios|plugin|"
        r"module|modul|package|pakke|klient-?versjon|electron|npm|pip)[ \t]+"
        # a field named for a version: "app_version": "…", sdk=…, "buildNumber":"…"
        r"|(?<![\w-])[\w-]*(?:version|versjon|ver|build|sdk|release|firmware|fw|rev)[\w-]*"
        r"[\"']?[ \t]*[:=][ \t]*[\"']?"
        # a product token: "Chrome/", "KundeApp/"
        r"|[^\W\d_][\w.-]*/)$",
        regex.IGNORECASE,
    )
    PRODUCT = regex.compile(r"[^\W\d_][\w.-]*/$")
    # A version word earlier on the line: "client upgraded from 4.1.0.7 to 5.0.0.1".
    VERSION_LINE = regex.compile(
        r"(?i)(?<![\w-])(?:versions?|versjon(?:en|er)?|upgraded|upgrade|downgraded|updated|"
        r"oppgradert|oppdatert|nedgradert|build|release|firmware|patch(?:ed)?)(?![\w-])"
        r"|Mozilla/\d|AppleWebKit/"
    )
    # An address word shortly before, on the same line: "ip=", "IP til", "IP-adresse:".
    IP_WORD = regex.compile(
        r"(?i)(?<![\w-])(?:ip|ipv4|ipv6|ip-adressen?|client_ip|remote_addr)(?![\w-])"
    )

    def validate_result(self, pattern_text: str) -> bool:
        try:
            ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        return True

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        return apply(self.cues, text, [r for r in results if not self._version(text, r.start)])

    # A network word right before it: "on host 10.20.30.40", "src=10.1.2.3", "server:
    # 1.2.3.4", even on a line that names a version before ("Installed version 2.4.10.3 on
    # host 10.20.30.40"). Right before only: "client upgraded from 4.1.0.7" is a version.
    NET_WORD = regex.compile(
        r"(?ri)(?<![\w-])(?:host|hostname|server|tjener|vert|peer|src|dst|source|destination|"
        r"remote|gateway|gw|dns|nameserver|proxy|router|addr|address|adresse|adressen|"
        r"client|klient|x-forwarded-for|forwarded-for)"
        r"[\"']?[ \t]*[:=]?[ \t]*[\"'\[(<]?$"
        # a field named for an address: "deviceIp": "…", client_ip=, remoteAddr:
        r"|[\w-]*(?:ip|addr|address)[\"']?[ \t]*[:=][ \t]*[\"']?$"
    )

    def _version(self, text: str, start: int) -> bool:
        before = text[max(start - 40, 0) : start]
        if self.PRODUCT.search(before):
            return True  # "Chrome/120.0.0.0", even after "ip=… ua="
        if self.NET_WORD.search(before):
            return False
        if self.NOT_AFTER.search(before):
            return True  # "ip=46.9.12.200 ver=5.1.0.2": the word right before decides
        if self.IP_WORD.search(before.rpartition("\n")[2][-25:]):
            return False
        line_start = text.rfind("\n", max(start - 300, 0), start) + 1 or max(start - 300, 0)
        return bool(self.VERSION_LINE.search(text, line_start, start))
