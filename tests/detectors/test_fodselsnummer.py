from __future__ import annotations

import pytest
from valid_ids import fnr

from detectors.fodselsnummer import is_valid

ORDINARY = fnr("150385")
D_NUMBER = fnr("550385")  # day + 40
H_NUMBER = fnr("154385")  # month + 40
TENOR = fnr("158385")  # month + 80, synthetic test persons
RULES_2032 = [fnr("010132", k1_remainder=r) for r in (1, 2, 3)]


@pytest.mark.parametrize("number", [ORDINARY, D_NUMBER, H_NUMBER, TENOR, *RULES_2032])
def test_valid_numbers(number: str) -> None:
    assert is_valid(number)


def test_python_stdnum_lacks_2032_and_tenor() -> None:
    from stdnum.no import fodselsnummer

    assert not fodselsnummer.is_valid(TENOR) or not fodselsnummer.is_valid(RULES_2032[0])


@pytest.mark.parametrize(
    "number",
    [
        ORDINARY[:-1] + str((int(ORDINARY[-1]) + 1) % 10),  # K2 wrong
        fnr("010132", k1_remainder=4),  # remainder outside 0-3
        "32018512345",  # day 32
        "15138512345",  # month 13
        "12345678901",
    ],
)
def test_invalid_numbers(number: str) -> None:
    assert not is_valid(number)


@pytest.mark.parametrize("written", [ORDINARY, f"{ORDINARY[:6]} {ORDINARY[6:]}", D_NUMBER, TENOR])
def test_found_in_text(found, written: str) -> None:
    assert ("NO_FODSELSNUMMER", written) in found(f"Fødselsnummer: {written}. Takk!")


@pytest.mark.parametrize(
    "text",
    [
        "Ordrenummer 12345678901 er sendt",
        "KID 12345678903 for faktura",
        "Beløp 150 385 123,45 kr",
        "Dato 15.03.1985 kl 14:30",
        "Sak 2026-004512 registrert",
    ],
)
def test_tricky_negatives(found, text: str) -> None:
    assert not [t for t, _ in found(text) if t == "NO_FODSELSNUMMER"]
