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
    saved, name_finder._native_words = name_finder._native_words, None
    try:
        return find_names(text)
    finally:
        name_finder._native_words = saved


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
