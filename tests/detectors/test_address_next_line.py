"""The postnummer and post town on the line after the street (issue 14, addresses; a
letter's and a signature's layout) belong to the address; other numbers on the next line
do not."""

from __future__ import annotations

import pytest
from detected import addresses


@pytest.mark.parametrize("street", ["Kongens gate 5", "Fjellvegen 3 A", "Brattliveien 14B"])
@pytest.mark.parametrize("town", ["0153 Oslo", "6800 Førde", "3010 DRAMMEN", "1410 Kolbotn"])
@pytest.mark.parametrize("layout", ["Adresse: {s}\n{t}\n", "Mvh\nKari Hansen\n{s},\n{t}"])
def test_the_town_on_the_next_line_is_part_of_the_address(
    street: str, town: str, layout: str
) -> None:
    text = layout.format(s=street, t=town)
    found = addresses(text)
    assert len(found) == 1 and found[0].startswith(street) and found[0].endswith(town)


@pytest.mark.parametrize(
    "text",
    [
        "Adresse: Kongens gate 5\n0150 stk levert i dag",
        "Adresse: Kongens gate 5\n1234 Oslo er feil, riktig er 0153",
    ],
)
def test_a_number_on_the_next_line_that_is_no_town_stays_out(text: str) -> None:
    assert addresses(text) == ["Kongens gate 5"]
