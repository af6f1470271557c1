from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kunden Kari Nordmann ringte i dag", "Kari Nordmann"),
        ("Med vennlig hilsen\nAnne-Marit Lie", "Anne-Marit Lie"),
        ("Møte med Jan Erik Berg om saken", "Jan Erik Berg"),
        ("Kontaktperson: Mohammed Ali", "Mohammed Ali"),
        ("Fatima Hussain har sendt søknad", "Fatima Hussain"),
        ("Hei Kari, takk for sist", "Kari"),
        ("hei, det er kari her", "kari"),
    ],
)
def test_names(found, text: str, name: str) -> None:
    assert name in [m for t, m in found(text) if t == "PERSON"]


@pytest.mark.parametrize(
    "text",
    [
        "Det koster 200 kr per dag.",
        "Liv og helse er viktig.",
        "Vi tok en tur i Berg i helgen.",
        "Strand og bad hele dagen.",
        "Per i dag har vi ingen saker.",
        "Tor ble stengt på grunn av været.",
    ],
)
def test_words_that_are_also_names(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "PERSON"] == []


def test_context_word_raises_the_score(detector) -> None:
    bare = [e for e in detector.analyze("Kari kommer i morgen.") if e.type == "PERSON"]
    greeted = [e for e in detector.analyze("Hei Kari, kommer du?") if e.type == "PERSON"]
    assert not bare, "a lone first name without context stays below the threshold"
    assert greeted and greeted[0].score >= 0.5
