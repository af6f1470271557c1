"""Known names: looked up by a record's own candidate names, never loaded whole, and seen by
every worker that shares the index."""

from __future__ import annotations

from pathlib import Path

from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.flow.scan import KnownNames, Scanner
from glemsel.pipeline.stores.index_sqlite import SqliteSubjectIndex

KEY = b"k" * 32


class NoDetector:
    """A fake detector that finds nothing: only known names can be found."""

    def analyze(self, text: str, field: str | None = None) -> list:
        return []


class CountingIndex:
    """Wraps the real SQLite index and records what the scanner asks of it."""

    def __init__(self, index: SqliteSubjectIndex) -> None:
        self.index = index
        self.asked: list[set[str]] = []

    def known_names_among(self, hashes: set[str]) -> set[str]:
        self.asked.append(set(hashes))
        return self.index.known_names_among(hashes)


def test_a_name_linked_by_one_worker_is_found_by_another(tmp_path: Path) -> None:
    hasher = Hasher(KEY)
    index = SqliteSubjectIndex(tmp_path / "index.db")
    other = CountingIndex(index)
    scanner = Scanner(NoDetector(), hasher, KnownNames(other.known_names_among))  # type: ignore[arg-type]
    text = {"body": "Saken gjelder Zlatana Øvrebø-Kvam i Tromsø"}
    assert scanner.scan("support", "ticket", "1", text) == []
    # Another worker links the name from an identity record; this scanner is not told.
    index.link_identity(
        {
            hasher("PERSON", "Zlatana Øvrebø-Kvam"): "PERSON",
            hasher("EMAIL_ADDRESS", "z@k.no"): "EMAIL_ADDRESS",
        }
    )
    assert scanner.scan("support", "ticket", "1", text) == []  # same batch: unknown, cached
    scanner.known_names.new_batch()
    found = scanner.scan("support", "ticket", "1", text)
    assert [(f.entity_type, text["body"][f.start : f.end]) for f in found] == [
        ("PERSON", "Zlatana Øvrebø-Kvam")
    ]
    # Each lookup named only this record's candidates, and a known name is not asked again.
    assert all(len(asked) <= 3 for asked in other.asked)
    scanner.known_names.new_batch()
    before = len(other.asked)
    scanner.scan("support", "ticket", "2", {"body": "Zlatana Øvrebø-Kvam igjen"})
    assert len(other.asked) == before


def test_lookup_cost_does_not_depend_on_how_many_names_are_known(tmp_path: Path) -> None:
    hasher = Hasher(KEY)
    index = SqliteSubjectIndex(tmp_path / "index.db")
    for i in range(2000):
        index.link_identity(
            {
                hasher("PERSON", f"Navn{_letters(i)} Etternavn"): "PERSON",
                hasher("EMAIL_ADDRESS", f"n{i}@x.no"): "EMAIL_ADDRESS",
            }
        )
    counting = CountingIndex(index)
    scanner = Scanner(NoDetector(), hasher, KnownNames(counting.known_names_among))  # type: ignore[arg-type]
    found = scanner.scan("chat", "message", "1", {"text": f"hei fra Navn{_letters(7)} Etternavn"})
    assert [f.entity_type for f in found] == ["PERSON"]
    assert sum(len(a) for a in counting.asked) == 1  # its one candidate, not 2,000 names


def _letters(n: int) -> str:
    return "".join("abcdefghij"[int(d)] for d in str(n))
