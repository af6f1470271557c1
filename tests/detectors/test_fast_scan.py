"""The fast path's shortcuts are exact: each skips only work that cannot find anything."""

from __future__ import annotations

import random
import re

import pytest
from glemsel.detectors import norwegian_recognizers
from glemsel.detectors.no_pattern_recognizer import NoPatternRecognizer

from bench.adversarial import UNITS, adversarial
from bench.corpus import generate, long_mail

# Digits the `regex` module knows and Python's own Unicode (re, str.isdigit) does not.
_NEWER_DIGITS = [chr(c) for c in (0x10D40, 0x11F50, 0x11F59, 0x16130, 0x1E4F0, 0x1E4F9)]


def _newer_digits(text: str, rng: random.Random) -> str:
    return "".join(
        rng.choice(_NEWER_DIGITS) if c.isdigit() and rng.random() < 0.3 else c for c in text
    )


_CORPUS = [d.text for d in generate(400, seed=41)]
TEXTS = (
    _CORPUS
    + [long_mail(8_000, seed=5), long_mail(30_000, seed=6)]
    + [adversarial(name, 3_000) for name in UNITS]
    + ["+47 912 34 567, (+47) 91234567, 0047 22334455, +46 70 123 45 67", "a@b.no x@y.z"]
    + ["a@b@c.no d@e.no@f.no, g@@h.no <i@j.no>(k@l.no) m@n.no\u00a0o@p.no q@r.s.no@t.no"]
    + [_newer_digits(t, random.Random(i)) for i, t in enumerate(_CORPUS[:150])]
    + ["2" + _NEWER_DIGITS[1] * 7 + " " + _NEWER_DIGITS[4] * 11 + " 12 34 56 7" + _NEWER_DIGITS[0]]
)
PATTERN_RECOGNIZERS = [r for r in norwegian_recognizers() if isinstance(r, NoPatternRecognizer)]


@pytest.mark.parametrize("recognizer", PATTERN_RECOGNIZERS, ids=lambda r: r.name)
def test_scans_from_the_start_find_every_match(recognizer: NoPatternRecognizer) -> None:
    checked = 0
    for (pattern, compiled, _needs, core), skips in zip(
        recognizer._compiled, recognizer._skips, strict=True
    ):
        for text in TEXTS:
            everywhere = [m.span() for m in compiled.finditer(text)]
            start = recognizer.scan_start(text, pattern.name, core)
            scanned = [m.span() for m in compiled.finditer(text, start)] if start >= 0 else []
            assert scanned == everywhere, (pattern.name, text[:80])
            if skips:
                # tried only where scan_start lets a match start, after each match
                skipping = recognizer._skipping(text, pattern.name, compiled, core, max(start, 0))
                assert [m.span() for m in skipping] == everywhere, (pattern.name, text[:80])
            if core is not None:
                # the core matches wherever a match starts
                assert all(core.match(text, s) for s, _ in everywhere), pattern.name
            checked += len(everywhere)
    assert checked > 0


def test_a_core_digit_is_every_digit_of_the_regex_module() -> None:
    import regex
    from glemsel.detectors.no_pattern_recognizer import CORE_DIGIT

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    digits = "".join(regex.findall(r"\d", every))
    assert len(digits) > 600
    assert re.fullmatch(CORE_DIGIT + "*", digits)


def test_the_skipping_scan_hands_over_after_an_empty_match() -> None:
    import regex

    phone = next(r for r in PATTERN_RECOGNIZERS if r.name == "NoPhoneRecognizer")
    compiled = regex.compile(r"\d*")
    core = re.compile(r"\d|(?=x)")
    for text in ("12x34", "x", "1x", "", "a1b22c", "xx1"):
        found = [m.span() for m in phone._skipping(text, "-", compiled, core, 0)]
        assert found == [m.span() for m in compiled.finditer(text)], text


def test_cores_need_the_flags_they_were_written_for() -> None:
    phone = next(r for r in PATTERN_RECOGNIZERS if r.name == "NoPhoneRecognizer")
    assert any(core is not None for *_, core in phone._compiled) and any(phone._skips)
    loose = type(phone)(global_regex_flags=re.IGNORECASE | re.MULTILINE)
    assert all(core is None for *_, core in loose._compiled) and not any(loose._skips)
    text = "+47 912 34 567 og 0047 22334455"
    assert [(r.start, r.end) for r in loose.matches(text)] == [
        (r.start, r.end) for r in phone.matches(text)
    ]


def test_skipping_patterns_are_the_sparse_ones() -> None:
    skipping = {
        (r.name, p.name)
        for r in PATTERN_RECOGNIZERS
        for (p, *_), skips in zip(r._compiled, r._skips, strict=True)
        if skips
    }
    assert ("NoEmailRecognizer", "e-mail") in skipping
    assert ("NoPhoneRecognizer", "+47 number") in skipping
    assert ("NoPhoneRecognizer", "8 digits") not in skipping


