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
from bisect import bisect_right
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

# Digit groups: maximal runs of digits (CORE_DIGIT) joined by single separators, the only
# ones the number patterns take between their groups ("912 34 567", "1234.56.78903",
# "010385-12345", "10.0.0.1"), of four digits or more: every shape gate needs four (a
# test holds them to it), so shorter groups ("12:30", "kl 9") pass none. A group starts
# with a digit, and from its first one the pattern takes it whole (greedy, maximal).
_GROUPS = re.compile(f"{CORE_DIGIT}(?:[ .\\-]?{CORE_DIGIT}){{3,}}")
# A group's shape: its ASCII digits as "0" (other digits stay, a shape's \d takes them), so
# that shapes recur from text to text and their gates are worked out once.
_ZEROS = str.maketrans("123456789", "000000000")
# The same shapes from the text's UTF-8 bytes at bytes.translate's speed (a `re` scan for
# digits costs tens of nanoseconds a character): ASCII digits and the lead byte of every
# astral character (all CORE_DIGIT) become "0", the separators stay, every other character
# one "x", continuation bytes go: one byte per character, so offsets are the text's. Exact
# only for texts whose other digits are ASCII (what the engine's normalised text is): a
# BMP digit of another script would be an "x".
_BYTE_SHAPES = bytes(
    (0x30 if 0x30 <= b <= 0x39 or 0xF0 <= b <= 0xF7 else b if b in b" .-" else 0x78)
    for b in range(256)
)
_CONTINUATION = bytes(range(0x80, 0xC0))
_BYTE_GROUPS = re.compile(rb"0(?:[ .\-]?0){3,}")
# Texts at least this long are scanned from candidate to candidate (DigitScan.start); on
# shorter ones a `regex` scan from the start costs less than finding where to start.
LONG = 1_000


class _Shapes:
    """Every shape gate (a plain pattern of digits and separators, see SHAPES), one bit
    each, and the gates each group shape passes (memoised: few shapes recur)."""

    MEMO = 8_192  # shapes remembered
    MEMO_LENGTH = 64  # longer shapes (one per adversarial text) are not remembered

    def __init__(self) -> None:
        self.gates: list[re.Pattern[str]] = []
        self.bits: dict[str, int] = {}
        self.memo: dict[str, int] = {}

    def bit(self, source: str) -> int:
        if source not in self.bits:
            self.bits[source] = 1 << len(self.gates)
            self.gates.append(re.compile(source.replace(r"\d", CORE_DIGIT)))
            self.memo.clear()  # the masks known so far lack the new gate
        return self.bits[source]

    def mask(self, shape: str) -> int:
        mask = 0
        for i, gate in enumerate(self.gates):
            if gate.search(shape):
                mask |= 1 << i
        if len(shape) <= self.MEMO_LENGTH:
            if len(self.memo) >= self.MEMO:
                self.memo.clear()
            self.memo[shape] = mask
        return mask


GATES = _Shapes()


