"""Adversarial inputs for the detectors' linearity: long runs that give regexes and
look-backs the most work (digits, hex, no whitespace, colons and dots, one long line of
repeated names, many short labelled lines, CSV rows, streets). Shared by the test of
linear time (tests/detectors/test_linear.py) and ``python -m bench.detect_scaling``."""

from __future__ import annotations

UNITS: dict[str, str] = {
    "digits": "1234567890",
    "hex": "deadbeef0123",
    "no whitespace": "abcdefghij",
    "punctuation run": "Ab1.-:;/@",
    "digit groups": "12 34 56 78 ",
    "dotted": "1.2.3.4.",
    "colons": "ab:cd:",
    "names, one line": "Kari Nordmann ",
    "caps names": "KARI HANSEN ",
    "lowercase words": "kari og per ",
    "labelled lines": "Navn: Kari\n",
    "csv rows": "Fornavn;Etternavn\nKari;Hansen\n",
    "streets": "Storgata 5 ",
}


def adversarial(name: str, size: int) -> str:
    unit = UNITS[name]
    return (unit * (size // len(unit) + 1))[:size]
