"""NO_BANK_ACCOUNT, NO_ORG_NUMBER, IBAN_CODE, CREDIT_CARD."""

from __future__ import annotations

import pytest
from valid_ids import card, iban, kontonr, orgnr

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


OTHER = kontonr("3905417720")


@pytest.mark.parametrize(
    "text",
    [
        # inflected cue words and the verbs of payments
        "Kontoen {n} skal sperres",
        "Beløpet overføres til {n} innen fredag",
        "Pengene ble overført til {n} i går",
        "Husleien innbetales til {n}",
        "Feriepengene utbetales til {n}",
        "Lønnskonto: {n}",
        "Avdraget trekkes fra {n} hver måned",
        "Tilbakebetalingen går til lønnskontoen {n}",
        "Refusjonen på kr. 1 250,00 er sendt til {n}.",
        # typos, an answer after a question, a timestamp on the next line
        "kontonumer {n}",
        "Hvilket kontonummer skal vi bruke? {n}",
        "kontonr {n}\n10:14 Agent: Takk",
    ],
)
def test_unformatted_account_with_cue(found, text: str) -> None:
    assert ("NO_BANK_ACCOUNT", OTHER) in found(text.format(n=OTHER))


@pytest.mark.parametrize("after", [" 14/3", " 08.30", " 09:12", " 4. mai", "\n3 dager senere"])
def test_spaced_account_before_a_date(found, after: str) -> None:
    spaced = f"{OTHER[:4]} {OTHER[4:6]} {OTHER[6:]}"
    assert ("NO_BANK_ACCOUNT", spaced) in found(f"Refundert til {spaced}{after}")


@pytest.mark.parametrize(
    "text",
    [
        "KID {n} brukes ved betaling",
        "Fakturanummer {n} betales innen fredag",
        "Kontoen er sperret. Ordrenr {n}",
        "Vi har {n} registrerte brukere",
        "Sporingsnummer {s} 442 er sendt",
    ],
)
def test_not_an_account(found, text: str) -> None:
    spaced = f"{OTHER[:4]} {OTHER[4:6]} {OTHER[6:]}"
    assert [t for t, _ in found(text.format(n=OTHER, s=spaced)) if t == "NO_BANK_ACCOUNT"] == []


ORG = orgnr("98213456")


@pytest.mark.parametrize(
    "text",
    [
        "Org. nr.: {n}",
        "Org nr {n}",
        "org.nr:{n}",
        "Org.nr. {n}",
        "Foretaksnr. - {n}",
        "Foretaksnummer {n}",
        "organisasjonsnr {n}",
        "Organisasjonsnummeret er {n}",
        "orgnummeret vårt er {n}",
        "orngr {n}",  # chat typos
        "orgnumer {n}",
        "Leverandør: Fjordlys Regnskap ANS ({n})",
        "Hvorfor finnes ikke {n} i Brreg?",
        "orgnr {n}\n12:01 Kundeservice: Takk",
    ],
)
def test_org_number_cues(found, text: str) -> None:
    assert ("NO_ORG_NUMBER", ORG) in found(text.format(n=ORG))


def test_org_number_spaced_before_a_time(found) -> None:
    spaced = f"{ORG[:3]} {ORG[3:6]} {ORG[6:]}"
    assert ("NO_ORG_NUMBER", spaced) in found(f"Orgnr {spaced} 13:45")
    assert [t for t, _ in found(f"Referanse 12 {spaced}") if t == "NO_ORG_NUMBER"] == []


SE_IBAN = iban("SE", "50000000058398257466")
DK_IBAN = iban("DK", "50400440116243")


@pytest.mark.parametrize(
    "text, written",
    [
        # an upper-case word after the IBAN is not part of it
        (f"IBAN {SE_IBAN} VPN-tilgang er aktiv", SE_IBAN),
        (f"Konto {SE_IBAN} NB: utland", SE_IBAN),
        (f"IBAN {DK_IBAN} OK?", DK_IBAN),
    ],
)
def test_iban_ends_at_its_length(found, text: str, written: str) -> None:
    assert ("IBAN_CODE", written) in found(text)


