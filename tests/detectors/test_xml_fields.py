"""XML exports: an element's name is the field of its value, as a JSON key is."""

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
