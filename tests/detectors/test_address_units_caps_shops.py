"""Addresses (issue 14): a bolignummer after the house number belongs to the address, farm
addresses in capitals are found where the post town is in capitals, and a shop or fuel
chain before a postnummer is a pick-up point, not a farm."""

from __future__ import annotations

import pytest
from detected import addresses


@pytest.mark.parametrize("unit", ["H0201", "U0101", "L0302", "K0101", "leil. H0104"])
@pytest.mark.parametrize(
    "layout",
    [
        "Leveringsadresse: Fjellveien 3 {u}, 5019 Bergen",
        "Kunden bor i Nygata 14B, {u}, 0150 Oslo.",
        "Adresse: Storgata 12 {u}",
    ],
)
def test_a_bolignummer_is_part_of_the_address(unit: str, layout: str) -> None:
    text = layout.format(u=unit)
    found = addresses(text)
    assert len(found) == 1 and unit in found[0], found
    assert found[0].endswith(("Bergen", "Oslo", unit))


@pytest.mark.parametrize("text", ["Bygg 3 H0201 er ferdig", "Sak 12 U0101 lukket"])
def test_a_unit_code_without_a_street_is_no_address(text: str) -> None:
    assert addresses(text) == []


@pytest.mark.parametrize(
    "text, address",
    [
        ("NORDRE HAUGEN GÅRD, 2640 VINSTRA", "NORDRE HAUGEN GÅRD, 2640 VINSTRA"),
        ("ADRESSE: SOLBAKKEN, 3560 HEMSEDAL", "SOLBAKKEN, 3560 HEMSEDAL"),
        ("MOTTAKER: GNR 45 BNR 12, 2640 VINSTRA", "GNR 45 BNR 12, 2640 VINSTRA"),
    ],
)
def test_farm_addresses_in_capitals(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "KARI HAUGEN, 2640 VINSTRA",
        "FJELLHEIM ELEKTRO AS, 6800 FØRDE",
        "OSLO, 0150 OSLO",
        "Hentes på Rema, 2640 Vinstra",
        "Pakken ligger klar på Kiwi, 3560 Hemsedal",
        "Hent den hos Posten, 6800 Førde",
    ],
)
def test_names_firms_towns_and_shops_before_a_postnummer_are_no_farms(text: str) -> None:
    assert addresses(text) == []
