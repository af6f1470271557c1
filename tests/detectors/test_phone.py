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


@pytest.mark.parametrize(
    "text, written",
    [
        # verbs and labels before a bare 8-digit number
        ("Har ringt 46813579 tre ganger i dag", "46813579"),
        ("Kunden ringer fra 90817263 hver morgen", "90817263"),
        ("Vakttelefonen er 97315562 i helgen", "97315562"),
        ("Kontaktpersonen treffes direkte på 55123456", "55123456"),
        ("Sentralbordet: 23456789", "23456789"),
        ("Tlf.: 73512345", "73512345"),
        ("Mobil:\t41223344", "41223344"),
        ("telfon 41223344", "41223344"),  # typo in the cue
        # signature labels, a signature block, a contact line, brackets after a name
        ("Beste hilsen\nSiri Dahl\nM: 97315562\nE: siri@example.no", "97315562"),
        ("Hilsen\nSiri Dahl\nT: 23456789", "23456789"),
        ("Vennlig hilsen\nPer Lund\nRådgiver | Fjordlys AS\n90817263\n", "90817263"),
        ("Takk for hjelpen. Mvh Per Lund, 46813579", "46813579"),
        ("Ny kontakt: Per Lund, per.lund@example.no, 90817263.", "90817263"),
        ("Ta kontakt med Ingrid Solberg-Ali (41223344) om dette.", "41223344"),
        # the next token is a date, a time or on the next line
        ("tlf 97315562 14/2", "97315562"),
        ("mobil 97315562 kl 10.15", "97315562"),
        ("mobilen min er 41 22 33 44\n10:02 Agent: Takk", "41 22 33 44"),
        ("nr +372 5123 4567\n09:14 Agent: Takk", "+372 5123 4567"),
        ("Kunde: nummeret mitt er 97315562", "97315562"),
    ],
)
def test_phone_cues(found, text: str, written: str) -> None:
    assert ("PHONE_NUMBER", written) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        # receipts, members, customers, orders, invoices, tickets: a document's number
        "Kvitteringsnr. 46813579, kasse 4",
        "Kviteringsnummer 46813579",
        "Medlemsnummeret ditt er 46813579.",
        "Kundenummeret mitt er 90817263",
        "Ordrenr: 90817263",
        "Bilag 46813579 er bokført",
        "Billettnummer 97315562 gjelder i dag",
        "Ring oss om sak 97315562",
        # a piece of a longer spaced number: card-like groups, amounts
        "Referanse 5021 4411 4681 3579",
        "Sum 12 46 81 35 79 kroner",
        # no cue at all
        "Vi sendte 46813579 brev i fjor",
        "Hilsen\nPer\n\nDet var 4 saker i dag og 46813579 visninger",
    ],
)
def test_not_phones(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "PHONE_NUMBER"] == []


@pytest.mark.parametrize(
    "text, written",
    [
        ("Du kan nå meg på 46813579 etter lunsj", "46813579"),
        ("Kontakt: +47 468 13 579", "+47 468 13 579"),  # "kontakt" is no typo of "kontrakt"
        ("Prøvde å ringe deg på +46 70 123 45 67 20:15.", "+46 70 123 45 67"),
        ("Navn,Mobil,Registrert\nKari Dahl,46813579,03.02.2026", "46813579"),
        ("Navn\tTelefon\tAdresse\nPer Lund\t97 31 55 62\tStorgata 1", "97 31 55 62"),
        ("Navn | E-post | Tlf.\nKari Dahl | kari@example.no | 41223344", "41223344"),
    ],
)
def test_phone_in_phrases_and_table_columns(found, text: str, written: str) -> None:
    assert ("PHONE_NUMBER", written) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        # a table's header says what its cells are, even after an e-mail column
        "Navn;E-post;Medlemsnr\nKari Dahl;kari@example.no;46813579",
        "Navn,Kundenummer,Registrert\nPer Lund,97315562,03.02.2026",
        "Navn\tE-post\tAnsattnr\nKari Dahl\tkari@example.no\t46813579",
        # decimals are part of an amount
        "Beløp: 46813579,50 kr",
        "Abonnement 46813579 avsluttes",
    ],
)
def test_not_phones_in_tables_and_amounts(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "PHONE_NUMBER"] == []


def test_norwegian_validity_by_prefix_agrees_with_phonenumbers() -> None:
    """The per-prefix cache of Norwegian numbers must say what a full validation says."""
    import random

    import phonenumbers
    from glemsel.detectors.no_phone_recognizer import _is_valid

    rng = random.Random(7)
    # every 4-digit prefix once, and the prefixed written forms on a sample
    numbers = [f"{p}{rng.randrange(10**4):04d}" for p in range(1000, 10_000)]
    for i, number in enumerate(numbers):
        forms = [number]
        if i % 20 == 0:
            forms += [f"+47 {number}", f"0047{number}", f"(+47) {number}"]
        for written in forms:
            parsed = phonenumbers.parse(written.replace("(", "").replace(")", ""), "NO")
            assert _is_valid(written) == phonenumbers.is_valid_number(parsed), written
