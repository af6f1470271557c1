"""Meeting notes and bilingual sign-offs (issue 14: names in meeting speaker lines, first
names that are words in signatures): an unknown word that speaks among known speakers is a
name; "Med vennlig hilsen / Best regards" is one sign-off before the name."""

from __future__ import annotations

import pytest
from detected import persons


@pytest.mark.parametrize("unknown", ["Čeavrret", "Gáren", "Xiomara", "Thandeka"])
def test_an_unknown_speaker_among_known_ones(unknown: str) -> None:
    text = (
        "Referat styremøte\nKari: Vi starter.\nOle: Greit.\n"
        f"{unknown}: Jeg ringer leverandøren.\nAgenda: budsjett\nVedtak: godkjent\n"
    )
    assert persons(text) == ["Kari", "Ole", unknown]


def test_unknown_speakers_in_capitals_when_the_known_ones_are() -> None:
    text = "KARI: hei\nOLE: ja\nGÁREN: enig\nTODO: ring leverandøren\nOBS: frist fredag"
    assert persons(text) == ["KARI", "OLE", "GÁREN"]


def test_labels_are_no_speakers_without_known_ones() -> None:
    assert persons("Agenda: budsjett\nVedtak: godkjent\nXiomara: ok") == []


@pytest.mark.parametrize("name", ["Storm", "Siv", "Ask", "Even", "Gáren", "Áile", "Helge"])
@pytest.mark.parametrize(
    "signoff",
    ["Med vennlig hilsen / Best regards", "Vennleg helsing / Kind regards", "Mvh / Regards"],
)
def test_a_bilingual_signoff_is_one(name: str, signoff: str) -> None:
    text = f"Takk for svar, vi ser på saken.\n\n{signoff}\n{name}\n"
    assert persons(text) == [name]


@pytest.mark.parametrize("name", ["Storm", "Liv", "Dag", "Stein", "Siv", "Kari"])
@pytest.mark.parametrize(
    "template",
    [
        "Ring meg. // Hilsen {n}",
        "Ok – mvh {n}",
        "Det haster | Hilsen {n}",
        "{n} her, ringer om ordren.",
    ],
)
def test_signoffs_after_a_slash_or_dash_and_who_speaks(name: str, template: str) -> None:
    assert name in persons(template.format(n=name))


@pytest.mark.parametrize("text", ["Levering her, ikke der.", "Dag her er kort i desember."])
def test_her_after_a_word_is_no_introduction(text: str) -> None:
    assert persons(text) == []


@pytest.mark.parametrize("name", ["Tor Inge", "Tor", "Jan Erik", "Mai Linh"])
def test_a_speaker_after_the_time_is_no_date(name: str) -> None:
    text = f"11:42 kunde: hei\n11:43 {name}: Hei! Hva kan jeg hjelpe med?"
    assert name in persons(text)


@pytest.mark.parametrize("text", ["Sun, 8 Mar 2026", "møte 26 Jan kl 10", "Dec  1 10:00:01 host"])
def test_dates_stay_dates(text: str) -> None:
    assert persons(text) == []


def test_a_name_that_opens_a_line_after_a_number_is_no_date() -> None:
    text = (
        "Navn\tRolle\tTelefon\nMáhtte Bongo\tØkonomi\t415 29 198\n"
        "JAN ERIK PHAM\tStyreleder\t41529198"
    )
    assert "JAN ERIK PHAM" in persons(text)


def test_a_surname_that_speaks_among_known_speakers() -> None:
    text = "Lucas: Vi starter.\nAnne: Greit.\nSivakumar: Vi må avklare budsjettet.\n"
    assert persons(text) == ["Lucas", "Anne", "Sivakumar"]
