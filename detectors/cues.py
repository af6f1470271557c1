"""Shared pieces of the number recognizers: the edges of a digit group, and cue words.

Edges. A number must not be a piece of a longer one: no digit, separator or decimal part
right next to it, and no further digit group on the same line that continues it ("4111
1111 1111 1111" holds no phone number "1111 1111"). A date or a time after it ("26/1",
"12.30", "12:20", "2024-03-05") does not continue it, and neither does anything on the
next line (a chat line that ends in a number, the next one starting with a timestamp).

Cue words. Presidio's context step compares exact lowercased words before a match. Chat
and notes are typed fast, so `Cues` also accepts a word one typing error away from a long
cue ("orgnumemr", "kontonummr", "dnumer"), and an answer right after a question takes the
question as its context ("fikk du kontonr til Oda? 15030893309"). In a table, the column's
header is the cue ("Navn;Kontonummer;Mobil"). `Labels` are the opposite: a number right
after "Kvittering nr." or in a "Medlemsnr" column is that document's number.

Limit: a table header is looked up at most 200 lines above; the engine's chunks of long
texts carry 400 characters of lead-in, so rows far below a header in a text longer than a
chunk lose it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from .nlp import _STOPWORDS, CONTEXT_AFTER, CONTEXT_BEFORE, CONTEXT_BOOST, CONTEXT_FLOOR
from .nlp import _abbreviation as _nlp_abbreviation

# A following same-line digit group that continues the number: digits that are not the
# start of a date or a time ("26/1", "12.30", "7. august").
NEXT_GROUP = r"[ \u00a0]\d+(?!\d|[:./-]\d|\.[ \u00a0]?\p{Ll})"
# Decimals after a number: ".5", ",50", ",125" (but ",18.12.2026" and ",91234567" are the
# next cells of a comma-separated row).
DECIMALS = r"\.\d|,\d{1,3}(?![\d.:/])"
# The right edge of a digit group.
END = r"(?![\d/-]|" + DECIMALS + "|" + NEXT_GROUP + ")"
# The left edge of a digit group: no digit or separator before it (a comma before it is
# the end of the previous cell: no decimal part is eight digits long) …
START = r"(?<![\d./-])"
# … and no same-line digit group before it that it would continue (a date or a time
# before it is fine: "12:20 22 33 44 55").
NO_PREVIOUS_GROUP = r"(?<!(?<![\d:.,/-])\d+[ \u00a0])"

# Context reaches back this far on the same line, cut at the start of the sentence.
_REACH = 80
_WORD = regex.compile(r"\w+(?:[-.]\w+)*|[.!?]", regex.UNICODE)


def _abbreviation(word: str) -> bool:
    """ "tlf." or "foretaksnr." ends a word, not a sentence ("kl 9.45." does)."""
    if "." in word:
        return not word.replace(".", "").isdigit()
    return _nlp_abbreviation(word) or word.endswith("nr") or word in ("kr", "no", "acct")


@lru_cache(maxsize=8192)
def _one_typo(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance of exactly one (a swap, a missing, extra or wrong letter)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


# Words one typo away from a cue word that are words of their own.
_NOT_TYPOS = frozenset(["kontor", "kontant", "kontrakt", "kontoret", "kontakt"])
# A field name's words: "phone_number", "bankAccount", "org.nummeret", "Mob.nr".
_CAMEL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})")
_KEY_SEPARATORS = regex.compile(r"[_.\-]+")


def key_words(token: str) -> list[str]:
    """The lowercased words of a field name or compound token, and the token joined without
    its separators: "bankAccount" → ["bank", "account", "bankaccount"], "org.nummeret" →
    ["org", "nummeret", "orgnummeret"]."""
    parts = [p.lower() for p in _KEY_SEPARATORS.split(_CAMEL.sub("_", token)) if p]
    joined = "".join(parts)
    return [*parts, joined] if len(parts) > 1 else parts


class Cues:
    """Cue words for a recognizer: up to ``before`` words before a match in its sentence on
    its line, and ``after`` words after it, as Presidio's context step counts them."""

    def __init__(
        self,
        words: Iterable[str],
        before: int = CONTEXT_BEFORE,
        after: int = CONTEXT_AFTER,
        typos: int = 5,
    ) -> None:
        self.words = frozenset(w.lower() for w in words)
        # Only long cue words tolerate a typo: short ones are too close to ordinary words.
        self._typo_prone = tuple(w for w in self.words if len(w) >= typos and w.isalpha())
        self.before, self.after = before, after
        self._match = lru_cache(maxsize=8192)(self._matches)
        # Every capitalised word before a match is split as a field name: once per word.
        self._camel = lru_cache(maxsize=8192)(self._camel_words)

    def _matches(self, word: str) -> bool:
        if word in self.words:
            return True
        if not word.isalnum() and any(c in word for c in "_.-"):
            parts = key_words(word)
            if len(parts) > 1:
                return any(self._match(p) for p in parts)
        if len(word) < 4 or not word.isalpha() or word in _STOPWORDS or word in _NOT_TYPOS:
            return False
        # The first letter is seldom the one mistyped, and it keeps "inger" from "ringer",
        # "nummer" from "dnummer", "sønnen" from "lønnen".
        return any(cue[0] == word[0] and _one_typo(word, cue) for cue in self._typo_prone)

    def found(self, text: str, start: int, end: int) -> bool:
        return self._found_before(text, start) or (self.after > 0 and self._found_after(text, end))

    def _found_before(self, text: str, start: int) -> bool:
        line_start = text.rfind("\n", max(0, start - _REACH), start) + 1
        tokens = _WORD.findall(text, max(line_start, start - _REACH), start)
        counted, number = 0, False
        for i in range(len(tokens) - 1, -1, -1):
            raw = tokens[i]
            token = raw.lower()
            if token.isdigit():  # "2050 62 67138": a spaced number is one word
                counted += not number
                number = True
                if counted >= self.before:
                    return False
                continue
            number = False
            if token == "?" and not counted:
                continue  # a bare answer to a question looks back into the question
            if token in ".!?":
                if token == "." and i > 0 and _abbreviation(tokens[i - 1].lower()):
                    continue
                return False
            if token in _STOPWORDS:
                continue
            if self._match(token) or (raw != token and self._camel(raw)):
                return True
            counted += 1
            if counted >= self.before:
                return False
        return False

    def _camel_words(self, raw: str) -> bool:
        """ "mobilePhone", "bankAccount": a field name's words."""
        parts = key_words(raw)
        return len(parts) > 1 and any(self._match(p) for p in parts)

    def _found_after(self, text: str, end: int) -> bool:
        line_end = text.find("\n", end, end + _REACH)
        # finditer: the words one at a time, as few as decide (``after`` is small)
        tokens = _WORD.finditer(text, end, line_end if line_end != -1 else end + _REACH)
        counted = 0
        for m in tokens:
            raw = m.group()
            token = raw.lower()
            if token in ".!?":
                return False
            if token in _STOPWORDS:
                continue
            if self._match(token) or (raw != token and self._camel(raw)):
                return True
            counted += 1
            if counted >= self.after:
                return False
        return False


