"""The analyzer as a whole: overlaps, offline use, Presidio interoperability."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine
from valid_ids import fnr

from detectors import ENTITY_TYPES, Detector, norwegian_recognizers, norwegian_registry
from detectors.nlp import LightNlpEngine


def test_every_design_type_has_a_recognizer() -> None:
    supported = {e for r in norwegian_recognizers() for e in r.supported_entities}
    assert supported == set(ENTITY_TYPES)


def test_one_entity_per_span(detector) -> None:
    number = fnr("150385")
    entities = detector.analyze(f"Fødselsnummer {number}")
    assert [(e.type, e.start, e.end) for e in entities] == [("NO_FODSELSNUMMER", 14, 25)]


def test_offsets_are_python_string_offsets(detector) -> None:
    text = "Æøå 😀 kari@example.no"
    [entity] = detector.analyze(text)
    assert text[entity.start : entity.end] == "kari@example.no"


def test_usable_by_any_presidio_user() -> None:
    engine = AnalyzerEngine(
        registry=norwegian_registry(), nlp_engine=LightNlpEngine(), supported_languages=["no"]
    )
    results = engine.analyze("Ring +47 912 34 567", language="no")
    assert [r.entity_type for r in results] == ["PHONE_NUMBER"]


def test_entity_filter() -> None:
    only_email = Detector(entities=["EMAIL_ADDRESS"])
    assert [e.type for e in only_email.analyze("kari@example.no +47 912 34 567")] == [
        "EMAIL_ADDRESS"
    ]


def test_empty_text(detector) -> None:
    assert detector.analyze("") == [] and detector.analyze("   ") == []
