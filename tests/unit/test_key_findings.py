"""Issue 9, item 9: JSON object keys are scanned like values; stored field paths are made of
keys without personal data; a finding in a key is redacted (the key renamed) and read back."""

from __future__ import annotations

import re

from glemsel.detectors import Entity
from glemsel.pipeline.core.findings import KEY_MARK, Finding, key_is_plain
from glemsel.pipeline.core.identifiers import Hasher
from glemsel.pipeline.core.redact import Anonymiser, redact_fields, redact_spans, span_text
from glemsel.pipeline.flow.scan import Scanner

HASH = Hasher(b"k" * 32)
KARI_EMAIL = "kari.nordmann@example.no"
OLA_EMAIL = "ola.hansen@firma.no"
FNR = "15038512363"


class RegexDetector:
    """A stand-in for the real detector: e-mail addresses and 11-digit numbers, exactly."""

    PATTERNS = [
        ("EMAIL_ADDRESS", re.compile(r"[\w.]+@[\w.]+\.\w+")),
        ("NO_FODSELSNUMMER", re.compile(r"\b\d{11}\b")),
    ]

    def __init__(self) -> None:
        self.texts: list[str] = []

    def analyze(self, text: str, field: str | None = None) -> list[Entity]:
        self.texts.append(text)
        return [
            Entity(etype, m.start(), m.end(), 0.9)
            for etype, pattern in self.PATTERNS
            for m in pattern.finditer(text)
        ]


def _scan(data: dict, detector: RegexDetector | None = None) -> list[Finding]:
    return Scanner(detector or RegexDetector(), HASH).scan("meet", "meeting", "1", data)  # type: ignore[arg-type]


def record() -> dict:
    return {
        "title": "Styremøte",
        "participants": {
            KARI_EMAIL: {"rolle": "leder", "notat": f"ring {FNR}"},
            OLA_EMAIL: {"rolle": "sekretær"},
        },
    }


def test_a_key_is_scanned_and_its_path_is_masked() -> None:
    found = _scan(record())
    keys = [f for f in found if f.in_key]
    assert {f.hash for f in keys} == {
        HASH("EMAIL_ADDRESS", KARI_EMAIL),
        HASH("EMAIL_ADDRESS", OLA_EMAIL),
    }
    for f in found:
        assert KARI_EMAIL not in f.field and OLA_EMAIL not in f.field
        assert "kari" not in repr(f), "the raw path is never shown"
    kari_key = next(f for f in keys if f.hash == HASH("EMAIL_ADDRESS", KARI_EMAIL))
    assert re.fullmatch(r"participants\.\[KEY:EMAIL_ADDRESS:[0-9a-f]{8}\]\.\[key\]", kari_key.field)
    assert (kari_key.start, kari_key.end) == (0, len(KARI_EMAIL))
    # The value below the key has the key's masked segment in its path.
    [fnr] = [f for f in found if f.entity_type == "NO_FODSELSNUMMER"]
    entry = kari_key.field.removesuffix("." + KEY_MARK)
    assert fnr.field == f"{entry}.notat"


def test_paths_are_deterministic_and_keep_two_keys_apart() -> None:
    first, second = _scan(record()), _scan(record())
    assert [f.field for f in first] == [f.field for f in second]
    keys = {f.field for f in first if f.in_key}
    assert len(keys) == 2, "Kari's and Ola's keys are two different segments"
    other_key = Hasher(b"x" * 32)
    third = Scanner(RegexDetector(), other_key).scan("meet", "meeting", "1", record())  # type: ignore[arg-type]
    assert {f.field for f in third if f.in_key} != keys, "the segment is a keyed hash"


def test_a_record_with_identifiers_only_in_keys_has_findings() -> None:
    found = _scan({"attendance": {FNR: True}})
    assert [(f.entity_type, f.hash) for f in found] == [
        ("NO_FODSELSNUMMER", HASH("NO_FODSELSNUMMER", FNR))
    ]


def test_keys_that_look_like_identifiers_are_masked_without_a_finding() -> None:
    data = {
        "contacts": {
            "91234567": {"note": f"fnr {FNR}"},  # a phone number no detector found here
            "kari.nordmann": {"note": f"fnr {FNR}"},  # a user name, and a dot in a path
            "Kari Nordmann": {"note": f"fnr {FNR}"},  # a name nobody made known
            "rolle": {"note": f"fnr {FNR}"},
        }
    }
    fields = sorted(f.field for f in _scan(data))
    assert len(fields) == 4 and not any(f.in_key for f in _scan(data))
    assert "contacts.rolle.note" in fields
    masked = [f for f in fields if f != "contacts.rolle.note"]
    assert all(re.fullmatch(r"contacts\.\[KEY:[0-9a-f]{8}\]\.note", f) for f in masked), masked
    assert key_is_plain("created_at") and key_is_plain("attachment:cv.pdf", top=True)
    assert not key_is_plain("a.b") and not key_is_plain(KARI_EMAIL)
    assert key_is_plain("[SLETTET:EMAIL_ADDRESS]") and not key_is_plain("[key]")