def boost(score: float) -> float:
    """The score a cue gives, as Presidio's context step would."""
    return min(max(score + CONTEXT_BOOST, CONTEXT_FLOOR), 1.0)


class Labels:
    """A number right after one of these labels is that thing's number ("Kvittering nr.
    82095857", "Medlemsnummeret ditt er 95646978", "Ordre #45123312")."""

    # The label word, then "nr.", "#", "ditt er" … up to the number; a colon only right
    # before the number ("Kunde: nummeret mitt er …" is a chat line, not a label).
    # Searched backwards from the number (?r): the nearest match, found fast.
    _TAIL = regex.compile(
        r"(?r)(?<![\w-])([^\W\d_]+(?:-[^\W\d_]+)*)"
        r"(?:[ \t.#-]+(?:nr|no|nummer|nummeret|number|ditt|din|mitt|min|vårt|vår|deres|hans|"
        r"hennes|er|var|blir|is)\b){0,3}[ \t.:#(-]*$",
        regex.IGNORECASE,
    )

    def __init__(
        self, stems: Iterable[str], words: Iterable[str] = (), unless: Iterable[str] = ()
    ) -> None:
        # stems: found anywhere in a word, so in compounds too ("returordre",
        # "ordrenummeret"); words: short labels, whole words only ("kid", "sak");
        # unless: words that are no typo of a label ("kontakt" is no "kontrakt").
        self.stems, self.words = tuple(stems), frozenset(words)
        self.unless = frozenset(w.lower() for w in unless) | _NOT_TYPOS
        self._stem = regex.compile("|".join(self.stems), regex.IGNORECASE)
        self._typo_prone = tuple(s for s in self.stems if len(s) >= 6 and s.isalpha())
        self._match = lru_cache(maxsize=4096)(self._matches)

    def extended(
        self, stems: Iterable[str] = (), words: Iterable[str] = (), unless: Iterable[str] = ()
    ) -> Labels:
        return Labels((*self.stems, *stems), (*self.words, *words), (*self.unless, *unless))

    def _matches(self, word: str) -> bool:
        word = word.lower()
        return (
            word in self.words
            or bool(self._stem.search(word))
            or (
                len(word) >= 6
                and word not in self.unless
                and any(s[0] == word[0] and _one_typo(word, s) for s in self._typo_prone)
            )
        )

    def before(self, text: str, start: int) -> bool:
        m = self._TAIL.search(text[max(start - 40, 0) : start])
        return bool(m) and self._match(m.group(1))