def test_spaced_iban_then_a_word_is_one_iban_and_no_phone(found) -> None:
    spaced = " ".join(SE_IBAN[i : i + 4] for i in range(0, len(SE_IBAN), 4))
    assert found(f"IBAN: {spaced} OK") == [("IBAN_CODE", spaced)]
    assert found(f"IBAN: {spaced} TAKK") == [("IBAN_CODE", spaced)]


MC2 = card("2411")  # Mastercard 2-series
AMEX = card("3714", 15)


@pytest.mark.parametrize(
    "written",
    [
        f"{MC2[:4]} {MC2[4:8]} {MC2[8:12]} {MC2[12:]}",
        f"{MC2[:4]}-{MC2[4:8]}-{MC2[8:12]}-{MC2[12:]}",
        MC2,
        card("2705"),
        card("5190"),
        card("4024", 13),
        card("3566"),  # JCB
        card("6011"),  # Discover
        f"{AMEX[:4]} {AMEX[4:10]} {AMEX[10:]}",
        AMEX,
    ],
)
def test_cards_of_every_common_issuer_and_grouping(found, written: str) -> None:
    assert found(f"Kortet {written} ble avvist") == [("CREDIT_CARD", written)]


def test_card_expiry_after_the_number(found) -> None:
    grouped = f"{MC2[:4]} {MC2[4:8]} {MC2[8:12]} {MC2[12:]}"
    assert found(f"Betalt med {grouped} 09/28") == [("CREDIT_CARD", grouped)]
    assert found(f"kortnr {MC2}\n11:03 Agent: takk") == [("CREDIT_CARD", MC2)]


@pytest.mark.parametrize(
    "text",
    [
        # Luhn fails: no card, and no phone number out of its last groups either
        f"Kortet {MC2[:4]} {MC2[4:8]} {MC2[8:12]} {MC2[12:15]}{(int(MC2[15]) + 1) % 10}",
        # Luhn holds, but no card issuer starts with 7, 8 or 9 (nor 1 at 16 digits)
        f"Referanse {card('7071')}",
        f"Sending {card('9100')[:4]} {card('9100')[4:8]} {card('9100')[8:12]} {card('9100')[12:]}",
        f"Nummer {card('1234')}",
        # a 2-series number outside Mastercard's 2221–2720
        f"Kort {card('2800')}",
    ],
)
def test_not_cards(found, text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Pengene kan du sende til {n} når det passer",
        "Pengane kan betalast ut til {n}.",  # nynorsk
        "Jeg vil heller at beløpet settes inn på {n}",
    ],
)
def test_account_after_the_money(found, text: str) -> None:
    assert ("NO_BANK_ACCOUNT", OTHER) in found(text.format(n=OTHER))


def test_numbers_in_table_columns(found) -> None:
    from valid_ids import fnr

    person = fnr("030188", individual=321)
    rows = [
        ("Navn;Kontonummer;Fødselsnummer;Orgnr", f"Kari Dahl;{OTHER};{person};{ORG}"),
        ("Navn,Kontonummer,Fødselsnummer,Orgnr", f"Kari Dahl,{OTHER},{person},{ORG}"),
        ("Navn | Kontonr. | Personnr | Org.nr", f"Kari Dahl | {OTHER} | {person} | {ORG}"),
        ("Navn\tKonto\tFnr\tForetaksnr", f"Kari Dahl\t{OTHER}\t{person}\t{ORG}"),
    ]
    for header, row in rows:
        result = found(f"{header}\n{row}")
        assert ("NO_BANK_ACCOUNT", OTHER) in result, header
        assert ("NO_FODSELSNUMMER", person) in result, header
        assert ("NO_ORG_NUMBER", ORG) in result, header


def test_a_column_header_overrules_the_digits(found) -> None:
    from valid_ids import fnr

    person = fnr("030188", individual=321)  # valid as fødselsnummer and as account
    result = found(f"Navn;Kundenummer;Kontonummer\nKari Dahl;{person};{OTHER}")
    assert [t for t, _ in result if t == "NO_FODSELSNUMMER"] == []
    assert ("NO_BANK_ACCOUNT", OTHER) in result