class DigitScan:
    """One text's digit groups, scanned once for all pattern recognizers: which shape
    gates some group passes (``mask``), and from where (``start``, worked out on the first
    call). A pattern whose gate no group passes cannot match: its recognizer skips it."""

    __slots__ = ("_text", "_data", "mask", "_groups", "_by_bit")

    def __init__(self, text: str, ascii_digits: bool = False) -> None:
        """``ascii_digits``: the text has no digit but 0-9 in the Basic Multilingual Plane
        (the engine's normalised text): its shapes are read from its bytes."""
        self._text = text
        self._data: bytes | None = None
        memo, mask = GATES.memo, 0
        if ascii_digits:
            # lone surrogates pass as three bytes of one character (an "x", as they are)
            data = text.encode("utf-8", "surrogatepass").translate(_BYTE_SHAPES, _CONTINUATION)
            self._data = data
            for group in set(_BYTE_GROUPS.findall(data)):  # shapes recur: each once
                shape = group.decode("ascii")
                bits = memo.get(shape)
                mask |= GATES.mask(shape) if bits is None else bits
        else:
            for shape in set(_GROUPS.findall(text)):
                shape = shape.translate(_ZEROS)
                bits = memo.get(shape)
                mask |= GATES.mask(shape) if bits is None else bits
        self.mask = mask
        self._groups: list[tuple[int, int, int]] | None = None
        self._by_bit: dict[int, tuple[list[int], list[int]]] = {}

    def start(self, bit: int, pos: int = 0) -> int:
        """Where a match of a pattern that starts with gate ``bit``'s shape can start at
        the earliest at or after ``pos``: in the first group ending past ``pos`` that
        passes the gate (a match starts in the group that holds its shape), or -1."""
        if not self.mask & bit:
            return -1
        found = self._by_bit.get(bit)
        if found is None:
            found = self._by_bit[bit] = self._starts(bit)
        starts, ends = found
        i = bisect_right(ends, pos)
        return max(starts[i], pos) if i < len(starts) else -1

    def _starts(self, bit: int) -> tuple[list[int], list[int]]:
        if self._groups is None:
            if self._data is None:
                spans = [
                    (m.start(), m.end(), m.group().translate(_ZEROS))
                    for m in _GROUPS.finditer(self._text)
                ]
            else:
                spans = [
                    (m.start(), m.end(), m.group().decode("ascii"))
                    for m in _BYTE_GROUPS.finditer(self._data)
                ]
            memo, groups = GATES.memo, []
            for start, end, shape in spans:
                bits = memo.get(shape)
                bits = GATES.mask(shape) if bits is None else bits
                if bits:
                    groups.append((start, end, bits))
            self._groups = groups
        chosen = [(start, end) for start, end, bits in self._groups if bits & bit]
        return [start for start, _ in chosen], [end for _, end in chosen]


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
    # Pattern name -> a shape every match starts with: a plain pattern of digits (\d for
    # CORE_DIGIT) and the separators " ", "." and "-", nothing else (no lookaround: it is
    # matched against a digit group on its own). The engine's DigitScan finds the text's
    # digit groups once; a pattern whose shape is in none of them is not tried, and a
    # recognizer with no pattern left is not called. On long texts the pattern is tried
    # only from the groups that hold its shape (DigitScan.start).
    SHAPES: ClassVar[dict[str, str]] = {}
    # Pattern name -> a shape every match holds somewhere (not at its start: "NO 9…",
    # "+47 …"): a pattern whose shape no group holds is not tried.
    HOLDS: ClassVar[dict[str, str]] = {}

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
        # Cores and shapes hold for the class's own patterns only, not for patterns given
        # here, and only with the flags they were written for (IGNORECASE would widen "[A-Z]").
        self.own_patterns = patterns is None
        exact = self.own_patterns and flags == REGEX_FLAGS
        cores = self.CORES if exact else {}
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
        # Each pattern's gate (0: none) and start gate (0: none): DigitScan bits.
        starts = self.SHAPES if exact else {}
        holds = {**self.HOLDS, **self.SHAPES} if exact else {}
        self._gates = [
            (GATES.bit(holds[p.name]) if p.name in holds else 0)
            for p in self.patterns  # type: ignore[has-type]
        ]
        self._start_gates = [
            (GATES.bit(starts[p.name]) if p.name in starts else 0)
            for p in self.patterns  # type: ignore[has-type]
        ]
        self._plan = [
            (*entry, skips, gate, start)
            for entry, skips, gate, start in zip(
                self._compiled, self._skips, self._gates, self._start_gates, strict=True
            )
        ]
        # The gates of all patterns, if every pattern has one: a text whose digit groups
        # pass none of them is not this recognizer's (one test for all its patterns).
        self._any_gate = 0
        if all(self._gates):
            for gate in self._gates:
                self._any_gate |= gate

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        return self.refine(text, self.matches(text))

    def scanned(self, text: str, scan: DigitScan) -> list[RecognizerResult]:
        """What ``analyze`` returns, given the text's digit scan (the engine's fast path:
        no result objects and no context step where no pattern can match)."""
        if self._any_gate and not scan.mask & self._any_gate:
            return []
        found = self.matches(text, scan, explain=False)
        # refine keeps a subset of the results it is given: none stay none
        return self.refine(text, found) if found else found

    def matches(
        self, text: str, scan: DigitScan | None = None, explain: bool = True
    ) -> list[RecognizerResult]:
        """A result for each match of each pattern that its validation does not reject.
        ``explain``: with Presidio's AnalysisExplanation (the fast path's results are
        settled by ``refine``, and no step after it reads one)."""
        if scan is None:
            scan = DigitScan(text)
        entity, name = self.supported_entities[0], self.name  # type: ignore[has-type]
        mask, long = scan.mask, len(text) >= LONG
        results = []
        for pattern, compiled, needs, core, skips, gate, start_gate in self._plan:
            if gate:
                if not mask & gate:
                    continue
            elif needs and not any(c in text for c in needs):
                continue
            if start_gate and long:
                pos = self._candidate(text, pattern.name, core, scan, start_gate, 0)
                skips = True
            else:
                pos = self.scan_start(text, pattern.name, core)
            if pos < 0:
                continue
            found = (
                self._skipping(text, pattern.name, compiled, core, pos, scan, start_gate)
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
                explanation = None
                if explain:
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
                        analysis_explanation=explanation,  # type: ignore[arg-type]
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
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

    def _candidate(
        self,
        text: str,
        name: str,
        core: re.Pattern[str] | None,
        scan: DigitScan | None,
        start_gate: int,
        pos: int,
    ) -> int:
        """scan_start, from the first digit group at or after ``pos`` that holds the
        pattern's shape (both are lower bounds of the next match's start)."""
        if start_gate and scan is not None:
            pos = scan.start(start_gate, pos)
            if pos < 0:
                return -1
        return self.scan_start(text, name, core, pos)

    def _skipping(
        self,
        text: str,
        name: str,
        compiled: regex.Pattern[str],
        core: re.Pattern[str] | None,
        pos: int,
        scan: DigitScan | None = None,
        start_gate: int = 0,
    ) -> Iterator[regex.Match[str]]:
        """What ``compiled.finditer(text, pos)`` finds, the pattern tried only where
        scan_start (and the digit scan) lets a match start: after a match, the next one is
        the first match at or after its end, as finditer searches on (long texts hold few
        candidates, and the `regex` module is slow to rule out a position)."""
        while True:
            m = compiled.search(text, pos)
            if m is None:
                return
            if m.start() == m.end():
                # After an empty match finditer has rules of its own: it takes over.
                yield from compiled.finditer(text, m.start())
                return
            yield m
            pos = self._candidate(text, name, core, scan, start_gate, m.end())
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
