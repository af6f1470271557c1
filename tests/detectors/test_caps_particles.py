"""Names with particles in capitals (issue 14: ALL-CAPS names in CSV exports and bank-transfer
texts, names with particles cut short): the particles and the surname after a known name in
capitals, or in a field that holds a name."""

from __future__ import annotations

import pytest
from detected import persons

SURNAMES = ["VON DER LIPPE", "VAN DEN BERG", "DE LA CRUZ", "DA SILVA", "VAN DIJK"]


@pytest.mark.parametrize("surname", SURNAMES)
@pytest.mark.parametrize("first", ["MATTEO", "INGRID", "ANA"])
@pytest.mark.parametrize(
    "template",
    [
        "Dato;Tekst;Beløp\n22.05.2026;GIRO {first} {last};6497,67",
        "Navn: {first} {last}",
        "OVERFØRING TIL {first} {last} MELDING HUSLEIE",
    ],
)
def test_particles_in_capitals_after_a_known_name(first: str, surname: str, template: str) -> None:
    assert f"{first} {surname}" in persons(template.format(first=first, last=surname))


@pytest.mark.parametrize("surname", SURNAMES)
@pytest.mark.parametrize("layout", ["Fornavn;Etternavn\nAna;{last}", 'Etternavn: "{last}"'])
def test_a_particle_led_surname_in_capitals_fills_its_field(surname: str, layout: str) -> None:
    assert surname in persons(layout.format(last=surname))


@pytest.mark.parametrize(
    "text", ["DE SKAL BETALE INNEN FREDAG", "VAN OG BIL TIL LEIE", "DA ER DET GREIT"]
)
def test_particles_in_capitals_alone_are_no_names(text: str) -> None:
    assert persons(text) == []
