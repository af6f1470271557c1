"""CSV rows with quoted cells (RFC 4180): a delimiter inside quotes separates no cells, so
the column header still names the cells after it."""

from __future__ import annotations

from glemsel.detectors.cues import Table


def test_a_quoted_cell_with_the_delimiter_keeps_the_columns(found) -> None:
    text = (
        "Name,Phone,Email\n"
        '"Hansen, Trine",98765432,trine.h@gmail.com\n'
        '"Ali, Mohammed",45678901,m.ali@outlook.com'
    )
    phones = [v for t, v in found(text) if t == "PHONE_NUMBER"]
    assert phones == ["98765432", "45678901"]
    start = text.index("98765432")
    assert Table(text).header(start, start + 8) == "Phone"


def test_quotes_in_the_header_and_doubled_quotes() -> None:
    text = 'Id;"Navn; fullt";Mobil\n1;"Per ""Pelle"" Olsen; jr";91234567\n'
    start = text.index("91234567")
    assert Table(text).header(start, start + 8) == "Mobil"
