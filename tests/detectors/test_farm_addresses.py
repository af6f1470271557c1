"""NO_ADDRESS: farm and place addresses, a name and a postnummer with no street or house number."""

from __future__ import annotations

import re

import pytest


def _addresses(found, text: str) -> list[str]:
    return [s for t, s in found(text) if t == "NO_ADDRESS"]


@pytest.mark.parametrize(
    "text, address",
    [
        # issue 14, held-out corpus
        ("Adresse: Nordre Haugen gård, 2640 Vinstra", "Nordre Haugen gård, 2640 Vinstra"),
        ("Jeg bor på Haugen gård, 2640 Vinstra.", "Haugen gård, 2640 Vinstra"),
        ("Leveres til Øvre Bakke, 6856 Sogndal", "Øvre Bakke, 6856 Sogndal"),
        ("Adresse: Solbakken, 3560 Hemsedal", "Solbakken, 3560 Hemsedal"),
        ("Adresse: Gnr 45 Bnr 12, 2640 Vinstra", "Gnr 45 Bnr 12, 2640 Vinstra"),
        # other farms, place names, prefixes and farm words
        ("Postadresse: Søndre Lia, 2670 Otta", "Søndre Lia, 2670 Otta"),
        ("Vi bor på Store Ødegård, 2100 Skarnes nå", "Store Ødegård, 2100 Skarnes"),
        ("Kunden holder til på Myrvoll tun, 7320 Fannrem", "Myrvoll tun, 7320 Fannrem"),
        ("Kjører til Nedre Kvam seter 2686 Lom i helga", "Nedre Kvam seter 2686 Lom"),
        ("Ny eier av Haugsetra, 2686 Lom", "Haugsetra, 2686 Lom"),
        ("Sendes til Vestre Lunde gard, 3870 Fyresdal", "Vestre Lunde gard, 3870 Fyresdal"),
        ("Bosted: Lille Tveit, 4720 HÆGELAND", "Lille Tveit, 4720 HÆGELAND"),
        ("Adresse: Solbakken 3560 Hemsedal", "Solbakken 3560 Hemsedal"),
        ("Haugen gård 2640 Vinstra", "Haugen gård 2640 Vinstra"),
        ("Navn: Kari Nordmann | Haugen gård 2640 Vinstra", "Haugen gård 2640 Vinstra"),
        ("Kari Nordmann;22334455;Bjørnstad gård, 1540 Vestby", "Bjørnstad gård, 1540 Vestby"),
        # nynorsk and lowercase cues
        ("kunde: bur på Nedre Lien, 6868 Gaupne", "Nedre Lien, 6868 Gaupne"),
        ("Eg bur på Øvre Årdal gard, 6884 Øvre Årdal", "Øvre Årdal gard, 6884 Øvre Årdal"),
        ("Adressa mi er Hauge, 6863 Leikanger", "Hauge, 6863 Leikanger"),
        # an address cue on the line before
        ("Adresse:\nNordre Haugen, 2640 Vinstra", "Nordre Haugen, 2640 Vinstra"),
        # a column headed for addresses
        (
            "Navn;Adresse;Tlf\nKari Nordmann;Solbakken, 3560 Hemsedal;912 34 567",
            "Solbakken, 3560 Hemsedal",
        ),
        # gårdsnummer and bruksnummer
        ("Eiendommen gnr. 45, bnr. 12, 2640 Vinstra selges", "gnr. 45, bnr. 12, 2640 Vinstra"),
        ("Matrikkel: gbnr 12/3, 6856 Sogndal", "gbnr 12/3, 6856 Sogndal"),
    ],
)
def test_farm_addresses(found, text: str, address: str) -> None:
    assert address in _addresses(found, text)


