from __future__ import annotations

import pytest
from glemsel.detectors.no_fodselsnummer_recognizer import is_valid
from valid_ids import fnr

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


# A number at the end of a chat line, the next line starting with a timestamp, or followed
# by a date or a time on its own line: the next token does not continue the number.
SECOND = fnr("220791", individual=456)


@pytest.mark.parametrize(
    "text, written",
    [
        (f"personnummeret er {SECOND}\n08:02 Kundeservice: Takk", SECOND),
        (f"fnr: {SECOND[:6]} {SECOND[6:]}\n14:55 - Agent: Mottatt", f"{SECOND[:6]} {SECOND[6:]}"),
        (f"Fødselsnr {SECOND} 09.45 i dag", SECOND),
        (f"Fødselsnummer {SECOND[:6]} {SECOND[6:]} 3/4", f"{SECOND[:6]} {SECOND[6:]}"),
        (f"fødselsnummer {SECOND} 2. mars registrert", SECOND),
        (f"Personnr {SECOND} 2025-01-17", SECOND),
        (f"hennes d-nr er {D_NUMBER}", D_NUMBER),
        (f"har bare dnummer: {D_NUMBER}", D_NUMBER),
        (f"fødselsnumer {SECOND}", SECOND),  # typo in the cue
        (f"Hva er fødselsnummeret ditt? {SECOND}", SECOND),  # an answer after a question
    ],
)
def test_found_at_the_end_of_a_line_or_before_a_date(found, text: str, written: str) -> None:
    assert ("NO_FODSELSNUMMER", written) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        # a piece of a longer spaced number on the same line
        f"Sendingsnummer {SECOND[:6]} {SECOND[6:]} 4410 er registrert",
        f"Serienr 77 {SECOND[:6]} {SECOND[6:]}",
        # a document's number, however valid its digits
        f"Ordrenummer {SECOND} er sendt",
        f"Kvittering nr. {SECOND}",
    ],
)
def test_not_a_piece_of_another_number(found, text: str) -> None:
    assert not [t for t, _ in found(text) if t == "NO_FODSELSNUMMER"]


def test_context_settles_a_number_valid_as_both_fnr_and_account(found) -> None:
    # Every fødselsnummer passes the account check (the same mod-11 weights).
    assert found(f"Fødselsnummer: {SECOND}") == [("NO_FODSELSNUMMER", SECOND)]
    assert found(f"Pengene utbetales til {SECOND} neste uke") == [("NO_BANK_ACCOUNT", SECOND)]
    assert found(f"Kunden, fnr {SECOND}, har byttet bank") == [("NO_FODSELSNUMMER", SECOND)]