# Document numbers: orders, invoices, receipts, members, customers, cases, tracking …
DOCUMENTS = Labels(
    stems=(
        "faktura",
        "ordre",
        "bestilling",
        "referanse",
        # the customer's number ("kundenr", "Kunde-ID"), not the customer ("Ring kunden …")
        "kunde(?:n?(?:nummer|nr)|-?id|kort)",
        "sporing",
        "pakke",
        "tracking",
        "ticket",
        "billett",
        "polise",
        "lisens",
        "kvittering",
        "medlem",
        "bilag",
        "booking",
        "reservasjon",
        "transaksjon",
        "varenummer",
        "serienummer",
        "artikkel",
        "invoice",
        "order",
        "receipt",
        "saksnummer",
        "saksnr",
        "kontrakt",
        "abonnement",
        "avtalenummer",
        "avtalenr",
    ),
    words=("kid", "sak", "saken", "saks", "ref", "refnr", "inc", "ritm", "vare", "varenr"),
)


_DELIMITERS = ("\t", "|", ";", ",")
_HEADER_CELL = regex.compile(r"[ \t]*[^\W\d_][^\d\n]{0,40}")
_TABLE_REACH = 200  # lines looked up for a header
_ROW_REACH = 2_000  # characters a table's row may have on either side of a cell
_PAD = " \"'"  # what may stand between a cell's edge and its value
_CELL_EDGE = frozenset(_DELIMITERS) | {"\n"}


def _count(line: str, delimiter: str) -> int:
    """The delimiters of a row outside its quoted cells ('"Hansen, Trine",98765432' has one
    comma that separates cells, RFC 4180)."""
    if '"' not in line:
        return line.count(delimiter)
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted  # a doubled quote inside a cell toggles twice
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _split(line: str, delimiter: str) -> list[str]:
    """A row's cells, quoted cells whole (their quotes kept)."""
    if '"' not in line:
        return line.split(delimiter)
    cells: list[str] = []
    cell: list[str] = []
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            cells.append("".join(cell))
            cell = []
            continue
        cell.append(ch)
    cells.append("".join(cell))
    return cells


def _unquoted(cell: str) -> str:
    """A cell without its quotes, if it is quoted whole ('"Navn; fullt"'), else as it is
    (trailing blanks off)."""
    inner = cell.strip()
    if len(inner) >= 2 and inner[0] == inner[-1] == '"':
        return inner[1:-1].replace('""', '"')
    return cell.rstrip()


