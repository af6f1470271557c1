"""A light NLP engine for Presidio: regex tokens, lowercased tokens as lemmas, no model.

Presidio's context enhancer compares recognizers' context words with the lemmas of the words
around a match. A blank spaCy pipeline has empty lemmas and Presidio's NoOpNlpEngine has no
tokens at all, so context words would silently never fire. Lowercased tokens are lemmas good
enough for context words, which are matched as substrings ("kontonr" in "kontonr.:").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Any, cast

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

LANGUAGE = "no"
# The context step: a context word up to CONTEXT_BEFORE words before a match (or
# CONTEXT_AFTER after it) raises its score by CONTEXT_BOOST, to at least CONTEXT_FLOOR.
# The engine's enhancer and the recognizers' own cues (detectors.cues) both use these.
CONTEXT_BEFORE, CONTEXT_AFTER = 6, 1
CONTEXT_BOOST, CONTEXT_FLOOR = 0.35, 0.5
_TOKEN = re.compile(r"\w+(?:[-.:/]\w+)*|[^\w\s]|\n")
# Context must not leak across sentences ("Ring 41 83 55 32. Liv og helse" is not a name).
BOUNDARY = "<s>"
_SENTENCE_ENDS = frozenset(["\n", "!", "?", "."])
_ABBREVIATIONS = frozenset(
    [
        "tlf",
        "tel",
        "mob",
        "nr",
        "regnr",
        "reg",
        "org",
        "orgnr",
        "fnr",
        "pnr",
        "kto",
        "kontonr",
        "adr",
        "ca",
        "kl",
        "evt",
        "mvh",
        "f",
        "ref",
        "jf",
        "bl",
        "a",
        "dvs",
        "mht",
        "pga",
        "vedr",
        "st",
        "gt",
    ]
)
# Case matters: names and plates are capitalised, IBANs upper case.
REGEX_FLAGS = re.DOTALL | re.MULTILINE
_STOPWORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "er",
        "det",
        "som",
        "en",
        "et",
        "til",
        "av",
        "for",
        "med",
        "den",
        "de",
        "at",
        "har",
        "ikke",
        "om",
        "var",
        "jeg",
        "du",
        "vi",
        "dere",
        "seg",
        "så",
        "men",
        "fra",
        "kan",
        "vil",
        "skal",
        "ble",
        "blir",
        "han",
        "hun",
        "meg",
        "deg",
        "oss",
        "dem",
        "min",
        "din",
        "sin",
        "vår",
        "eller",
    ]
)


class LazyArtifacts(NlpArtifacts):
    """Tokens and lemmas made on first use: only the context step reads them, and only for
    results whose score context could still change; many texts never need them."""

    def __init__(self, text: str, engine: NlpEngine, language: str) -> None:
        self._text, self._language = text, language
        self.nlp_engine = engine
        self.entities: list = []
        self.scores: list[float] = []

    @cached_property
    def _tokenised(self) -> tuple[list[str], list[int], list[int], list[str]]:
        matches = list(_TOKEN.finditer(self._text))
        tokens = [m.group() for m in matches]
        lemmas = [t.lower() for t in tokens]
        # In order: a "." after a boundary ends a sentence too ("Ja.. Nei").
        for i in [i for i, t in enumerate(tokens) if t in _SENTENCE_ENDS]:
            if tokens[i] != "." or not (i and _abbreviation(lemmas[i - 1])):
                lemmas[i] = BOUNDARY
        return tokens, [m.start() for m in matches], [m.end() for m in matches], lemmas

    @property
    def tokens(self) -> list[str]:  # type: ignore[override]
        return self._tokenised[0]

    @property
    def tokens_indices(self) -> list[int]:  # type: ignore[override]
        return self._tokenised[1]

    @property
    def token_ends(self) -> list[int]:
        return self._tokenised[2]

    @property
    def lemmas(self) -> list[str]:  # type: ignore[override]
        return self._tokenised[3]

    @cached_property
    def keywords(self) -> list[str]:  # type: ignore[override]
        # What Presidio's set_keywords gives for these lemmas (no stopwords, no punctuation,
        # split at ":"), in one pass.
        return [
            part
            for lemma in self.lemmas
            if lemma not in _STOPWORDS
            and lemma != "be"
            and not (len(lemma) == 1 and not lemma.isalnum())
            for part in lemma.split(":")
        ]

    @cached_property
    def keyword_set(self) -> frozenset[str]:
        return frozenset(self.keywords)


def _abbreviation(lemma: str) -> bool:
    """ "tlf." or "org.nr." ends a word, not a sentence."""
    return lemma in _ABBREVIATIONS or "." in lemma


class LightNlpEngine(NlpEngine):
    engine_name = "glemsel-light"
    is_available = True

    def __init__(self, language: str = LANGUAGE) -> None:
        self.language = language

    def load(self) -> None:  # nothing to load: that is the point
        return None

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return LazyArtifacts(text, self, language)

    def process_batch(
        self,
        texts: Iterable[str],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        as_tuples: bool = False,
        **kwargs: Any,
    ) -> Iterator[Any]:
        for item in texts:
            if as_tuples:
                text, context = cast(tuple[str, Any], item)
                yield text, self.process_text(text, language), context
            else:
                yield item, self.process_text(cast(str, item), language)

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in _STOPWORDS

    def is_punct(self, word: str, language: str) -> bool:
        return len(word) == 1 and not word.isalnum()

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return [self.language]
