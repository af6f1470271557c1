"""The analyzer as a whole: overlaps, offline use, Presidio interoperability."""

from __future__ import annotations

from glemsel.detectors import ENTITY_TYPES, Detector, norwegian_recognizers, norwegian_registry
from glemsel.detectors.nlp import LightNlpEngine
from presidio_analyzer import AnalyzerEngine
from valid_ids import fnr


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


def test_recognizers_load_from_presidio_yaml() -> None:
    from importlib.resources import files

    from presidio_analyzer.recognizer_registry import RecognizerRegistryProvider

    conf = files("glemsel.detectors").joinpath("data").joinpath("recognizers.yaml")
    registry = RecognizerRegistryProvider(conf_file=str(conf)).create_recognizer_registry()
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=LightNlpEngine(), supported_languages=["no"]
    )
    assert {r.name for r in registry.recognizers} == {r.name for r in norwegian_recognizers()}
    results = engine.analyze(f"Fødselsnummer {fnr('150385')}", language="no", score_threshold=0.5)
    assert [r.entity_type for r in results] == ["NO_FODSELSNUMMER"]


def test_fast_path_changes_no_result(detector) -> None:
    from bench.corpus import generate, long_mail

    slow = Detector(fast=False)
    texts = [d.text for d in generate(300, seed=99)] + [long_mail(12_000, seed=3)]
    for text in texts:
        assert detector.analyze(text) == slow.analyze(text)


def test_values_without_a_letter_skip_only_what_cannot_be_found(detector) -> None:
    """A value with no letter is not given to the recognizers of LETTERED types: the
    slow path, which runs every recognizer on every text, finds the same under any label."""
    slow = Detector(fast=False)
    labels = [None, "id", "Navn", "kunde.etternavn", "adresse", "reg.nr", "IBAN", "e-post"]
    values = [
        "4711",
        "91234567",
        "+47 912 34 567",
        "010190 12345",
        "12345678903",
        "1234.56.78903",
        "923 609 016",
        "10.0.0.1",
        "2026-01-01",
        "12 345,50",
        "-",
        "…",
    ]
    for label in labels:
        for value in values:
            assert detector.analyze(value, field=label) == slow.analyze(value, field=label)
    assert detector.analyze("91234567", field="mobil")[0].type == "PHONE_NUMBER"


def test_long_texts_are_chunked_without_losing_entities(detector) -> None:
    line = "Hilsen\nKari Nordmann\nTlf: +47 912 34 567\n"
    text = line * 400  # 16 KB: several chunks, cues and names across chunk edges
    entities = detector.analyze(text)
    assert len([e for e in entities if e.type == "PERSON"]) == 400
    assert len([e for e in entities if e.type == "PHONE_NUMBER"]) == 400
