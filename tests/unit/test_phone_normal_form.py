"""The plain Norwegian phone forms that identifiers normalises without phonenumbers give
what phonenumbers gives (the hash of a number must not depend on the path it took)."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from glemsel.pipeline.core import identifiers
from glemsel.pipeline.core.identifiers import _normalise_phone


def _parsed(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException:
        return "".join(c for c in value if c.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _samples(count: int) -> list[str]:
    rng = random.Random(47)
    out = []
    for _ in range(count):
        digits = str(rng.randrange(0, 10)) + "".join(rng.choice("0123456789") for _ in range(7))
        grouped = "".join(d + (" " if rng.random() < 0.3 else "") for d in digits).strip()
        out.append(rng.choice(["", "+47", "+47 ", "0047 ", "47 ", "+46 "]) + grouped)
    return out


@pytest.mark.parametrize(
    "value",
    [
        "+47 912 34 567",
        "+4791234567",
        "91234567",
        "9123 4567",
        "22 33 44 55",
        "01234567",
        "+47 01234567",
        "0047 91234567",
        "47 91234567",
        "4791234567",
        "+47 (912) 34 567",
        "+46 70 123 45 67",
        "912345678",
        "9123456",
        "+47  91234567",
        "٩١٢٣٤٥٦٧",
    ],
)
def test_known_forms(value: str) -> None:
    assert _normalise_phone(value) == _parsed(value)


def test_random_forms_agree_with_phonenumbers() -> None:
    samples = _samples(20_000)
    plain = [s for s in samples if identifiers._PLAIN_NO_PHONE.fullmatch(s)]
    assert len(plain) > 5_000  # the fast path is exercised
    for value in samples:
        assert _normalise_phone(value) == _parsed(value), value
