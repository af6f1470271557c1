"""The compiled kernels (native/, Python module glemsel_native) return exactly what the
pure-Python reference returns: on the whole corpus, on every code point, and on random and
hostile text. Skips when the module is not installed, unless GLEMSEL_REQUIRE_NATIVE=1."""

from __future__ import annotations

import os
import random
import sys

import pytest
from glemsel.detectors import name_finder
from glemsel.detectors.name_finder import find_names, word_spans

from bench.adversarial import UNITS, adversarial
from bench.corpus import generate, long_mail

try:
    import glemsel_native
except ImportError:  # pragma: no cover - depends on the install
    if os.environ.get("GLEMSEL_REQUIRE_NATIVE") == "1":
        raise
    pytest.skip("glemsel_native is not installed (pip install ./native)", allow_module_level=True)


def _same(text: str) -> None:
    assert glemsel_native.word_spans(text) == word_spans(text)


def test_the_detector_uses_the_native_kernel() -> None:
    if os.environ.get("GLEMSEL_NATIVE", "1") != "0":
        assert name_finder._native_words is glemsel_native.word_spans


def test_corpus() -> None:
    for doc in generate(3000):
        _same(doc.text)
    for seed in range(3):
        _same(long_mail(50_000, seed=seed))


def test_every_code_point() -> None:
    # each code point alone, between letters, after a letter, and as a joiner's neighbour
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    for i in range(0, len(chars), 4096):
        block = chars[i : i + 4096]
        _same(" ".join(block))
        _same("a".join(block))
        _same("".join(block))
        _same("".join(f"a-{c}b'{c}" for c in block))


ALPHABET = (
    "aZæøåÆØÅéüß İıǅ \t\n\r-'’_.,@/:;0123456789²³¹½٣߀"
    "\u0300\u0301\u0307\u036f\u0370\u0483\u200d\u200b\ufeff\u00ad"
    "ΣσςЖжあ漢한𝒜𝔘🙂👍🏽\U0010ffff\x00\x7f"
)


@pytest.mark.parametrize("seed", range(20))
def test_random_and_hostile_text(seed: int) -> None:
    rng = random.Random(seed)
    for size in (0, 1, 2, 3, 5, 17, 200, 5000):
        _same("".join(rng.choice(ALPHABET) for _ in range(size)))
    _same(
        "".join(chr(rng.randrange(0x110000)) for _ in range(3000))
        .encode("utf-8", "ignore")
        .decode("utf-8", "ignore")
    )


@pytest.mark.parametrize("name", sorted(UNITS))
def test_adversarial_and_huge(name: str) -> None:
    _same(adversarial(name, 300_000))


def test_lone_surrogates_fall_back_to_python() -> None:
    text = "Hei Kari\ud800 Nordmann"
    assert glemsel_native.word_spans(text) is None
    assert find_names(text) == _python_find_names(text)


def _python_find_names(text: str) -> list[tuple[int, int, float]]:
    from glemsel.detectors import native

    on = native.enabled() and name_finder._native_words is not None
    native.set_enabled(False)
    try:
        return find_names(text)
    finally:
        native.set_enabled(on)


def test_find_names_same_on_the_corpus() -> None:
    for doc in generate(1500):
        assert find_names(doc.text) == _python_find_names(doc.text)


def test_set_enabled_switches_every_bound_kernel() -> None:
    from glemsel.detectors import native

    before = name_finder._native_words
    try:
        native.set_enabled(False)
        assert name_finder._native_words is None
        native.set_enabled(True)
        assert name_finder._native_words is glemsel_native.word_spans
    finally:
        native.set_enabled(before is not None)


# --- the cue phrases (native/src/cues.rs) ---------------------------------------------------
CUE_TEXTS = [
    "Hei Kari, jeg heter Ola Nordmann. Hei! marte her. hei, det er Selam 😊",
    "kona mi Kari ringte. Att: Per / v/ Liv Berg. Dr. Hansen, prof.  Li. jeg hetre Ola",
    "eg heetr Kari\ttakk for hjelpen ,  Per\nhei\ndet er Ola her. Med navnet:  Kari",
    "Hei  , Kari! takk skal du ha\nPer. snakket med \t Ola, att.: Liv  att / Per",
    "hei det er\u00a0Kari, hei ,det er Per; hei,\tdette er Liv. fru\u2009Berg, herr .Li",
]


def _python_cues(finder: name_finder._Finder) -> list[tuple[int, str]]:
    return finder._cues_python()


def _same_cues(text: str) -> None:
    words = word_spans(text)
    if not words:
        return
    finder = name_finder._Finder(text, words)
    native = glemsel_native.cues(name_finder._CUE_TABLE, text, finder.words, finder.keys)
    assert native == _python_cues(finder), text[:120]


def test_cue_table_is_built() -> None:
    assert name_finder._CUE_TABLE is not None
    if os.environ.get("GLEMSEL_NATIVE", "1") != "0":
        assert name_finder._native_cues is glemsel_native.cues


def test_cues_same_on_the_corpus() -> None:
    found = 0
    for doc in generate(3000):
        _same_cues(doc.text)
    for seed in range(3):
        _same_cues(long_mail(50_000, seed=seed))
    for text in CUE_TEXTS:
        _same_cues(text)
        words = word_spans(text)
        found += len(name_finder._Finder(text, words)._cues_python())
    assert found > 15


CUE_ALPHABET = [" ", "  ", "\t", "\n", ",", "!", ":", ".", "/", "\u00a0", "-", "😊", "Ä"]
CUE_WORDS = sorted(
    {
        w
        for first, entries in name_finder.CUES.items()
        for rest, *_ in entries
        for w in (first, *rest)
    }
) + ["Kari", "kari", "mi", "min", "hei", "jeg", "eg", "hetre", "eehrt", "heter", "İ", "ß"]


@pytest.mark.parametrize("seed", range(30))
def test_cues_same_on_random_cue_soup(seed: int) -> None:
    rng = random.Random(seed)
    for size in (1, 2, 3, 8, 40, 400):
        parts = []
        for _ in range(size):
            parts.append(rng.choice(CUE_WORDS) if rng.random() < 0.7 else rng.choice(ALPHABET))
            parts.append(
                "".join(rng.choice(CUE_ALPHABET) for _ in range(rng.choice((1, 1, 1, 2, 3))))
            )
        _same_cues("".join(parts))


@pytest.mark.parametrize("name", sorted(UNITS))
def test_cues_same_on_adversarial_text(name: str) -> None:
    _same_cues(adversarial(name, 100_000))


def test_cues_fall_back_on_lone_surrogates() -> None:
    text = "Hei Kari\ud800 Nordmann, jeg heter Per"
    finder = name_finder._Finder(text, word_spans(text))
    assert glemsel_native.cues(name_finder._CUE_TABLE, text, finder.words, finder.keys) is None
    assert find_names(text) == _python_find_names(text)
