"""The base of Glemsel's Norwegian pattern recognizers.

A Presidio ``PatternRecognizer`` with explicit constructor parameters (what a Presidio YAML
configuration may set), its patterns compiled once, and one pass per pattern that builds a
result only for a match its checksum accepts (Presidio's own loop times, logs and explains
every match, a third of a short text's time). After the matches, ``refine`` weighs the
recognizer's own cues (detectors.cues): context words before or after a match, a column's
header, labels that name another kind of number. Every result it returns is settled, so
Presidio's context step needs no tokens for it.

Subclasses set ENTITY, PATTERNS and CONTEXT, and override ``validate_result`` (True: the
maximum score; None: the pattern's score; False: no result) and ``refine``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import regex
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from .cues import Cues, Labels, apply
from .nlp import CONTEXT_AFTER, LANGUAGE, REGEX_FLAGS

# A digit in a core: `re`'s \d, and every astral character. The `regex` module's Unicode is
# newer than `re`'s: its \d knows digits added since (Kawi, Nag Mundari …), all astral so
# far; without them a core would miss a match that holds one (test_fast_scan checks that
# every `regex` digit is one).
CORE_DIGIT = r"[\d\U00010000-\U0010ffff]"


class NoPatternRecognizer(PatternRecognizer):
    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    # Words after a match that its cues may be (before it: CONTEXT_BEFORE, as Presidio).
    CUES_AFTER: ClassVar[int] = CONTEXT_AFTER
    # A number right after one of these labels is another document's number.
    LABELS: ClassVar[Labels | None] = None
    # Pattern name -> characters one of which every match of it holds: a text without
    # any of them is not scanned for that pattern ("-" for hyphenated numbers).
    NEEDS: ClassVar[dict[str, str]] = {}
    # Pattern name -> its core: a plain `re` pattern that matches wherever a match of the
    # pattern starts (the pattern without its edges, or looser). A fast scan for the core
    # tells whether the slower `regex` pattern can match at all, and from where: no match
    # starts before the first core match, so scanning from there finds the same matches.
    # A core's \d stands for CORE_DIGIT. (A core costs a scan: on short texts the `regex`
    # module's own scan is as fast for most patterns, so only a few have one.)
    CORES: ClassVar[dict[str, str]] = {}
    # Patterns tried only where scan_start lets a match start after every match too, not
    # only before the first: those whose candidates are few and far between (a search per
    # match costs more than finditer's own scan where matches are many or texts short).
    SKIP_AHEAD: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self,
        supported_language: str = LANGUAGE,
        supported_entity: str | None = None,
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        name: str | None = None,
        version: str = "0.0.1",
        global_regex_flags: int | None = REGEX_FLAGS,
    ) -> None:
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            name=name or type(self).__name__,  # what Presidio defaults it to
            supported_language=supported_language,
            patterns=list(self.PATTERNS if patterns is None else patterns),
            context=list(self.CONTEXT if context is None else context),
            version=version,
            global_regex_flags=global_regex_flags,
        )
        self.cues = Cues(self.context or [], after=self.CUES_AFTER)
        flags = global_regex_flags if global_regex_flags is not None else REGEX_FLAGS
        # Cores hold for the class's own patterns only, not for patterns given here, and
        # only with the flags they were written for (IGNORECASE would widen "[A-Z]").
        self.own_patterns = patterns is None
        cores = self.CORES if self.own_patterns and flags == REGEX_FLAGS else {}
        self._compiled = [
            (
                p,
                regex.compile(p.regex, flags),
                self.NEEDS.get(p.name, ""),
                re.compile(cores[p.name].replace(r"\d", CORE_DIGIT)) if p.name in cores else None,
            )
            for p in self.patterns  # type: ignore[has-type]
        ]
        # Whether the pattern skips ahead after each match (SKIP_AHEAD, with a core or a
        # subclass's own scan_start); the others are scanned in one pass from scan_start.
        own_rule = type(self).scan_start is not NoPatternRecognizer.scan_start
        self._skips = [
            p.name in self.SKIP_AHEAD and self.own_patterns and (core is not None or own_rule)
            for p, _, _, core in self._compiled
        ]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        return self.refine(text, self.matches(text))

    def matches(self, text: str) -> list[RecognizerResult]:
        """A result for each match of each pattern that its validation does not reject."""
        entity, name = self.supported_entities[0], self.name  # type: ignore[has-type]
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        results = []
        for (pattern, compiled, needs, core), skips in zip(
            self._compiled, self._skips, strict=True
        ):
            if needs and not any(c in text for c in needs):
                continue
            pos = self.scan_start(text, pattern.name, core)
            if pos < 0:
                continue
            found = (
                self._skipping(text, pattern.name, compiled, core, pos)
                if skips
                else compiled.finditer(text, pos)
            )
            for m in found:
                start, end = m.span()
                if start == end:
                    continue
                valid = self.validate_result(text[start:end])
                if valid is False:
                    continue
                score = EntityRecognizer.MAX_SCORE if valid else pattern.score
                if score <= EntityRecognizer.MIN_SCORE:
                    continue
                explanation = AnalysisExplanation(
                    name,
                    pattern.score,
                    pattern_name=pattern.name,
                    validation_result=valid,  # type: ignore[arg-type]
                )
                explanation.set_improved_score(score)
                results.append(
                    RecognizerResult(
                        entity,
                        start,
                        end,
                        score,
                        analysis_explanation=explanation,
                        recognition_metadata=dict(metadata),
                    )
                )
        return results

    def scan_start(self, text: str, name: str, core: re.Pattern[str] | None, pos: int = 0) -> int:
        """Where the first match of pattern ``name`` at or after ``pos`` can start at the
        earliest, or -1 if there is none (lookbehinds still see the text before it)."""
        if core is None:
            return pos
        hit = core.search(text, pos)
        return -1 if hit is None else hit.start()

    def _skipping(
        self,
        text: str,
        name: str,
        compiled: regex.Pattern[str],
        core: re.Pattern[str] | None,
        pos: int,
    ) -> Iterator[regex.Match[str]]:
        """What ``compiled.finditer(text, pos)`` finds, the pattern tried only where
        scan_start lets a match start: after a match, the next one is the first match at
        or after its end, as finditer searches on (long texts hold few candidates, and the
        `regex` module is slow to rule out a position)."""
        while True:
            m = compiled.search(text, pos)
            if m is None:
                return
            if m.start() == m.end():
                # After an empty match finditer has rules of its own: it takes over.
                yield from compiled.finditer(text, m.start())
                return
            yield m
            pos = self.scan_start(text, name, core, m.end())
            if pos < 0:
                return

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """The recognizer's own context step: labels, then cues (see cues.apply)."""
        return apply(self.cues, text, results, labels=self.LABELS, labelled=self.labelled)

    def labelled(self, result: RecognizerResult) -> bool:
        """Whether a label before the result can overrule it (all by default)."""
        return True


class NoEntityRecognizer(EntityRecognizer):
    """The base of the recognizers that find their own candidates (names, addresses,
    plates) and weigh their own cues: the same explicit constructor parameters."""

    ENTITY: ClassVar[str] = ""
    CONTEXT: ClassVar[list[str]] = []

    def __init__(
        self,
        supported_language: str = LANGUAGE,
        supported_entities: list[str] | None = None,
        context: list[str] | None = None,
        name: str | None = None,
        version: str = "0.0.1",
    ) -> None:
        super().__init__(
            supported_entities=list(supported_entities or [self.ENTITY]),
            name=name or type(self).__name__,
            supported_language=supported_language,
            version=version,
            context=list(self.CONTEXT if context is None else context),
        )
