from __future__ import annotations

import pytest
from glemsel.pipeline.core.events import SubjectIdentifiers
from glemsel.pipeline.core.identifiers import Hasher, identity_field_type, mask

H = Hasher(b"s" * 32)


@pytest.mark.parametrize(
    ("etype", "a", "b"),
    [
        ("PHONE_NUMBER", "+47 912 34 567", "91234567"),
        ("PHONE_NUMBER", "0047 912 34 567", "(+47) 91 23 45 67"),
        ("EMAIL_ADDRESS", "Kari.Nordmann@Example.NO", "kari.nordmann@example.no"),
        ("NO_FODSELSNUMMER", "150385 12345", "15038512345"),
        ("PERSON", "Kari  Nordmann", "kari nordmann"),
        ("NO_BANK_ACCOUNT", "1234.56.78903", "12345678903"),
        ("IBAN_CODE", "NO93 8601 1117 947", "no9386011117947"),
    ],
)
def test_written_forms_of_one_identifier_hash_alike(etype: str, a: str, b: str) -> None:
    assert H(etype, a) == H(etype, b)


def test_hash_depends_on_key_and_kind() -> None:
    assert H("PHONE_NUMBER", "91234567") != Hasher(b"t" * 32)("PHONE_NUMBER", "91234567")
    assert H("NO_BANK_ACCOUNT", "12345678903") != H("NO_FODSELSNUMMER", "12345678903")


def test_short_key_refused() -> None:
    with pytest.raises(ValueError):
        Hasher(b"short")


@pytest.mark.parametrize(
    ("etype", "value"),
    [
        ("EMAIL_ADDRESS", "kari.nordmann@example.no"),
        ("NO_FODSELSNUMMER", "15038512345"),
        ("PHONE_NUMBER", "+47 912 34 567"),
        ("PERSON", "Kari Nordmann"),
        ("NO_ADDRESS", "Storgata 12B, 0155 Oslo"),
    ],
)
def test_masks_reveal_little(etype: str, value: str) -> None:
    preview = mask(etype, value)
    assert preview != value and "*" in preview
    assert value not in preview and value[3:8] not in preview


def test_subject_hashes_cover_every_identifier() -> None:
    ids = SubjectIdentifiers(
        fnr="15038512345", emails=["a@b.no"], phones=["91234567"], names=["Kari Nordmann"]
    )
    assert len(H.subject(ids)) == 4


def test_identity_field_types() -> None:
    assert identity_field_type("email") == "EMAIL_ADDRESS"
    assert identity_field_type("contact_phone") == "PHONE_NUMBER"
    assert identity_field_type("title") is None
