"""Exports and transcripts: an XML element names its value as a JSON key does; a chat line's
speaker after "kl" and a time."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "<customer><firstName>Linn</firstName><lastName>Sørli</lastName></customer>",
            ["Linn", "Sørli"],
        ),
        ('<kunde id="7"><navn>Per Arne Dahl</navn><by>Oslo</by></kunde>', ["Per Arne Dahl"]),
        ("<title>Ny ordre</title><status>Levert</status>", []),
        ("<b>Viktig</b> melding fra <i>Kundeservice</i>", []),
    ],
)
def test_an_element_names_its_value(found, text: str, names: list[str]) -> None:
    assert [v for t, v in found(text) if t == "PERSON"] == names


def test_chat_speakers_after_kl_and_a_time(found) -> None:
    text = "kl 10:14 ole: hei\nkl 10:15 kari: hei, har du fått pakka?\nKl. 10:16 Siv: ja"
    assert [v for t, v in found(text) if t == "PERSON"] == ["ole", "kari", "Siv"]
    assert [v for t, v in found("kl 14:00: møte om budsjett\nkl 15:00: lunsj") if t] == []


def test_a_surname_with_particles_first_in_a_field(found) -> None:
    text = "Kontaktperson: de Vries, Anna\nTlf: 22 33 44 55"
    assert [v for t, v in found(text) if t == "PERSON"] == ["de Vries, Anna"]
    rows = "Navn;Telefon\nde Souza, Maria;91234567\nvon Trapp, Georg;41234567"
    assert [v for t, v in found(rows) if t == "PERSON"] == ["de Souza, Maria", "von Trapp, Georg"]


def test_a_square_written_apart_is_a_street(found) -> None:
    assert [v for t, v in found('{"street":"Lysaker torg 5","zip":"1366"}') if t] == [
        "Lysaker torg 5"
    ]
    assert found("Vi møtes på Lysaker torg 5 minutter før") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("hei, kan jeg få snakke med marit?", ["marit"]),
        ("Kan eg snakke med Ragnhild?", ["Ragnhild"]),
        ("snakk med jonas i morgen", ["jonas"]),
        ("vil snakke med noen om saken", []),
        ("snakke med kundeservice", []),
        ("prate med en venn", []),
    ],
)
def test_every_form_of_talk_to_is_a_cue(found, text: str, names: list[str]) -> None:
    assert [v for t, v in found(text) if t == "PERSON"] == names
