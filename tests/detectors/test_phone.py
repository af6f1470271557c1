from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "written",
    [
        "+47 912 34 567",
        "0047 91234567",
        "(+47) 91 23 45 67",
        "+4791234567",
        "912 34 567",
        "22 33 44 55",
        "+46 70 123 45 67",
        "+44 20 7946 0958",
    ],
)
def test_phone_forms(found, written: str) -> None:
    assert ("PHONE_NUMBER", written) in found(f"Ring meg på {written} i morgen")


def test_bare_eight_digits_need_context(found) -> None:
    assert ("PHONE_NUMBER", "91234567") in found("tlf 91234567")
    assert found("Vi har 91234567 kunder i registeret") == []


@pytest.mark.parametrize(
    "text",
    [
        "Fakturanr 45123312 forfaller",
        "Ordre #45123312 er sendt",
        "KID 12345678 brukes ved betaling",
        "Beløp kr 12 500,00",
        "Møte 24.11.2026 kl 14:30",
        "Sporingsnummer 70701234567890",
        "Sak 2026-004512",
    ],
)
def test_tricky_negatives(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "PHONE_NUMBER"] == []
