"""Evidence from structure and the classes of issue 14: a value's field (column, JSON key,
vCard property, `key: value` label, the field path the pipeline passes), names alone in
their fields, particles, capitals, lowercase chat, version numbers, phones in their other
shapes, digits of other scripts. The strings are written for these tests, not drawn from
the corpus generator."""

from __future__ import annotations

import phonenumbers
import pytest
from glemsel.detectors.checksums import W_ORG, mod11_check
from valid_ids import fnr, kontonr


def _org() -> str:
    for n in range(91234567, 91234600):
        check = mod11_check(str(n), W_ORG)
        if check is not None:
            return f"{n}{check}"
    raise AssertionError("no valid organisasjonsnummer")


def _types(found, text: str, etype: str) -> list[str]:
    return [value for t, value in found(text) if t == etype]


# --- names by structure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('{"kunde": {"first": "Gunvor", "last": "Brekkhus"}}', ["Gunvor", "Brekkhus"]),
        ('{"firstName":"Ánde","lastName":"Máttis"}', ["Ánde", "Máttis"]),
        ("Fornavn;Etternavn;Kundenr\nTrygve;Øvstedal;20394857\n", ["Trygve", "Øvstedal"]),
        ("Surname: Vatnebryn\nGiven name: Ingelin\n", ["Vatnebryn", "Ingelin"]),
        ("BEGIN:VCARD\nN:Strømsheim;Oddny;;;\nFN:Oddny Strømsheim\nEND:VCARD", None),
        ('ts=2026-03-01 event=signup full_name="Halvard Rinnan" ok', ["Halvard Rinnan"]),
        ("Etternavn: van den Broek\n", ["van den Broek"]),
        ('{"contact_name": "Lunde, Torgunn"}', ["Lunde, Torgunn"]),
        ("NAVN;TLF\nSIGVALD HOLTE;40000000\n", ["SIGVALD HOLTE"]),
    ],
)
def test_names_by_their_field(found, text: str, names: list[str] | None) -> None:
    people = _types(found, text, "PERSON")
    if names is None:  # the vCard: both parts of N and the full FN
        assert people == ["Strømsheim", "Oddny", "Oddny Strømsheim"]
    else:
        assert people == names


def test_field_path_is_context(detector) -> None:
    def one(text: str, field: str | None) -> list[tuple[str, str]]:
        return [(e.type, text[e.start : e.end]) for e in detector.analyze(text, field=field)]

    assert one("Gaup", "customer.last_name") == [("PERSON", "Gaup")]
    assert one("Gaup", None) == []
    assert one("48123456", "contact.mobil") == [("PHONE_NUMBER", "48123456")]
    assert one("48123456", "orders[3].kundenr") == []
    account = kontonr("1503123456")
    assert one(account, "bankAccount") == [("NO_BANK_ACCOUNT", account)]
    assert one("Tove Rinde ringte", "notat") == [("PERSON", "Tove Rinde")]


def test_particles_and_reversed_names(found) -> None:
    text = "Møtet ledes av Pieter van der Veen og Ana de la Fuente."
    assert _types(found, text, "PERSON") == ["Pieter van der Veen", "Ana de la Fuente"]
    mail = "Den 3. mars skrev Lotte von der Heide <lotte@example.no>:"
    assert _types(found, mail, "PERSON") == ["Lotte von der Heide"]


def test_capitals_next_to_a_known_name(found) -> None:
    text = "12.03.2026;OVERFØRING TIL MÁHTTE HANSEN;-450,00"
    assert _types(found, text, "PERSON") == ["MÁHTTE HANSEN"]


def test_lowercase_chat_names_learned_from_speakers(found) -> None:
    chat = "[20:01] synnøve: kommer du?\n[20:02] amund: ja synnøve, om ti min\n"
    assert _types(found, chat, "PERSON") == ["synnøve", "amund", "synnøve"]


@pytest.mark.parametrize(
    "text",
    [
        "Even so, the invoice stands.",
        "Dec  4 10:12:01 web01 sshd[311]: session opened",
        "On Sun, 7 Jun 2026 at 10:00 we meet.",
        'ua="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Mobile Safari/605.1.15"',
        "Levert med KundeApp/4.2.0 i går.",
    ],
)
def test_no_name_in(found, text: str) -> None:
    assert _types(found, text, "PERSON") == []


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Mobil 934-56-781", "934-56-781"),
        ("tlf. 22-98-76-54 (sentralbord)", "22-98-76-54"),
        ("ring +47 412-34-567", "+47 412-34-567"),
        ("> Hilsen Bodil\n> M 93456781\n", "93456781"),
    ],
)
def test_phones_in_their_other_shapes(found, text: str, phone: str) -> None:
    assert _types(found, text, "PHONE_NUMBER") == [phone]