def test_cores_hold_only_for_the_own_patterns() -> None:
    phone = next(r for r in PATTERN_RECOGNIZERS if r.name == "NoPhoneRecognizer")
    assert any(core is not None for *_, core in phone._compiled)
    custom = type(phone)(patterns=phone.patterns)
    assert all(core is None for *_, core in custom._compiled)


def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def test_fast_forms_of_the_name_cues_match_as_their_plain_forms() -> None:
    from glemsel.detectors import name_cues as c
    from glemsel.detectors.no_address_recognizer import _NUMBER
    from glemsel.detectors.no_license_plate_recognizer import _PLATE

    plain = {
        # the written-out forms these patterns had before they were made fast
        c.PRODUCT: re.compile(r"[^\W\d_][\w.-]*/\d[\w.]*"),
        c.LABEL: re.compile(
            c.LABEL.pattern.replace(c.by_first_letter(c._LABELS), c._LABELS), c.LABEL.flags
        ),
        c.KV: re.compile(r"(?<![\w.\"-])(?P<key>[A-Za-z_][\w.-]{0,40})=[\"']?(?=[^\W\d_])"),
        _NUMBER: re.compile(
            r"(?:(?<=[^\W\d_])|(?<=\.)) [1-9]\d{0,3}(?:-[1-9]\d{0,3})?(?:[A-Za-z]| [A-Ha-h])?"
            r"(?![\w-])"
        ),
        _PLATE: re.compile(
            r"(?<![\w-])(?:[A-HJ-LNPR-Z]{2}|[a-hj-lnpr-z]{2})[ -]?[1-9]\d{3,4}"
            + _PLATE.pattern.split(r"[1-9]\d{3,4}", 1)[1]
        ),
    }
    anchored = {c.SIGNOFF_AT: c.SIGNOFF, c.SIGNOFF_NEXT_LINE_AT: c.SIGNOFF_NEXT_LINE}
    anchored[c.DASH_SIGN_AT] = c.DASH_SIGN
    texts = TEXTS + ["Mvh\nHilsen\nKari", "Takk!\nTakk!\nKari", "- Liv\n– Per", "ok. Mvh Kari"]
    # the anchors' leads: case, the Kelvin sign (a "k" ignoring case), quote marks, blanks
    texts += ["x\n\u212aind regards\nKari", "ok! \t> \tHILSEN Kari\n>\t— Liv", "x\n\tTAKK\nPer"]
    found = 0
    for text in texts:
        for fast, slow in plain.items():
            assert _spans(fast.finditer(text)) == _spans(slow.finditer(text)), slow.pattern
        for fast_at, slow in anchored.items():
            spans = [m.span() for m in slow.finditer(text)]
            assert [m.span() for m in fast_at.finditer(text)] == spans, slow.pattern
            found += len(spans)
    assert found > 100


def test_texts_without_a_character_to_normalise_are_left_as_they_are() -> None:
    from glemsel.detectors.engine import _CHANGED, _DIGITS, normalised

    changed = [c for c in range(0x80, 0x110000) if _DIGITS[c] != c]
    assert len(changed) > 500  # the digits of many scripts, the fullwidth forms
    assert all(_CHANGED.fullmatch(chr(c)) for c in changed)
    assert sum(1 for c in range(0x80, 0x110000) if _CHANGED.fullmatch(chr(c))) == len(changed)
    assert normalised("Tlf ９１２３４５６７, ٣") == "Tlf 91234567, 3"
    # texts of Latin-1 are taken as they are without a scan: none of its characters changes
    assert not any(_CHANGED.search(chr(c)) or _DIGITS[c] != c for c in range(0x80, 0x100))
    assert normalised("Øyvind, ring ９１２３４５６７ ½ ²") == "Øyvind, ring 91234567 ½ ²"


def test_duplicates_are_removed_as_presidio_removes_them() -> None:
    import random

    from glemsel.detectors.engine import remove_duplicates
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    rng = random.Random(14)
    for _ in range(2_000):
        results = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 12)
            results.append(
                RecognizerResult(
                    rng.choice(["PERSON", "PHONE_NUMBER", "NO_ADDRESS"]),
                    start,
                    start + rng.randint(0, 6),
                    rng.choice([0.0, 0.3, 0.55, 0.55, 0.85, 1.0]),
                )
            )
        expected = EntityRecognizer.remove_duplicates(list(results))
        got = remove_duplicates(list(results))
        key = [(r.entity_type, r.start, r.end, r.score) for r in expected]
        assert [(r.entity_type, r.start, r.end, r.score) for r in got] == key