def test_field_names_are_not_sent_to_the_detector() -> None:
    detector = RegexDetector()
    _scan({"title": "x", "created_at": "y", "Kunde Navn": "z"}, detector)
    assert "title" not in detector.texts and "created_at" not in detector.texts
    assert "Kunde Navn" in detector.texts, "a key that is not a field name is scanned"


def test_redaction_renames_the_subjects_key_and_keeps_the_rest() -> None:
    data = record()
    found = _scan(data)
    kari = HASH("EMAIL_ADDRESS", KARI_EMAIL)
    hits = [f for f in found if f.hash in {kari, HASH("NO_FODSELSNUMMER", FNR)}]
    changes = redact_spans(data, hits)
    assert set(changes) == {"participants"}
    assert changes["participants"] == {
        "[SLETTET:EMAIL_ADDRESS]": {"rolle": "leder", "notat": "ring [SLETTET:NO_FODSELSNUMMER]"},
        OLA_EMAIL: {"rolle": "sekretær"},
    }
    assert list(changes["participants"]) == ["[SLETTET:EMAIL_ADDRESS]", OLA_EMAIL], "order kept"
    assert data == record(), "the input is not changed"
    # Read back: nothing of Kari's is found, Ola's key still is.
    after = {**data, **changes}
    again = _scan(after)
    assert kari not in {f.hash for f in again}
    assert HASH("EMAIL_ADDRESS", OLA_EMAIL) in {f.hash for f in again}
    [ola] = [f for f in again if f.in_key]
    assert span_text(after, ola) == OLA_EMAIL


def test_two_keys_that_become_one_placeholder_keep_both_values() -> None:
    data = {"p": {KARI_EMAIL: 1, "kari@privat.no": 2}}
    changes = redact_spans(data, _scan(data))
    assert changes["p"] == {"[SLETTET:EMAIL_ADDRESS]": 1, "[SLETTET:EMAIL_ADDRESS] #2": 2}
    assert _scan(changes) == [], "our own placeholders are neither found nor masked"


def test_pseudonym_strategy_and_whole_field_redaction_of_a_key() -> None:
    data = record()
    hits = [f for f in _scan(data) if f.in_key and f.hash == HASH("EMAIL_ADDRESS", KARI_EMAIL)]
    pseudo = redact_spans(data, hits, Anonymiser({"EMAIL_ADDRESS": "hmac"}, HASH.pseudonym))
    [new_key] = [k for k in pseudo["participants"] if k != OLA_EMAIL]
    assert re.fullmatch(r"\[PSEUDONYM:EMAIL_ADDRESS:[0-9a-f]{16}\]", new_key)
    whole = redact_fields(data, {f.field for f in hits}, hits)
    assert list(whole["participants"]) == ["[SLETTET]", OLA_EMAIL]


def test_a_key_finding_from_the_index_has_no_raw_path_and_changes_nothing() -> None:
    data = record()
    [stored] = [
        Finding(
            f.system,
            f.record_type,
            f.record_id,
            f.field,
            f.start,
            f.end,
            f.entity_type,
            f.score,
            f.preview,
            f.hash,
        )
        for f in _scan(data)
        if f.in_key and f.hash == HASH("EMAIL_ADDRESS", KARI_EMAIL)
    ]
    assert stored.path is None and span_text(data, stored) is None
    assert redact_spans(data, [stored]) == {}


def test_values_below_a_masked_key_are_rectified_by_their_raw_path() -> None:
    from glemsel.pipeline.flow.rectify import replace_spans

    data = {"contacts": {"Kari Nordmann": {"epost": KARI_EMAIL}}}
    [f] = _scan(data)
    assert f.field.startswith("contacts.[KEY:") and "Kari" not in f.field
    changes = replace_spans(data, [(f, "kari@ny.no")])
    assert changes == {"contacts": {"Kari Nordmann": {"epost": "kari@ny.no"}}}


def test_mention_passages_name_the_stored_field() -> None:
    from glemsel.pipeline.flow.export import mention_passages

    data = {"notes": {"Ola Hansen": f"Kari ringte, fnr {FNR}"}}
    found = _scan(data)
    passages = mention_passages(data, found, {HASH("NO_FODSELSNUMMER", FNR)}, set())
    assert passages and all("Ola" not in p["field"] for p in passages)
    assert passages[0]["field"] == found[0].field
