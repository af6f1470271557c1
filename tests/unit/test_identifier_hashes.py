"""Keyed hashes stay what they were: HMAC-SHA256 of the normal form, and the plain Norwegian
phone forms that identifiers normalises without phonenumbers give what phonenumbers gives
(the hash of a number must not depend on the path it took)."""

from __future__ import annotations

import hmac
import random

import phonenumbers
import pytest
from glemsel.pipeline.core import identifiers
from glemsel.pipeline.core.identifiers import Hasher, _normalise_phone, normalise


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


@pytest.mark.parametrize(
    ("entity_type", "value", "kind"),
    [
        ("PERSON", "Kari Nordmann", "name"),
        ("EMAIL_ADDRESS", "Kari@Example.no", "email"),
        ("PHONE_NUMBER", "+47 912 34 567", "phone"),
        ("NO_FODSELSNUMMER", "150385 12345", "fnr"),
        ("CUSTOM", "x\udcff", "custom"),
    ],
)
def test_hash_is_the_truncated_hmac_of_the_normal_form(
    entity_type: str, value: str, kind: str
) -> None:
    key = b"k" * 32
    hasher = Hasher(key)
    message = f"{kind}:{normalise(entity_type, value)}".encode("utf-8", "surrogatepass")
    expected = hmac.digest(key, message, "sha256").hex()[:32]
    assert hasher(entity_type, value) == expected
    assert hasher(entity_type, value) == expected  # the keyed state is copied, not used up