def test_the_cell_edge_check_drops_only_matches_that_are_no_cell() -> None:
    import random

    from glemsel.detectors.cues import Table

    rng = random.Random(7)
    texts = TEXTS + [
        'Navn;Konto\n"Kari" ; 15030893309\n',
        "| Navn | Tlf |\n|  91234567 |x|\n'12'",
        "a\t 1 \t\n\n,2,\n" * 3,
    ]
    checked = 0
    for text in texts:
        table, reference = Table(text), Table(text)
        spans = [m.span() for m in re.finditer(r"\d+|\w+", text)]
        spans += (
            [
                tuple(sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1))))
                for _ in range(50)
            ]
            if text
            else []
        )
        for start, end in spans:
            assert table.header(start, end) == reference._cell_header(start, end), text[:80]
            checked += 1
    assert checked > 10_000


# Random text of digit groups: digits of several scripts (the "regex" module's newer ones
# too), every separator the patterns take and some they do not, prefixes, letters of the
# MVA and IBAN forms, colons and hex letters for IPv6.
_DIGIT_SOUP = "0123456789" * 3 + "  ..--+()/:,\n\u00a0NOMVAfx@٣１" + "".join(_NEWER_DIGITS[:2])


def _soup(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(_DIGIT_SOUP) for _ in range(size))


_SOUP = [_soup(random.Random(i), random.randint(1, 300)) for i in range(600)]
_SOUP += [_soup(random.Random(i), 3_000) for i in range(3)]  # long: scanned from candidates


def _unfiltered(recognizer: NoPatternRecognizer) -> NoPatternRecognizer:
    """The recognizer with the same patterns given as a Presidio user's: no core, no
    shape, no skipping, each pattern scanned over the whole text."""
    plain = type(recognizer)(patterns=recognizer.patterns)
    assert not any(plain._gates) and not any(plain._skips)
    assert all(core is None for *_, core in plain._compiled)
    return plain


@pytest.mark.parametrize("recognizer", PATTERN_RECOGNIZERS, ids=lambda r: r.name)
def test_the_digit_scan_skips_only_what_cannot_match(recognizer: NoPatternRecognizer) -> None:
    from glemsel.detectors.no_pattern_recognizer import DigitScan

    plain = _unfiltered(recognizer)
    found = 0
    for text in TEXTS + _SOUP:
        scan = DigitScan(text)
        got = [(r.start, r.end, r.score) for r in recognizer.scanned(text, scan)]
        expected = [(r.start, r.end, r.score) for r in plain.analyze(text, [])]
        assert got == expected, text[:80]
        # the Presidio entry point (its own scan) finds the same
        assert [(r.start, r.end, r.score) for r in recognizer.analyze(text, [])] == expected
        found += len(expected)
    assert found > 0