def test_access_cards_and_order_numbers_are_no_phones(found) -> None:
    assert _types(found, "Adgangskort 93456781 er sperret.", "PHONE_NUMBER") == []
    assert _types(found, "Ordre 9345-6781 er sendt.", "PHONE_NUMBER") == []


def test_nkom_mobile_series_with_a_cue_at_a_lower_score(detector) -> None:
    # 42xxxxxx is in Nkom's 4x mobile series but not (yet) in phonenumbers' metadata
    number = "42034567"
    assert not phonenumbers.is_valid_number(phonenumbers.parse(number, "NO"))
    [cued] = detector.analyze(f"Mobilnummer: {number}")
    listed = detector.analyze("Mobilnummer: 93456781")[0]
    assert cued.type == "PHONE_NUMBER" and cued.score < listed.score
    assert detector.analyze(f"Referanse {number}") == []
    assert detector.analyze(number) == []


def test_fodselsnummer_with_a_dash(found) -> None:
    n = fnr("240291")
    assert _types(found, f"Fnr: {n[:6]}-{n[6:]}", "NO_FODSELSNUMMER") == [f"{n[:6]}-{n[6:]}"]


def test_digits_of_other_scripts(detector) -> None:
    n = fnr("150385")
    wide = "".join(chr(0xFF10 + int(c)) for c in n[:6])
    arabic = "".join(chr(0x0660 + int(c)) for c in n[6:])
    text = f"Hei 😀 fødselsnummer {wide} {arabic}, takk"
    [entity] = detector.analyze(text)
    assert entity.type == "NO_FODSELSNUMMER"
    assert text[entity.start : entity.end] == f"{wide} {arabic}"  # offsets in the original


def test_account_with_an_english_cue(found) -> None:
    account = kontonr("3201987654")
    assert _types(found, f"Payout account: {account}", "NO_BANK_ACCOUNT") == [account]


def test_org_number_with_an_inflected_cue(found) -> None:
    org = _org()
    assert _types(found, f"Org.nummeret deres er {org}.", "NO_ORG_NUMBER") == [org]


@pytest.mark.parametrize(
    "text",
    [
        "Oppdatert til 4.2.0.17 i natt, versjon fra build-serveren.",
        '{"app_version": "3.1.0.24"}',
        "Chrome/120.0.0.0 Safari/537.36",
        "[Portal/2.1.1.212] started",
        "client upgraded from 5.3.8.149 to 6.0.0.1",
    ],
)
def test_version_numbers_are_no_ip(found, text: str) -> None:
    assert _types(found, text, "IP_ADDRESS") == []


def test_ip_address_next_to_a_version(found) -> None:
    text = "login ok ip=10.20.30.40 ua=Chrome/120.0.0.0"
    assert _types(found, text, "IP_ADDRESS") == ["10.20.30.40"]


# --- plates and addresses ----------------------------------------------------------------------


def test_plates_next_to_a_vehicle_model(found) -> None:
    assert _types(found, "Hentet Kia Niro EV 48213 i dag.", "NO_LICENSE_PLATE") == ["EV 48213"]
    assert _types(found, "MC-en, en Ducati Monster, har KT 4821.", "NO_LICENSE_PLATE") == [
        "KT 4821"
    ]
    assert _types(found, "Regnr;Eier\nSU48213;Bodil\n", "NO_LICENSE_PLATE") == ["SU48213"]


def test_streets_named_after_anything(found) -> None:
    assert _types(found, "Leveres i Tordenskjold gate 17.", "NO_ADDRESS") == [
        "Tordenskjold gate 17"
    ]
    assert _types(found, '{"gateadresse": "Nedre Rinde 4"}', "NO_ADDRESS") == ["Nedre Rinde 4"]
    assert _types(found, "Adresse;Postnr\nSkjervheim gard 3;5700\n", "NO_ADDRESS") == [
        "Skjervheim gard 3"
    ]


def test_detect_jsonl_takes_an_optional_field() -> None:
    import json

    from glemsel.pipeline.interfaces.cli import app
    from typer.testing import CliRunner

    lines = [
        {"id": "a", "text": "Gaup", "field": "kunde.etternavn"},
        {"id": "b", "text": "Gaup"},
        {"id": "c", "text": "Gaup", "field": 7},  # not a string: ignored
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = CliRunner().invoke(app, ["detect", "--jsonl"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [(o["id"], [e["type"] for e in o["entities"]]) for o in out] == [
        ("a", ["PERSON"]),
        ("b", []),
        ("c", []),
    ]
    assert (out[0]["entities"][0]["start"], out[0]["entities"][0]["end"]) == (0, 4)
