"""NO_BANK_ACCOUNT, NO_ORG_NUMBER, IBAN_CODE, CREDIT_CARD."""

from __future__ import annotations

import pytest
from valid_ids import kontonr

ACCOUNT = kontonr()


@pytest.mark.parametrize(
    "written",
    [f"{ACCOUNT[:4]}.{ACCOUNT[4:6]}.{ACCOUNT[6:]}", f"{ACCOUNT[:4]} {ACCOUNT[4:6]} {ACCOUNT[6:]}"],
)
def test_bank_account_forms(found, written: str) -> None:
    assert ("NO_BANK_ACCOUNT", written) in found(f"Kontonummer: {written}")


def test_unformatted_account_needs_context(found) -> None:
    assert ("NO_BANK_ACCOUNT", ACCOUNT) in found(f"Refusjon til konto {ACCOUNT}")


def test_account_with_bad_checksum(found) -> None:
    bad = ACCOUNT[:-1] + str((int(ACCOUNT[-1]) + 1) % 10)
    assert found(f"Kontonummer: {bad[:4]}.{bad[4:6]}.{bad[6:]}") == []


@pytest.mark.parametrize("written", ["923 609 016", "orgnr 923609016", "NO 923609016 MVA"])
def test_org_number(found, written: str) -> None:
    assert [t for t, _ in found(f"Firma AS, {written}")] == ["NO_ORG_NUMBER"]


def test_org_number_without_context_or_checksum(found) -> None:
    assert found("Ordre 923609017 sendt") == []
    assert found("Vi har 923609016 i kassen") == []


@pytest.mark.parametrize(
    "written",
    [
        "NO93 8601 1117 947",
        "NO9386011117947",
        "DE89 3704 0044 0532 0130 00",
        "GB29NWBK60161331926819",
    ],
)
def test_iban(found, written: str) -> None:
    assert ("IBAN_CODE", written) in found(f"IBAN: {written}")


def test_iban_bad_checksum(found) -> None:
    assert found("IBAN: NO94 8601 1117 947") == []


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "5555555555554444"])
def test_credit_card(found, card: str) -> None:
    assert ("CREDIT_CARD", card) in found(f"Kortnummer {card}")


def test_luhn_failure(found) -> None:
    assert found("Kortnummer 4111 1111 1111 1112") == []