@pytest.mark.parametrize("recognizer", PATTERN_RECOGNIZERS, ids=lambda r: r.name)
def test_every_match_starts_with_its_shape(recognizer: NoPatternRecognizer) -> None:
    from glemsel.detectors.no_pattern_recognizer import CORE_DIGIT, DigitScan

    checked = 0
    for text in TEXTS + _SOUP:
        scan = DigitScan(text)
        for (pattern, compiled, _, core), gate, start_gate in zip(
            recognizer._compiled, recognizer._gates, recognizer._start_gates, strict=True
        ):
            spans = [m.span() for m in compiled.finditer(text) if m.start() < m.end()]
            if gate:
                holds = recognizer.HOLDS.get(pattern.name) or recognizer.SHAPES[pattern.name]
                shape = re.compile(holds.replace(r"\d", CORE_DIGIT))
                assert all(shape.search(text, s, e) for s, e in spans), pattern.name
                assert not spans or scan.mask & gate, (pattern.name, text[:80])
            if start_gate:
                shape = re.compile(recognizer.SHAPES[pattern.name].replace(r"\d", CORE_DIGIT))
                assert all(shape.match(text, s) for s, _ in spans), pattern.name
                # from any position, the next match starts no earlier than scan.start says
                for pos in {0, len(text) // 2, *(e for _, e in spans)}:
                    after = [s for s, _ in spans if s >= pos]
                    first = scan.start(start_gate, pos)
                    if after:
                        assert 0 <= first <= after[0], (pattern.name, text[:80])
                # the scan from candidate to candidate finds every match
                pos = recognizer._candidate(text, pattern.name, core, scan, start_gate, 0)
                skipping = (
                    recognizer._skipping(text, pattern.name, compiled, core, pos, scan, start_gate)
                    if pos >= 0
                    else []
                )
                assert [m.span() for m in skipping] == spans, (pattern.name, text[:80])
            checked += len(spans)
    assert checked > 0


def test_shapes_are_digits_and_separators_only() -> None:
    # A shape is matched against a digit group alone: no lookaround, no other character.
    shapes = [s for r in PATTERN_RECOGNIZERS for s in (*r.SHAPES.values(), *r.HOLDS.values())]
    assert len(shapes) >= 15
    for shape in shapes:
        assert set(shape.replace(r"\d", "").replace("(?:", "(")) <= set(r" .\-|?()[]{},0123456789")
        assert "(?=" not in shape and "(?!" not in shape and "(?<" not in shape


def test_recognizers_that_cannot_match_are_not_called(monkeypatch) -> None:
    from glemsel.detectors import Detector

    detector = Detector()
    detector.analyze("x")
    numbers = [r for r, *_ in detector._runners if isinstance(r, NoPatternRecognizer)]
    assert len(numbers) == len(PATTERN_RECOGNIZERS)
    called: dict[str, list[str]] = {"matches": [], "refine": []}
    for recognizer in numbers:
        for method in called:
            original = getattr(recognizer, method)
            monkeypatch.setattr(
                recognizer,
                method,
                lambda *a, o=original, m=method, r=recognizer, **k: (
                    called[m].append(r.name) or o(*a, **k)
                ),
            )
    # a phone number only: no shape of a fødselsnummer, an account, a card, an org number
    detector.analyze("Ring meg på 91234567")
    assert called == {"matches": ["NoPhoneRecognizer"], "refine": ["NoPhoneRecognizer"]}
    called["matches"].clear(), called["refine"].clear()
    detector.analyze("Ring meg på 91234567 (1.2.3.4 er ingen IP her, 12.03.2024 ingen dato)")
    assert sorted(called["matches"]) == ["NoIpAddressRecognizer", "NoPhoneRecognizer"]
    # a recognizer whose matches its validation rejects all is not refined
    assert "NoIpAddressRecognizer" in called["refine"]
    called["matches"].clear(), called["refine"].clear()
    detector.analyze("Versjon 1.2.3.999")
    assert called == {"matches": ["NoIpAddressRecognizer"], "refine": []}


def test_the_byte_scan_equals_the_character_scan() -> None:
    # The engine's texts are normalised (no BMP digit but 0-9): their shapes are read from
    # their UTF-8 bytes, one byte per character. Same gates, same groups, same offsets, with
    # letters of two and three bytes, astral characters (four) and lone surrogates around.
    from glemsel.detectors.engine import normalised
    from glemsel.detectors.no_pattern_recognizer import GATES, DigitScan

    rng = random.Random(5)
    extra = ["æ", "ø", "€", "😀", "\ud800", "\U0001d7ce", "１", "٣", "\u00a0", " ", ".", "-"]
    texts = [normalised(t) for t in TEXTS + _SOUP]
    texts += ["".join(rng.choice(extra) if rng.random() < 0.3 else c for c in t) for t in _SOUP]
    texts = [normalised(t) for t in texts]
    bits = [1 << i for i in range(len(GATES.gates))]
    groups = 0
    for text in texts:
        by_bytes, by_chars = DigitScan(text, ascii_digits=True), DigitScan(text)
        assert by_bytes.mask == by_chars.mask, text[:80]
        for bit in bits:
            for pos in (0, len(text) // 3, len(text) // 2):
                assert by_bytes.start(bit, pos) == by_chars.start(bit, pos), text[:80]
        groups += len(by_chars._groups or [])
    assert groups > 1_000


def test_every_shape_gate_needs_four_digits() -> None:
    # DigitScan reads only groups of four digits or more.
    import itertools

    from glemsel.detectors.no_pattern_recognizer import GATES

    short = [
        "".join(p)
        for n in range(1, 8)
        for p in itertools.product("0 .-", repeat=n)
        if p.count("0") <= 3
    ]
    assert len(GATES.gates) >= 15
    for gate in GATES.gates:
        assert not any(gate.search(s) for s in short), gate.pattern


def test_a_shape_added_later_is_gated_too() -> None:
    # Shapes are registered by recognizers as they are made; the memo of group shapes
    # made before a new one must not hide it.
    from glemsel.detectors.no_pattern_recognizer import GATES, DigitScan
    from presidio_analyzer import Pattern

    text = "ref 1234-5678-9012-3456-7890"
    before = DigitScan(text, ascii_digits=True).mask

    class Serial(NoPatternRecognizer):
        ENTITY = "SERIAL"
        PATTERNS = [Pattern("serial", r"\d{4}(?:-\d{4}){4}", 0.9)]
        SHAPES = {"serial": r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}"}

    serial = Serial()
    bit = GATES.bits[Serial.SHAPES["serial"]]
    assert not before & bit
    scan = DigitScan(text, ascii_digits=True)
    assert scan.mask & bit and scan.start(bit) == 4
    assert [(r.start, r.end) for r in serial.scanned(text, scan)] == [(4, 28)]
