"""Place names as surnames (issue 14, a name alone in its own field): many Norwegian
surnames are farm and place names. In a field for a name or its part (etternavn, last,
family, a vCard's N, a CSV column "Etternavn") a place name is the surname, and so is a
place name before a given name, surname first ("Søker: Rørvik, Ingvild"). Elsewhere, and
in fields for places or roles, it stays a place. Also: surname first before an e-mail
address, ticket roles in English, English departments and statuses that are no names, and
the model after a car or phone make ("Renault Zoe")."""

from __future__ import annotations

import pytest
from detected import persons
from glemsel.detectors import get_detector

DETECTOR = get_detector()
# Places of places.txt that are not never-names on their own.
PLACES = ["Rørvik", "Hamar", "Molde", "Kongsberg", "Lillehammer"]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(
    "template",
    [
        "Etternavn: {p}",
        "Last name: {p}\nFirst name: Eirik",
        '{{"first": "Ingvild", "last": "{p}"}}',
        '{{"name": {{"given": "Ingvild", "family": "{p}"}}}}',
        "<person><fornavn>Ingvild</fornavn><etternavn>{p}</etternavn></person>",
        "fornavn;etternavn;telefon\nSølvi;{p};91522318",
        "BEGIN:VCARD\nVERSION:3.0\nN:{p};Torunn;;;\nEND:VCARD",
    ],
)
def test_a_place_in_a_surname_field_is_the_surname(place: str, template: str) -> None:
    assert place in persons(template.format(p=place))


@pytest.mark.parametrize("place", PLACES)
def test_a_place_in_a_change_events_surname_field_is_the_surname(place: str) -> None:
    assert persons(place, field="contact.last_name") == [place]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("label", ["Søker", "Kunde", "Innmelder", "Fra"])
def test_a_place_before_a_given_name_is_a_surname_first(place: str, label: str) -> None:
    text = f"{label}: {place}, Ingvild"
    assert persons(text) == [f"{place}, Ingvild"]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(
    "template",
    [
        "Poststed: {p}",
        '{{"city": "{p}", "last": "Hansen"}}',
        "fornavn;etternavn;poststed\nKari;Hansen;{p}",
        "Sted: {p}, Norge",
        "Kunde: {p} kommune",
        "Avdeling: {p}, Elverum",
        "Kontoret i {p} er stengt i dag.",
        "Navn: {p} Sportsklubb",
        "Reiser til {p}, Kari blir med.",
    ],
)
def test_a_place_elsewhere_stays_a_place(place: str, template: str) -> None:
    text = template.format(p=place)
    assert not any(place in found for found in persons(text)), persons(text)


def test_a_place_named_in_a_surname_field_stays_a_place_in_the_prose() -> None:
    text = "Etternavn: Molde\nNotat: kunden flytter til Molde i mars."
    found = DETECTOR.analyze(text)
    starts = [e.start for e in found if e.type == "PERSON"]
    assert starts == [text.index("Molde")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fra: Dahl, Marit <marit.dahl@firma.no>", "Dahl, Marit"),
        ("From: Lie, Trond <trond.lie@firma.no>", "Lie, Trond"),
        ("Innmelder: Berg, Ola", "Berg, Ola"),
        ("Reporter: Hansen, Kari", "Hansen, Kari"),
        ("Assignee: Marte Kolstad", "Marte Kolstad"),
        ("Betaling fra Børre Skjelvik ref 55123", "Børre Skjelvik"),
    ],
)
def test_surname_first_before_an_address_and_ticket_roles(text: str, name: str) -> None:
    assert persons(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Contact: Sales",
        "Reported by: Monitoring",
        "Applicant: Senior Developer",
        "Caller: Unknown",
        "Assignee: Support Team",
        "Created by: System",
    ],
)
def test_english_departments_roles_and_statuses_are_no_names(text: str) -> None:
    assert persons(text) == []


@pytest.mark.parametrize("make", ["Renault", "Toyota", "Kia", "Volvo", "Samsung"])
@pytest.mark.parametrize("model", ["Zoe", "Emma", "Leon", "Kari"])
def test_a_word_after_a_make_is_its_model(make: str, model: str) -> None:
    text = f"Kunden kjører en {make} {model} og betaler med kort.\nHilsen Ola Nordmann"
    assert persons(text) == ["Ola Nordmann"]


def test_mark_is_a_given_name_too() -> None:
    assert persons("Mark Anthony kjøpte billett") == ["Mark Anthony"]
    assert persons("Mark the date in your calendar") == []
