"""A listed surname alone is a name where the text says so (issue 14, names alone): after the
full name in the same text, or before a verb of speech or contact. Sami and Vietnamese given
names alone, and sentence-initial function words before a surname ("Ifølge Hansen")."""

from __future__ import annotations

import pytest
from detected import persons
from glemsel.detectors import get_detector

DETECTOR = get_detector()
SURNAMES = ["Solheim", "Johansen", "Kristiansen", "Nguyen", "Haugland", "Mikkelsen", "Rasmussen"]
GIVEN = ["Kari", "Arne", "Linh", "Sigrid"]


@pytest.mark.parametrize("surname", SURNAMES)
@pytest.mark.parametrize(
    "template",
    [
        "{first} {last} ringte i går. {last} ville ha svar på fakturaen.",
        "Møte med {first} {last}.\n\n{last} lovet å sende kontrakten.",
        "Kunde: {first} {last}\nNotat: {last}s sak er sendt videre.",
    ],
)
def test_a_surname_found_in_full_is_a_name_alone_later(surname: str, template: str) -> None:
    first = GIVEN[len(surname) % len(GIVEN)]
    text = template.format(first=first, last=surname)
    found = persons(text)
    assert f"{first} {surname}" in found
    alone = text.rindex(surname)
    assert any(e.type == "PERSON" and e.start == alone for e in DETECTOR.analyze(text)), found


@pytest.mark.parametrize("surname", SURNAMES)
@pytest.mark.parametrize(
    "template",
    [
        "{last} sa at han ville vente til mandag.",
        "I går har {last} ringt tre ganger.",
        "{last} skreiv til oss om fakturaen.",
        "Ifølge {last} er beløpet betalt.",
        "As agreed, {last} confirmed the order.",
    ],
)
def test_a_surname_before_a_verb_of_speech_is_a_name(surname: str, template: str) -> None:
    assert surname in persons(template.format(last=surname))


@pytest.mark.parametrize(
    "text",
    [
        "Berg sa opp avtalen.",  # a surname that is also a word or place: not alone
        "Vi bor på Solheim og har hytte i Tveit.",  # places, no verb, no full name
        "Johansen Bygg AS sendte faktura.",  # a company
        "Mikkelsen Transport sa opp leien.",  # a capitalised run, not a lone surname
        "Tveit sa at veien er stengt.",  # a surname that is a place word: not alone
    ],
)
def test_lone_surnames_need_their_evidence(text: str) -> None:
    assert persons(text) == []


@pytest.mark.parametrize(
    "name", ["Áilu", "Mihkkal", "Ásllat", "Sárá", "Iŋgá", "Hằng", "Trâm", "Nghĩa", "Tường"]
)
@pytest.mark.parametrize(
    "template", ["{n} ringte i dag om fakturaen.", "Søkeren {n} har sendt CV.", "Mvh\n{n}"]
)
def test_sami_and_vietnamese_given_names_alone(name: str, template: str) -> None:
    assert name in persons(template.format(n=name))


@pytest.mark.parametrize("word", ["hang", "tram", "tin"])
def test_the_ascii_word_of_a_vietnamese_name_stays_a_word(word: str) -> None:
    assert persons(f"{word.capitalize()} on, the {word} is here.") == []
