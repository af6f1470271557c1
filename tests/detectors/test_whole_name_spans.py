"""The whole name, never a part of it (issue 14: 'a part of a name where the whole was
there'): initials, double given names, hyphens, particles, elided particles (d'Angelo),
short surnames that are words or places (Ås, Ek), in eight layouts."""

from __future__ import annotations

import pytest
from glemsel.detectors import Detector

DETECTOR = Detector()
NAMES = [
    "Anne-Lise M. Berg",
    "Siri Ø. Lie",
    "Per-Ivar Ødegård",
    "Nils Ole Oftebro-Hansen",
    "Mary-Ann O'Neill",
    "Abdi Mohamed Ali",
    "Carlos García-López",
    "Anna Łukasiewicz",
    "Tone Marie Bakke Hansen",
    "Aleksander d'Angelo",
    "Fatima Al-Hashimi",
    "Ingrid von Koss",
    "Ragnhild Ås",
    "Eva Ek",
]
LAYOUTS = [
    "Kunden {n} ringte i dag.",
    "Fra: {n} <x@y.no>",
    "Kontaktperson: {n}\nTelefon: 41234567",
    "Møte med {n} om saken.",
    "{n};41234567;Oslo",
    "Hei {n},\ntakk",
    "Mvh\n{n}\nDaglig leder",
    "| {n} | Selger |",
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", NAMES)
def test_the_whole_name_is_one_span(name: str, layout: str) -> None:
    text = layout.format(n=name)
    assert [text[e.start : e.end] for e in DETECTOR.analyze(text) if e.type == "PERSON"] == [name]


@pytest.mark.parametrize(
    "text", ["Vi bor på Ås og jobber i Ås kommune.", "Eva bor i Ås.", "l'Oréal produkter"]
)
def test_the_place_and_the_brand_stay_no_names(text: str) -> None:
    found = [text[e.start : e.end] for e in DETECTOR.analyze(text) if e.type == "PERSON"]
    assert "Ås" not in found and "l'Oréal" not in found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Produkt: Sofia sofa 3-seter, farge Emma grå\nKunde: Kari Hansen", ["Kari Hansen"]),
        ('{"product": "Emma madrass", "customer": "Ola Hansen"}', ["Ola Hansen"]),
        ("Modell: Renault Zoe\nEier: Zoe Hansen", ["Zoe Hansen"]),
        ("Varenavn: Linnea lampe\nProduktansvarlig: Trine Berg", ["Trine Berg"]),
    ],
)
def test_a_field_that_holds_a_thing_holds_no_name(text: str, names: list[str]) -> None:
    assert [text[e.start : e.end] for e in DETECTOR.analyze(text) if e.type == "PERSON"] == names


@pytest.mark.parametrize(
    "farm", ["Vestre Moen 10A", "Nedre Haug 6", "Søndre Berg 14", "Øvre Dahl 3"]
)
@pytest.mark.parametrize("label", ["Gateadresse: ", "Address: ", "Bor på "])
def test_a_farm_address_is_no_name(farm: str, label: str) -> None:
    text = f"{label}{farm}, 1710 Sarpsborg\nMelding: ring meg"
    entities = DETECTOR.analyze(text)
    assert not [e for e in entities if e.type == "PERSON"]
    assert any(e.type == "NO_ADDRESS" and text[e.start : e.end].startswith(farm) for e in entities)