@pytest.mark.parametrize(
    "text",
    [
        # no evidence: a town, a name, a company in a signature
        "Takk, Hansen, 2640 kroner",
        "Oslo, 0150 Oslo er sentrum",
        "Fjellheim Elektro AS, 6800 Førde",
        "Sendes til Fjellheim Elektro AS, 6800 Førde",
        "Hilsen Kari Haugen, 2640 Vinstra",
        "Hilsen\nKari Nordgården, 2640 Vinstra",
        "Møte i Lillehammer, 2609 Lillehammer neste uke",
        "Jeg bor i Bergen, 5003 Bergen sentrum",
        "Navn;Firma;Tlf\nKari Nordmann;Solbakken, 3560 Hemsedal;912 34 567",
        # invoice lines, rooms, times, product codes
        "Faktura 2024, 2640 kr totalt",
        "Sum: Varer, 2640 Kr",
        "Rom 3, 2. etg",
        "Kl 14, 2640 deltakere",
        "Modell XR 2000 Pro",
        "Art.nr. SKU-4411 2640 Stk",
        "Ordre 5521, 2640 Vinstra",
        "Lager 12, 2640 Vinstra",
        "bor på gården, 2640 Vinstra",
        "Haugen gård 2024 Totalt",
        "Rapport 2024 Haugen gård 2025 Plan",
        "bor på Gjøvik 2815 Gjøvik",
    ],
)
def test_farm_address_look_alikes(found, text: str) -> None:
    assert _addresses(found, text) == []


def test_street_addresses_keep_their_spans(found) -> None:
    assert _addresses(found, "Adresse: Storgata 12B, 0155 Oslo") == ["Storgata 12B, 0155 Oslo"]
    assert _addresses(found, "Leveres til Liavegen 8, 2640 Vinstra") == ["Liavegen 8, 2640 Vinstra"]


def test_prefilter_is_a_necessary_condition() -> None:
    """Every farm address ends in a postnummer the engine's pre-filter finds."""
    from glemsel.detectors.engine import PREFILTERS
    from glemsel.detectors.no_address_recognizer import NoAddressRecognizer

    recognizer = NoAddressRecognizer()
    texts = [
        "Adresse: Solbakken, 3560 Hemsedal",
        "Adresse: Solbakken,3560 Hemsedal",
        "Bor på Haugen gård, 0150 Oslo",
        "Adresse: Gnr 45 Bnr 12, 2640 Vinstra",
        "Leveres til Øvre Bakke 6856 Sogndal",
    ]
    prefilter: re.Pattern[str] = PREFILTERS["NO_ADDRESS"]
    for text in texts:
        assert recognizer.analyze(text, ["NO_ADDRESS"])
        for r in recognizer.analyze(text, ["NO_ADDRESS"]):
            assert prefilter.search(text, r.start, r.end)


def test_farm_search_stays_linear_on_long_lines() -> None:
    import time

    from glemsel.detectors.no_address_recognizer import NoAddressRecognizer

    recognizer = NoAddressRecognizer()
    texts = [
        "Haugen, 2640 Vinstra " * 2500,
        "Haugen " * 8000 + ", 2640 Vinstra",
        "adresse " * 6000 + "Haugen, 2640 Vinstra",
        "gnr 1 bnr 2 " * 4000 + ", 2640 Vinstra",
        ", 2640 V" * 6000,
    ]
    for text in texts:
        started = time.perf_counter()
        recognizer.analyze(text, ["NO_ADDRESS"])
        assert time.perf_counter() - started < 1.0


def test_fast_path_finds_the_farm_addresses_too(detector) -> None:
    """The fast path's pre-filter lets every farm address through: same results as slow."""
    from glemsel.detectors import Detector

    slow = Detector(fast=False)
    texts = [
        "Adresse: Solbakken, 3560 Hemsedal",
        "Jeg bor på Haugen gård, 0150 Oslo.",
        "Leveres til Øvre Bakke 6856 Sogndal",
        "Adresse: Gnr 45 Bnr 12, 2640 Vinstra",
        "Hilsen\nKari Haugen\nFjellheim Elektro AS, 6800 Førde\nTlf 912 34 567",
    ]
    for text in texts:
        assert detector.analyze(text) == slow.analyze(text)