class Table:
    """A table's column header above a match: in "Navn;Kontonummer;Mobil" and the rows
    below it, the header names what a cell's number is. One per text; headers are
    remembered per block of rows."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._blocks: dict[tuple[int, str], list[str] | None] = {}

    def header(self, start: int, end: int) -> str | None:
        """The header of the column the match is a whole cell of, or None."""
        # Most matches stand in running text: the characters next to them, past blanks and
        # quote marks, are no delimiter and no line break, so no line needs a look (a
        # necessary condition of what _cell_header demands: the same results).
        text = self.text
        k = start - 1
        while k >= 0 and text[k] in _PAD:
            k -= 1
        if k >= 0 and text[k] not in _CELL_EDGE:
            return None
        k, n = end, len(text)
        while k < n and text[k] in _PAD:
            k += 1
        if k < n and text[k] not in _CELL_EDGE:
            return None
        return self._cell_header(start, end)

    def _cell_header(self, start: int, end: int) -> str | None:
        text = self.text
        # A table's row is short: on a longer line there is no header to find, and the
        # search for the line's ends stays bounded (long texts stay linear).
        lo = max(0, start - _ROW_REACH)
        line_start = text.rfind("\n", lo, start) + 1
        if not line_start and lo:
            return None
        line_end = text.find("\n", end, end + _ROW_REACH)
        if line_end == -1:
            if end + _ROW_REACH < len(text):
                return None
            line_end = len(text)
        line = text[line_start:line_end]
        delimiter = next((d for d in _DELIMITERS if d in line), None)
        if delimiter is None:
            return None
        before = text[line_start:start].rstrip(" \"'")
        after = text[end:line_end].lstrip(" \"'")
        if (before and not before.endswith(delimiter)) or (
            after and not after.startswith(delimiter)
        ):
            return None
        cells = self._header_cells(line_start, delimiter, _count(line, delimiter))
        column = _count(before, delimiter)
        return cells[column] if cells is not None and column < len(cells) else None

    def _header_cells(self, line_start: int, delimiter: str, count: int) -> list[str] | None:
        """The cells of the first line of the block of lines with ``count`` delimiters that
        ends with the line at ``line_start``, if they look like a header."""
        text, visited = self.text, []
        start = line_start
        for _ in range(_TABLE_REACH):
            key = (start, delimiter)
            if key in self._blocks:
                cells = self._blocks[key]
                break
            visited.append(key)
            if start == 0:
                cells = self._as_header(start, delimiter, line_start)
                break
            previous = text.rfind("\n", 0, start - 1) + 1
            if _count(text[previous : start - 1], delimiter) != count:
                cells = self._as_header(start, delimiter, line_start)
                break
            start = previous
        else:
            cells = None
        for key in visited:
            self._blocks[key] = cells
        return cells

    def _as_header(self, start: int, delimiter: str, row: int) -> list[str] | None:
        if start == row:  # the first line of the block is the row itself
            return None
        end = self.text.find("\n", start)
        cells = _split(self.text[start : end if end != -1 else len(self.text)], delimiter)
        inner = cells
        if delimiter == "|" and len(cells) > 2 and not cells[0].strip():
            inner = cells[1:-1] if not cells[-1].strip() else cells[1:]  # "| Navn | Tlf |"
        if all(_HEADER_CELL.fullmatch(_unquoted(c)) for c in inner):
            return [_unquoted(c).strip() for c in cells]
        return None


def named_by(header: str, words: Cues | Labels) -> bool:
    """Whether a column header or field name ("Fødsels- og personnummer", "Medlemsnr",
    "bank_account", "phoneNumber") is one of the words."""
    return any(
        words._match(w.lower()) or any(words._match(p) for p in key_words(w)[:-1])
        for w in _WORD.findall(header)
        if w not in ".!?"
    )


def apply(
    cues: Cues,
    text: str,
    results: list,
    labels: Labels | None = None,
    labelled: Callable[[Any], bool] = lambda r: True,
    table: Table | None = None,
) -> list:
    """Drop the results a label names as something else (``labelled`` says which results
    a label can overrule), and raise the score of those with a cue: before them on their
    line (or right after), or as their column's header.

    This is the recognizer's own context step (a superset of Presidio's for these words),
    so every result is marked as done for Presidio's: it does not raise a score twice, and
    a text whose results are all settled here needs no tokens at all."""
    table = table or Table(text)
    kept = []
    for r in results:
        header = table.header(r.start, r.end)
        if (
            labels is not None
            and labelled(r)
            and (labels.before(text, r.start) or (header is not None and named_by(header, labels)))
        ):
            continue
        if r.score < 1.0 and (
            (header is not None and named_by(header, cues)) or cues.found(text, r.start, r.end)
        ):
            r.score = boost(r.score)
        meta = r.recognition_metadata if r.recognition_metadata is not None else {}
        meta[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        r.recognition_metadata = meta
        kept.append(r)
    return kept


def own_result(
    recognizer: EntityRecognizer,
    entity_type: str,
    start: int,
    end: int,
    score: float,
    settled: bool = True,
) -> RecognizerResult:
    """A result of a recognizer that weighs its own cues. ``settled``: those cues include
    the context words, so Presidio's context step must not raise the score again."""
    metadata: dict[str, Any] = {
        RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,  # type: ignore[has-type]
        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
    }
    if settled:
        metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
    return RecognizerResult(
        entity_type,
        start,
        end,
        score,
        analysis_explanation=AnalysisExplanation(recognizer.name, score),  # type: ignore[has-type]
        recognition_metadata=metadata,
    )
