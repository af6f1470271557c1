"""Lowercase chat with no cue (issue 14): a listed first name that is no everyday word is a
name in lowercase too where it stands as a word of prose; first names that are lowercase
words (lowercase_words.txt) need their cue; handles, paths and addresses are no names.
Also lists of reversed names ("Aas, Trine; Lie, Morten") and everyday-word first names
before a verb of speech ("Mark said")."""

from __future__ import annotations

import pytest
from detected import persons
from glemsel.detectors.name_lexicon import FIRST, lowercase_words, word_class

NAMES = ["jonas", "torbjørn", "camilla", "henrik", "kristine", "eirik", "magnus", "johanne"]
PROSE = [
    "kan du sjekke ordren til {n}? han venter",
    "ga beskjed til {n} i går",
    "vet du om {n} er på jobb",
    "fikk mail fra {n} nå",
    "tar det med {n} senere",
    "eg har snakka med {n} om det",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("template", PROSE)
def test_a_lowercase_first_name_in_prose_is_a_name(name: str, template: str) -> None:
    assert persons(template.format(n=name)) == [name]


def test_the_lowercase_names_are_listed_first_names_and_no_words() -> None:
    for name in NAMES:
        assert word_class(name) & FIRST and name not in lowercase_words()


@pytest.mark.parametrize(
    "text",
    [
        "kan dere endre adressa mi?",  # endre: a verb, a name only with a cue
        "vi så en bjørn ved hytta",
        "kunden er ute hele dagen",
        "lørdag 12. jun kl 10 og 3. jan",
        "said the driver, then left",
    ],
)
def test_first_names_that_are_lowercase_words_need_a_cue(text: str) -> None:
    assert persons(text) == []


@pytest.mark.parametrize("name", ["jonas", "camilla"])
@pytest.mark.parametrize(
    "template",
    [
        "user={n} logged in",
        "/home/{n}/docs",
        "ssh {n}@buildhost",
        "tag #{n}",
        "{n}_b opened PR",
        "login: {n}.berg",
        "git push origin {n}-fix",
        "bruker: {n}123",
        "http://example.no/{n}",
    ],
)
def test_handles_paths_and_addresses_are_no_names(name: str, template: str) -> None:
    assert persons(template.format(n=name)) == []


@pytest.mark.parametrize("label", ["Deltakere", "Tilstede", "Kopi til"])
def test_a_list_of_reversed_names_goes_on_at_semicolons(label: str) -> None:
    text = f"{label}: Aas, Trine; Hovde, Kjersti; Strøm-Olsen, Jon Are"
    assert persons(text) == ["Aas, Trine", "Hovde, Kjersti", "Strøm-Olsen, Jon Are"]


@pytest.mark.parametrize("name", ["Stein", "Liv", "Dag", "Grace"])
@pytest.mark.parametrize("verb", ["said", "sa", "skreiv", "ringte"])
def test_an_everyday_word_first_name_before_a_verb_of_speech(name: str, verb: str) -> None:
    assert name in persons(f"Even if it was late, {name} {verb} it was fine.")


@pytest.mark.parametrize(
    "text",
    [
        "Endre passord her.",
        "Line 4 feilet i importen.",
        "Tone i mailen var sur.",
        "Frank og ærlig tilbakemelding.",
        "Bent rør i kjelleren.",
        "Klara for levering i morgen.",
    ],
)
def test_an_opening_word_that_is_a_lowercase_word_needs_a_verb(text: str) -> None:
    assert persons(text) == []


@pytest.mark.parametrize("name", ["Rune", "Helge", "Sander", "Tone"])
@pytest.mark.parametrize(
    "template",
    [
        "{n} skrev til oss i går.",
        "{n} har ringt to ganger.",
        "{n} og Kari kom innom.",
        "Med vennlig hilsen / Best regards\n{n}\n",
        "{n}, kan du sjekke ordren?",
    ],
)
def test_an_opening_name_that_is_a_lowercase_word_with_its_verb(name: str, template: str) -> None:
    assert name in persons(template.format(n=name))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("etternavn: skogheim\nfornavn: gudrun", ["skogheim", "gudrun"]),
        ("first;last;email\ngudrun;skogheim;g@x.no", ["gudrun", "skogheim"]),
        ("fornavn: ukjent\netternavn: ikke oppgitt", []),
        ("Kontaktperson: kundeservice", []),
    ],
)
def test_a_name_field_in_lowercase(text: str, names: list[str]) -> None:
    assert persons(text) == names


@pytest.mark.parametrize("reply", ["supr, takk!!", "supr", "topp takk", "greit nok"])
def test_a_chat_role_is_no_lowercase_name_field(reply: str) -> None:
    assert persons(f"agent: Takk! Saken er lukket.\nkunde: {reply}\n") == []
