"""The name finder: words of a text, classified by the lexicon, turned into name spans
by the cues (name_cues), by known names, and by propagation within the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from itertools import chain, compress
from operator import or_

from .name_cues import (
    _VCARD,
    ANGLE,
    CELL_END,
    CUES,
    DASH_SIGN_AT,
    DATE_BEFORE,
    DATE_NEIGHBOUR,
    DATE_WORDS,
    DOMAIN,
    ENGLISH_NEXT,
    ENGLISH_OPENERS,
    FILL_END,
    GREET_WORDS,
    HER,
    HER_INTRO,
    HOUSE_NUMBER,
    JOIN,
    JSON_KEY,
    KEY_LINE,
    KV,
    LABEL,
    LINE_END,
    LINK,
    LOWER_AFTER,
    LOWER_BEFORE,
    LOWER_END,
    MAKES,
    MESSAGE_START,
    MESSAGE_WORDS,
    NOUN_ENDINGS,
    PAREN,
    PLAIN_SPEAKER,
    POSSESSIVES,
    PRODUCT,
    REST_BLANK,
    REVERSED_END,
    SIG_LINE,
    SIGNOFF_AT,
    SIGNOFF_NEXT_LINE_AT,
    SPEAKER,
    SPEECH_VERB,
    STRONG_LOWER,
    SURNAME_VERB,
    USER_AGENT,
    VERB_AFTER,
    VOCATIVE_END,
    WORD,
    XML_KEY,
    name_field,
    name_part_field,
    thing_field,
)
from .name_lexicon import (
    AMBIGUOUS,
    FIRST,
    FOREIGN,
    LAST,
    NAME,
    ORG,
    ORG_SUFFIXES,
    PARTICLE,
    PLACE,
    SHAPE,
    STOP,
    STREET,
    lowercase_words,
    word_class,
)
from .native import bind as _bind_native
from .native import module as _native_module

# Slot kinds, by how much shape they demand of an unknown name.
_FILL, _GREETING, _INTRO_KIND, _INTRO_WEAK = "fill", "greeting", "intro", "intro-weak"
_INTRO_GREETED, _TITLE_KIND, _CELL = "intro-greeted", "title", "cell"
_RELATION_KIND, _RELATION_WEAK_KIND, _PAREN_KIND = "relation", "relation-weak", "paren"
_DASH, _SIGNATURE, _GREETING_LOWER = "dash", "signature", "greeting-lower"
_HETER = sorted("heter")
_REVERSED_JOIN = re.compile(r"[ \t]*;[ \t]*|[ \t]+(?:og|and|&)[ \t]+")


class Scores:
    """How sure each kind of evidence makes the finder (see no_person_recognizer)."""

    CUED_KNOWN, CUED, FULL, FIRST_AND_WORD, FIRST_ONLY, LOWER = 0.9, 0.8, 0.85, 0.6, 0.6, 0.8
    UNKNOWN_AND_LAST = 0.55


_S = Scores


_TABLE_HINTS = (
    "avn",
    "amn",
    "ame",
    "unde",
    "irst",
    "ast",
    "urname",
    "iven",
    "amily",
    "ontakt",
    "eltak",
    "nsatt",
    "AVN",
    "AME",
)


def _may_have_table(text: str) -> bool:
    return ("\n" in text and any(h in text for h in _TABLE_HINTS)) and (
        ";" in text or "|" in text or "\t" in text or text.count(",") > 3 or '","' in text
    )


def find_names(text: str) -> list[tuple[int, int, float]]:
    """(start, end, score) of each name in ``text``."""
    words = _native_words(text) if _native_words is not None else None
    if words is None:
        words = word_spans(text)
    if not words:
        return []
    finder = _Finder(text, words)
    return finder.run()


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each WORD in ``text``: the reference for the compiled kernel."""
    matches = list(WORD.finditer(text))
    # map over the C methods: a third of the time of a comprehension that calls each
    return list(zip(map(_START, matches), map(_END, matches), map(_GROUP, matches), strict=True))


_START, _END, _GROUP = re.Match.start, re.Match.end, re.Match.group
# The compiled word_spans (native/, optional): the same list, or None for a text it cannot
# take (lone surrogates); absent, or off with GLEMSEL_NATIVE=0, the Python code runs.
_WordSpans = Callable[[str], "list[tuple[int, int, str]] | None"]


_native_words: _WordSpans | None = _bind_native(globals(), "_native_words", "word_spans")
# The compiled _Finder._cues (native/src/cues.rs), given CUES once as a CueTable.
_NativeCues = Callable[[object, str, list, list], "list[tuple[int, str]] | None"]
_native_cues: _NativeCues | None = _bind_native(globals(), "_native_cues", "cues")
# The kinds by the numbers the kernel knows them by (its first six are fixed).
_CUE_KINDS = (
    _GREETING,
    _INTRO_KIND,
    _INTRO_WEAK,
    _RELATION_KIND,
    _GREETING_LOWER,
    _INTRO_GREETED,
    _TITLE_KIND,
    _RELATION_WEAK_KIND,
)
_CUE_SEPARATORS = {
    r"[ \t]*[,!]?[ \t]+": "greeting",
    r"[ \t]*[,:]?[ \t]+": "cue",
    r"\.?[ \t]+": "title",
    r"\.?:?[ \t]+|[ \t]*/[ \t]*": "att",
    r"[ \t]*/[ \t]*": "slash",
}


def _cue_table() -> object | None:
    """CUES for the kernel, or None if the module lacks it or CUES holds a separator or a
    kind the kernel does not know (the Python loop then runs)."""
    module = _native_module()
    if module is None or not hasattr(module, "CueTable"):
        return None
    entries = []
    for first, items in CUES.items():
        converted = []
        for rest, kind, sep in items:
            if kind not in _CUE_KINDS or sep.pattern not in _CUE_SEPARATORS or sep.flags & ~re.U:
                return None
            converted.append((list(rest), _CUE_KINDS.index(kind), _CUE_SEPARATORS[sep.pattern]))
        entries.append((first, converted))
    return module.CueTable(entries, list(_CUE_KINDS), sorted(POSSESSIVES), sorted(GREET_WORDS))


_CUE_TABLE = _cue_table()
_DATE_OPENER_OR_MAKE = DATE_WORDS | ENGLISH_OPENERS | MAKES
_SURNAME_LIKE = LAST | FOREIGN | SHAPE  # what _surname_after needs of the next word
_SLASH_DIGIT = re.compile(r"/\d")
# A chat line's time stamp before its speaker: "[08:26] ", "12:31 - ".
_STAMP_BEFORE = re.compile(r"[ \t>]*(?:\[[^\]\n]{1,25}\]|\d{1,2}[:.]\d{2})[ \t]*(?:[-–—|][ \t]*)?")


class _Finder:
    def __init__(self, text: str, words: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.words = words
        starts, ends, strings = zip(*words, strict=True)
        self.keys = list(map(str.casefold, strings))
        self.classes = list(map(word_class, self.keys))
        self.at = dict(zip(starts, range(len(words)), strict=True))
        self.end_at = dict(zip(ends, range(len(words)), strict=True))
        self.used = [False] * len(words)
        self.found: list[tuple[int, int, float]] = []
        at = text.find("@")
        while at >= 0:
            m = DOMAIN.match(text, at)
            if m:
                start = at
                while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._+-'’"):
                    start -= 1
                self._block(start, m.end())
            at = text.find("@", at + 1)
        if "www." in text or "://" in text:
            for m in LINK.finditer(text):
                self._block(m.start(), m.end())
        if "/" in text:
            # "Safari/537.36", "KundeApp/4.1": each holds "/" and a digit, most texts neither
            for m in PRODUCT.finditer(text) if _SLASH_DIGIT.search(text) else ():
                self._block(m.start(), m.end())
            if "Mozilla/" in text or "(" in text:
                for m in USER_AGENT.finditer(text):
                    self._block(m.start(), m.end())
        self.caps_ok = False
        n = len(words)
        # Only the few date words, English openers and makes need a look (compress
        # and the set's __contains__ pick them out without a Python step per word).
        for i in compress(range(n), map(_DATE_OPENER_OR_MAKE.__contains__, self.keys)):
            key = self.keys[i]
            if key in DATE_WORDS and words[i][2][0].isupper():
                end, start = words[i][1], words[i][0]
                if DATE_NEIGHBOUR.match(text, end) or DATE_BEFORE.search(
                    text, max(0, start - 4), start
                ):
                    self.used[i] = True  # "Dec  1", "Sun, 8 Mar", "26/Jan/2026", "1 Jun"
                    if i and self.keys[i - 1] == "on" and self._joined(i - 1, i):
                        self.used[i - 1] = True  # "On Sun, 8 Mar 2026"
            elif key in MAKES:
                if i + 1 < n and self._joined(i, i + 1) and self._is_cap(i + 1):
                    self.used[i + 1] = True  # "Renault Zoe": a model
            elif (
                key in ENGLISH_OPENERS
                and i + 1 < n
                and self.keys[i + 1] in ENGLISH_NEXT
                and self.words[i + 1][2].islower()
                and self._joined(i, i + 1)
            ):
                self.used[i] = True  # "Even so, …", "May I …"

    def _block(self, start: int, end: int) -> None:
        for i in range(bisect_left(self.words, (start,)), len(self.words)):
            if self.words[i][1] > end:
                break
            self.used[i] = True

    # --- driver ---------------------------------------------------------------------------
    def run(self) -> list[tuple[int, int, float]]:
        text = self.text
        if _may_have_table(text):
            self._tables()
        self._fields()
        stamped = list(SPEAKER.finditer(text))
        self._stamped_speakers = sum(1 for m in stamped if m.group("name"))
        for m in stamped:
            group = "name" if m.group("name") else "name2"
            self._speaker(m.start(group), m.end(group), m.end())
        if "<" in text:
            for m in ANGLE.finditer(text):
                self._angle(m.start())
        for m in LABEL.finditer(text):
            if m.group("sep") in "|\t":  # not a table's header: "Navn\tTelefon\tE-post"
                line_end = text.find("\n", m.end())
                if m.group("sep") in text[m.end() : line_end if line_end >= 0 else None]:
                    continue
            self._slot(m.end(), _FILL)
        for m in SIGNOFF_AT.finditer(text):
            self._slot(m.end(), _FILL)
        if "\n" in text:
            for m in SIGNOFF_NEXT_LINE_AT.finditer(text):
                self._slot(m.end(), _FILL)
            for m in DASH_SIGN_AT.finditer(text):
                self._slot(m.end(), _DASH)
            for m in SIG_LINE.finditer(text):
                self._slot(m.end(), _SIGNATURE)
        cued = self._cues()
        for pos, kind in cued:
            if kind in (_GREETING, _GREETING_LOWER):
                self._slot(pos, kind)
        self._plain_speakers()
        if "(" in text:
            for m in PAREN.finditer(text):
                self._slot(m.end(), _PAREN_KIND)
        for rank in (_INTRO_KIND, _INTRO_GREETED, _INTRO_WEAK, _TITLE_KIND, _RELATION_KIND):
            for pos, kind in cued:
                if kind == rank:
                    self._slot(pos, kind)
        for pos, kind in cued:
            if kind == _RELATION_WEAK_KIND:
                self._slot(pos, kind)
        self._listed()
        self._reversed_lists()
        self._lone_surnames()
        self._lower_names()
        self._propagate()
        return self.found

    def _propagate(self) -> None:
        """A name found once through a cue is a name wherever else it stands: "Aung Kyaw: takk"
        after "[10:01] Aung Kyaw: hei, har dere åpent?", "Thandiwe sa" after "Hei Thandiwe,"."""
        learned: set[tuple[str, ...]] = set()
        lower: set[str] = set()
        for start, end, _ in self.found:
            i, j = self.at.get(start), self.end_at.get(end)
            if i is None or j is None:
                continue
            if not self.words[i][2][0].isupper():
                if i == j and (self.classes[i] & NAME or self._speaker_at(start)):
                    lower.add(self.keys[i])  # a lowercase chat name: "[12:01] liban: …"
                continue
            keys = tuple(self.keys[i : j + 1])
            if any(self.classes[k] & PLACE for k in range(i, j + 1)):
                continue  # "Etternavn: Molde" leaves "flytter til Molde" a place
            if any(not self.classes[k] & NAME for k in range(i, j + 1)):
                learned.add(keys)
                c = self.classes[i]
                if j > i and not c & (NAME | STOP) and len(keys[0]) >= 3:
                    learned.add(keys[:1])  # the given name alone
        if lower:
            self._propagate_lower(lower)
        if not learned:
            return
        firsts = {k[0] for k in learned}
        longest_first = sorted(learned, key=len, reverse=True)
        for i, key in enumerate(self.keys):
            if self.used[i] or key not in firsts or not self._is_cap(i):
                continue
            for name in longest_first:
                j = i + len(name)
                if tuple(self.keys[i:j]) != name or any(self.used[i:j]):
                    continue
                if all(self._joined(k - 1, k) for k in range(i + 1, j)):
                    if not self._is_org_or_street(i, j) and (
                        j == len(self.words) or not (self._joined(j - 1, j) and self._is_cap(j))
                    ):
                        self._emit(i, j, _S.FIRST_ONLY)
                    break

    def _reversed_lists(self) -> None:
        """'Tilstede: Aas, Trine; Hovde, Kjersti': a surname, a comma and the given names found,
        as a list item of its own (after ":", ";" or at a line's start, and before ";", a line
        end or a bracket), is one name in register order."""
        text, words, classes = self.text, self.words, self.classes
        for n, (start, end, score) in enumerate(self.found):
            i = self.at.get(start)
            if i is None or i == 0 or not classes[i] & FIRST:
                continue
            s = i - 1
            if self.used[s] or text[words[s][1] : start] != ", " or not self._is_cap(s):
                continue
            c = classes[s]
            if not c & (LAST | SHAPE | FOREIGN) or c & (STOP | ORG | STREET):
                continue
            before = text[words[s - 1][1] : words[s][0]] if s else "\n"
            if not any(ch in before for ch in ":;\n|\t") or not REVERSED_END.match(text, end):
                continue
            self.used[s] = True
            self.found[n] = (words[s][0], end, score)

    def _lone_surnames(self) -> None:
        """A listed surname alone is a name where the text says so: the surname of a full
        name found earlier ("Kari Solheim ringte. Solheim ville …") or one followed by a verb
        of speech or contact ("Hansen sa at …", "Nguyen har ringt"). Elsewhere a surname alone
        is too often a place, a farm or a company to count."""
        text, words, classes = self.text, self.words, self.classes
        known: set[str] = set()
        for start, end, _ in self.found:
            i, j = self.at.get(start), self.end_at.get(end)
            if i is None or j is None or j == i or classes[j] & (AMBIGUOUS | STOP):
                continue
            if classes[j] & (LAST | SHAPE | FOREIGN):
                known.add(self.keys[j])
        n = len(words)
        for i in compress(range(n), map(LAST.__and__, classes)):
            c = classes[i]
            if self.used[i] or c & (FIRST | AMBIGUOUS | STOP | ORG | STREET) or not self._is_cap(i):
                continue
            key = self.keys[i]
            if not (
                key in known
                or key.endswith("s")
                and key[:-1] in known  # "Solheims sak"
                or SURNAME_VERB.match(text, words[i][1])
            ):
                continue
            if i and self._joined(i - 1, i) and self._is_cap(i - 1) and not classes[i - 1] & STOP:
                continue  # part of another capitalised run: "Solheim Bygg", "Anne Solheim"
            if i + 1 < n and self._joined(i, i + 1) and self._is_cap(i + 1):
                continue
            if not self._is_org_or_street(i, i + 1):
                self._emit(i, i + 1, _S.FIRST_ONLY)
        # "Mark said", "Liv skreiv": an everyday-word first name before a verb of speech.
        for i in compress(range(n), map(AMBIGUOUS.__and__, classes)):
            c = classes[i]
            if self.used[i] or not c & FIRST or c & STOP or len(self.keys[i]) < 3:
                continue
            if not self._is_cap(i):
                continue
            if SPEECH_VERB.match(text, words[i][1]):
                if (
                    i
                    and self._joined(i - 1, i)
                    and self._is_cap(i - 1)
                    and not classes[i - 1] & STOP
                ):
                    continue
            elif not (self._sentence_start(i) and HER_INTRO.match(text, words[i][1])):
                continue  # "Sol her, ringer om ordren": a caller says who speaks
            self._emit(i, i + 1, _S.FIRST_ONLY)

    def _lower_names(self) -> None:
        """Lowercase chat with no cue: "kan du sjekke ordren til jonas?", "fikk mail fra
        camilla hansen nå". A listed first name that is no everyday word (ambiguous_names.txt
        holds those) is a name in lowercase too, where it stands as a word of prose."""
        text, words, classes = self.text, self.words, self.classes
        n, lower_words = len(words), lowercase_words()
        for i in compress(range(n), map(FIRST.__and__, classes)):
            c = classes[i]
            if self.used[i] or c & (AMBIGUOUS | STOP | ORG | STREET) or len(self.keys[i]) < 3:
                continue
            if self.keys[i] in lower_words:
                continue
            start, end, word = words[i]
            if not word.islower() or start and text[start - 1] not in LOWER_BEFORE:
                continue
            j = i + 1
            while j < n and j - i < 4 and not self.used[j] and self._joined(j - 1, j):
                k = classes[j]
                if not words[j][2].islower() or not k & NAME or k & (AMBIGUOUS | STOP):
                    break
                if self.keys[j] in lower_words:
                    break
                j += 1
            if not LOWER_AFTER.match(text, words[j - 1][1]):
                continue
            h = i - 1  # "jan erik", "tor arne": a first name that is a word, before another
            if (
                h >= 0
                and not self.used[h]
                and self._joined(h, i)
                and words[h][2].islower()
                and classes[h] & FIRST
                and not classes[h] & STOP
                and (not h or text[words[h][0] - 1] in LOWER_BEFORE)
            ):
                i = h
            self._emit(i, j, _S.FIRST_ONLY)

    def _speaker_at(self, start: int) -> bool:
        """The word at ``start`` opens a timestamped chat line as its speaker."""
        line_start = self.text.rfind("\n", max(0, start - 40), start) + 1
        return bool(_STAMP_BEFORE.fullmatch(self.text, line_start, start))

    def _propagate_lower(self, names: set[str]) -> None:
        """Lowercase chat: a speaker's name is a name where the others write it ("ja, liban
        👍", "liban kan du hente …"); an everyday-word name only where it is addressed (at
        the start of a message, or before punctuation)."""
        text = self.text
        for i, key in enumerate(self.keys):
            if self.used[i] or key not in names or not self.words[i][2].islower():
                continue
            if self.classes[i] & (AMBIGUOUS | STOP):
                start, end = self.words[i][0], self.words[i][1]
                lo = max(0, start - 120)  # a message's opening is short: bounded look-back
                line_start = text.rfind("\n", lo, start) + 1 or lo
                opening = MESSAGE_START.fullmatch(text, line_start, start)
                if not (opening or LOWER_END.match(text, end)):
                    continue
            self._emit(i, i + 1, _S.LOWER)

    def _cues(self) -> list[tuple[int, str]]:
        """(position of the name, kind) after each cue phrase of CUES."""
        if _native_cues is not None and _CUE_TABLE is not None:
            found = _native_cues(_CUE_TABLE, self.text, self.words, self.keys)
            if found is not None:
                return found
        return self._cues_python()

    def _cues_python(self) -> list[tuple[int, str]]:
        """_cues in Python: the reference for the compiled kernel."""
        keys, words, text, n = self.keys, self.words, self.text, len(self.words)
        found = []
        for i, key in enumerate(keys):
            entries = CUES.get(key)
            if entries is None:
                if (
                    len(key) == 5
                    and i > 0
                    and keys[i - 1] in ("jeg", "eg")
                    and key != "heter"
                    and sorted(key) == _HETER
                    and i + 1 < n
                ):
                    found.append((words[i + 1][0], _INTRO_KIND))  # "jeg hetre", "jeg heetr"
                continue
            for rest, kind, sep in entries:
                k = i + 1
                for word in rest:
                    if k >= n or keys[k] != word or text[words[k - 1][1] : words[k][0]] != " ":
                        break
                    k += 1
                else:
                    if kind == _RELATION_KIND and k < n and keys[k] in POSSESSIVES:
                        k += 1  # "kona mi Kari"
                    if k >= n or not sep.fullmatch(text, words[k - 1][1], words[k][0]):
                        continue
                    if kind == _GREETING and "!" in text[words[k - 1][1] : words[k][0]]:
                        kind = _GREETING_LOWER  # "hei! marte her", never "Takk! Storm i vente"
                    if (
                        kind == _INTRO_WEAK
                        and i > 0
                        and keys[i - 1] in GREET_WORDS
                        and "\n" not in text[words[i - 1][1] : words[i][0]]
                    ):
                        kind = _INTRO_GREETED  # "hei, det er Selam 😊"
                    found.append((words[k][0], kind))
                    break
        return found

    def _emit(self, i: int, j: int, score: float) -> None:
        after = self.text[self.words[j - 1][1] : self.words[j - 1][1] + 1]
        if after.isdigit() or after == "_":
            return  # a handle, not a name: "henrik123", "kari_b"
        for k in range(i, j):
            self.used[k] = True
        self.found.append((self.words[i][0], self.words[j - 1][1], score))

    # --- runs -------------------------------------------------------------------------------
    def _joined(self, a: int, b: int) -> bool:
        """Words a and b belong to one name: one blank between them, not a line or a comma."""
        return self.text[self.words[a][1] : self.words[b][0]] in (" ", "\u00a0")

    def _initial(self, a: int, b: int) -> bool:
        """Word a is an initial before word b: "Anne-Lise M. Berg"."""
        word = self.words[a][2]
        return (
            len(word) == 1
            and word.isupper()
            and self.text[self.words[a][1] : self.words[b][0]] == ". "
        )

    def _is_cap(self, i: int) -> bool:
        word = self.words[i][2]
        if not word[0].isupper():
            return word[1:2] in ("'", "’") and word[2:3].isupper()  # "d'Angelo"
        # All capitals ("AS", "DY", "NAV") only when a list knows the word, in a field that
        # holds a name, or next to a known name in capitals ("OVERFØRING TIL HEAIKA NORDMANN").
        if not (len(word) > 1 and word.isupper()) or self.classes[i] & NAME:
            return True
        if self.classes[i] & (STOP | ORG) or word in ORG_SUFFIXES:
            return False
        if self.caps_ok:
            return True
        return any(
            0 <= k < len(self.words)
            and self._joined(min(i, k), max(i, k))
            and self.words[k][2].isupper()
            and self.classes[k] & NAME
            and not self.classes[k] & (AMBIGUOUS | STOP)
            for k in (i - 1, i + 1)
        )

    def _extend(self, i: int, lower: bool, limit: int = 5) -> int:
        """End (exclusive) of the run of name words that starts at word i."""
        n, j = len(self.words), i + 1
        while j < n and j - i < limit and not self.used[j] and self._joined(j - 1, j):
            c = self.classes[j]
            word = self.words[j][2]
            if c & PARTICLE:
                # "van den Berg", "de la Cruz", "von der Lippe": particles, then a name
                k = j
                while (
                    k < n
                    and k - j < 3
                    and self.classes[k] & PARTICLE
                    and (k == j or self._joined(k - 1, k))
                ):
                    k += 1
                if k < n and k > j and self._joined(k - 1, k) and self._is_cap(k):
                    j = k + 1
                    continue
                if k < n and k > j and self._joined(k - 1, k) and self._caps_particles(i, j, k):
                    j = k + 1  # "MATTEO VON DER LIPPE": capitals after a known name in capitals
                    continue
            if (  # an initial: "Kari N. Hansen"
                len(word) == 1
                and word.isupper()
                and j + 1 < n
                and self.text[self.words[j][1] : self.words[j + 1][0]] == ". "
                and self._is_cap(j + 1)
                and self.classes[j + 1] & (NAME | SHAPE)
            ):
                j += 2
                continue
            if lower and not word[0].isupper():
                if not c & NAME or (c & STOP and not c & FIRST):
                    break
            elif not self._is_cap(j) or (c & STOP and not c & NAME) or c & ORG:
                break
            if word in ORG_SUFFIXES:
                break
            j += 1
        while j - 1 > i and self.classes[j - 1] & PARTICLE and not self.classes[j - 1] & NAME:
            j -= 1
        return j

    def _caps_particles(self, i: int, j: int, k: int) -> bool:
        """Words j..k-1 are particles in capitals and word k a word in capitals, after a run
        that starts with a known name in capitals (or in a field that holds a name)."""
        words = self.words
        head = words[i][2]
        if not all(words[m][2].isupper() for m in range(j, k + 1)) or len(words[k][2]) < 2:
            return False
        if self.classes[k] & (STOP | ORG) or words[k][2] in ORG_SUFFIXES:
            return False
        return self.caps_ok or (
            head.isupper() and bool(self.classes[i] & NAME) and not self.classes[i] & STOP
        )

    def _is_org_or_street(self, i: int, j: int) -> bool:
        """The run i..j is part of a company name or a street name."""
        n, words = len(self.words), self.words
        if any(self.classes[k] & ORG for k in range(i + 1, j)):
            return True
        k = j
        while k < n and k - j < 4 and self._joined(k - 1, k):
            word = words[k][2]
            if word in ORG_SUFFIXES or self.classes[k] & ORG and word[0].isupper():
                return True
            if self.classes[k] & STREET and word.islower():
                return True
            if not word[0].isupper():
                break
            k += 1
        end = words[j - 1][1]
        if self.text[end : end + 2] in (" &", "&"):
            return True  # "Hansen & Co"
        # "Myrtunet 18D", "Vestre Moen 10A": one or two words before a house number, the
        # first no given name, are a street or a farm.
        return (
            j - i <= 2 and not self.classes[i] & FIRST and bool(HOUSE_NUMBER.match(self.text, end))
        )

    def _name_shaped(self, i: int, strict: bool = False) -> bool:
        """A word that could be a name: known, or capitalised and not a never-name. Strict (no
        known name in the run): not a Norwegian noun by its ending either ("Kundesenteret")."""
        c, key = self.classes[i], self.keys[i]
        if c & NAME:
            return True
        if c & (STOP | ORG) or len(key) < 2 or not self.words[i][2][0].isupper():
            return False
        if key.endswith(NOUN_ENDINGS):
            return False
        definite = len(key) >= 8 and key.endswith(("en", "et", "ene")) and not key.endswith("een")
        return not (strict and definite)

    # --- cued slots -----------------------------------------------------------------------
    def _slot(self, pos: int, kind: str) -> None:
        """A name where a cue puts one, then the names joined to it ("Hei Oleksandr og
        Mathias", "Husstand: A, B og C")."""
        i = self.at.get(pos)
        # "Søker: Rørvik, Ingvild": a place name before a given name is a surname
        surname = i is not None and kind in (_FILL, _CELL) and self._place_first(i)
        kept = self._places_as_surnames(i, 1) if surname and i is not None else []
        try:
            j = self._slot_once(pos, kind, chained=False)
        finally:
            self._restore(kept)
        # "Deltakere: Aas, Trine; Lie, Morten": after a reversed name the list goes on at
        # ";" (its commas are inside the names), each name reversed too.
        listed = (
            j is not None
            and kind in (_FILL, _CELL)
            and ", " in self.text[pos : self.words[j - 1][1]]
        )
        join = _REVERSED_JOIN if listed else JOIN
        while j is not None and kind not in (_PAREN_KIND, _DASH, _SIGNATURE):
            m = join.match(self.text, self.words[j - 1][1])
            if not m or m.end() not in self.at:
                break
            j = self._slot_once(m.end(), kind, chained=True, reverse=listed)

    def _slot_once(self, pos: int, kind: str, chained: bool, reverse: bool = False) -> int | None:
        i = self.at.get(pos)
        if i is None and self.text[pos : pos + 1] == "@":
            i = self.at.get(pos + 1)
        if i is None or self.used[i]:
            return None
        word = self.words[i][2]
        if (not word[0].isupper() or self.caps_ok and word.isupper()) and self._particle_led(i):
            # "Etternavn: van Beek", "de Souza;" (a surname that starts with its particle)
            j = self._extend(i, lower=False)
            if j - i >= 2:
                if kind in (_FILL, _CELL) and (not chained or reverse):
                    j = self._reversed(i, j)  # "Kontaktperson: de Vries, Anna"
                self._emit(i, j, _S.CUED_KNOWN)
                return j
        if not self.words[i][2][0].isupper():
            self._lower_slot(i, pos, kind)
            return None
        if kind == _GREETING_LOWER:
            return None
        c = self.classes[i]
        if not self._is_cap(i) or (c & STOP and not c & NAME) or c & ORG:
            return None
        j = self._extend(i, lower=False)
        if self._is_org_or_street(i, j):
            return None
        run = self.classes[i:j]
        known = any(k & NAME and not k & AMBIGUOUS for k in run)
        named = any(k & NAME for k in run)
        end = self.words[j - 1][1]
        text = self.text
        if (
            kind in (_FILL, _CELL)
            and (not chained or reverse)
            and j - i == 1
            and (run[0] & (LAST | SHAPE) or self.caps_ok)
        ):
            j = self._reversed(i, j)  # "Navn: Hansen, Kari"
            end = self.words[j - 1][1]
        if kind == _PAREN_KIND:
            ok = text[end : end + 1] == ")" and named and all(k & NAME for k in run)
            ok = ok and not (j - i == 1 and run[0] & STOP)
        elif kind == _DASH:
            ok = bool(FILL_END.match(text, end)) and (named or bool(REST_BLANK.match(text, end)))
        elif kind == _SIGNATURE:
            ok = bool(LINE_END.match(text, end))
        elif known or kind in (_INTRO_KIND, _TITLE_KIND):
            ok = True
        elif kind in (_FILL, _CELL):
            ok = chained or bool(FILL_END.match(text, end))
        elif kind == _INTRO_WEAK:
            ok = bool(HER.match(text, end))
        elif kind == _RELATION_WEAK_KIND:
            ok = j - i >= 2 or (named and bool(VOCATIVE_END.match(text, end)))
        elif kind == _RELATION_KIND:
            ok = j - i >= 2 or bool(VOCATIVE_END.match(text, end))
        else:  # greetings, "hei, det er X"
            ok = bool(VOCATIVE_END.match(text, end))
        strict = not named
        if not ok or not all(self._name_shaped(k, strict) for k in range(i, j)):
            return None
        self._emit(i, j, _S.CUED_KNOWN if named else _S.CUED)
        return j

    def _particle_led(self, i: int) -> bool:
        """Word i is a particle that particles and then a capitalised word follow."""
        n, k = len(self.words), i
        while k < n and k - i < 3 and self.classes[k] & PARTICLE and not self.used[k]:
            if k > i and not self._joined(k - 1, k):
                return False
            k += 1
        return k > i and k < n and self._joined(k - 1, k) and self._is_cap(k)

    def _field(self, pos: int, places: bool = False, kind: str = _FILL) -> None:
        """A value in a field that names a person: any name-shaped words fill it, in
        capitals too ("ETTERNAVN: HÆTTA", '"first": "Áile"'); with ``places``, in a field
        for a name or its part, place names are surnames too ("Etternavn: Rørvik")."""
        self.caps_ok = True
        i = self.at.get(pos)
        kept = self._places_as_surnames(i) if places and i is not None else []
        try:
            self._slot(pos, kind)
        finally:
            self.caps_ok = False
            self._restore(kept)

    def _places_as_surnames(self, i: int, limit: int = 4) -> list[tuple[int, int]]:
        """Place names among the (up to ``limit``) joined words from word i count as
        surnames: their classes before, for _restore."""
        kept = []
        for k in range(i, min(i + limit, len(self.words))):
            if k > i and not self._joined(k - 1, k):
                break
            if self.classes[k] & PLACE:
                kept.append((k, self.classes[k]))
                self.classes[k] = self.classes[k] & ~STOP | LAST
        return kept

    def _restore(self, kept: list[tuple[int, int]]) -> None:
        for k, c in kept:  # a place elsewhere in the text stays a place
            self.classes[k] = c

    def _place_first(self, i: int) -> bool:
        """'Rørvik, Ingvild': a place before a known given name, surname first."""
        if i + 1 >= len(self.words) or not self.classes[i] & PLACE:
            return False
        after = self.classes[i + 1]
        return (
            self.text[self.words[i][1] : self.words[i + 1][0]] == ", "
            and bool(after & FIRST)
            and not after & AMBIGUOUS
        )

    def _fields(self) -> None:
        text = self.text
        if ":" in text or "=" in text:
            for m in KEY_LINE.finditer(text):
                if thing_field(m.group("key")):
                    line_end = text.find("\n", m.end())
                    self._block(m.end(), line_end if line_end >= 0 else len(text))
                elif name_field(m.group("key")):
                    self._field(m.end(), name_part_field(m.group("key")))
        if '"' in text:
            for m in JSON_KEY.finditer(text):
                if thing_field(m.group("key")):
                    self._block(m.end(), text.find('"', m.end()) % (len(text) + 1))
                elif name_field(m.group("key")):
                    self._field(m.end(), name_part_field(m.group("key")))
        if "=" in text:
            for m in KV.finditer(text):
                if name_field(m.group("key")):
                    self._field(m.end(), name_part_field(m.group("key")))
        if "<" in text:
            for m in XML_KEY.finditer(text):
                if name_field(m.group("key")):
                    self._field(m.end(), name_part_field(m.group("key")))
        if "VCARD" in text or "vcard" in text.lower():
            for m in _VCARD.finditer(text):
                pos = m.start("value")
                for part in m.group("value").split(";"):
                    if part.strip():
                        self._field(pos + len(part) - len(part.lstrip()), places=True)
                    pos += len(part) + 1
                    if m.group("prop") == "FN":
                        break

    def _reversed(self, i: int, j: int) -> int:
        """'Hansen, Kari' (surname first, as registers list people; the surname is words i to
        j, "van der Berg, Johan" too): the end of the name."""
        n = len(self.words)
        if j >= n or self.text[self.words[j - 1][1] : self.words[j][0]] != ", ":
            return j
        if not self._is_cap(j) or not (self.classes[j] & FIRST or self.caps_ok):
            return j
        k = self._extend(j, lower=False)
        # in a field that holds a name, the given names need only be name-shaped
        shaped = all(self._name_shaped(m) for m in range(j, k)) if self.caps_ok else False
        if (shaped or all(c & NAME for c in self.classes[j:k])) and REVERSED_END.match(
            self.text, self.words[k - 1][1]
        ):
            return k
        return j

    def _lower_slot(self, i: int, pos: int, kind: str) -> None:
        """Lowercase chat: "hei, det er liv marit pettersen her", "min kone terje ringte"."""
        c = self.classes[i]
        if kind in (_PAREN_KIND, _DASH, _SIGNATURE, _TITLE_KIND):
            return
        if kind in (_FILL, _CELL) and self.caps_ok:
            self._lower_field(i)
            return
        intro = kind in (_INTRO_KIND, _INTRO_WEAK, _INTRO_GREETED)
        if not c & NAME and kind in (_INTRO_KIND, _INTRO_GREETED, _INTRO_WEAK):
            self._lower_unknown(i, need_her=kind != _INTRO_KIND)  # "jeg heter pirashanth"
            return
        if not c & FIRST and not (c & LAST and (intro or kind == _RELATION_KIND)):
            return  # "det er bui thi hoa her" starts with a surname
        j = self._extend(i, lower=True)
        run = self.classes[i:j]
        if all(k & AMBIGUOUS for k in run) or (j - i == 1 and c & STOP):
            # Everyday words alone: only after "det er / jeg heter / hei" and before "her",
            # punctuation or the end of the line ("det er liv her", not "det er liv i leiren").
            strong = STRONG_LOWER.search(self.text, max(0, pos - 25), pos)
            if not strong or not LOWER_END.match(self.text, self.words[j - 1][1]):
                return
        elif not c & FIRST and (j - i < 2 or not all(k & NAME for k in run)):
            return
        self._emit(i, j, _S.LOWER)

    def _lower_field(self, i: int) -> None:
        """A field or column that holds a name, in lowercase: "etternavn: skogheim",
        "first;last\ngudrun;skogheim". Its words to the field's end, none a never-name."""
        n, j = len(self.words), i + 1
        while j < n and j - i < 4 and self._joined(j - 1, j) and self.words[j][2].islower():
            j += 1
        # Listed or name-shaped words only, the whole value: chat roles look like fields too
        # ("kunde: supr, takk!!").
        if len(self.words[i][2]) < 2 or any(
            not self.classes[k] & NAME or self.classes[k] & STOP for k in range(i, j)
        ):
            return
        if CELL_END.match(self.text, self.words[j - 1][1]):
            self._emit(i, j, _S.LOWER)

    def _lower_unknown(self, i: int, need_her: bool = False) -> None:
        """After "jeg heter": up to three lowercase words to the end of the sentence; after
        "det er", up to "her" ("hei, det er siosaia her")."""
        j = i + 1
        while (
            j < len(self.words)
            and j - i < 3
            and self._joined(j - 1, j)
            and not self.classes[j] & STOP
            and self.words[j][2][0].islower()
        ):
            j += 1
        if any(self.classes[k] & STOP for k in range(i, j)):
            return
        end = self.words[j - 1][1]
        if need_her and not re.match(r"[ \t]+her\b", self.text[end : end + 5]):
            return
        if LOWER_END.match(self.text, end):
            self._emit(i, j, _S.LOWER)

    def _speaker(self, start: int, end: int, colon: int) -> None:
        """The name of a chat line's speaker, unless it is a role (Kunde, Agent, Bot …)."""
        i = self.at.get(start)
        if i is None or self.used[i]:
            return
        j = i
        while j < len(self.words) and self.words[j][1] <= end:
            j += 1
        if j == i or j - i > 4 or self.words[j - 1][1] != end:
            return
        if any(self.classes[k] & STOP and not self.classes[k] & NAME for k in range(i, j)):
            return
        if any(not self._joined(k - 1, k) for k in range(i + 1, j)):
            return
        named = any(c & NAME for c in self.classes[i:j])
        if self.words[i][2][0].isupper():
            if not all(self._name_shaped(k, not named) for k in range(i, j)):
                return
            if self._is_org_or_street(i, j):
                return
            if not named:
                # An unknown speaker says something: a log line "12:33 Kjøretøy: EB66343" not.
                line_end = self.text.find("\n", colon, colon + 500)
                message = self.text[colon : line_end if line_end >= 0 else colon + 500]
                if len(MESSAGE_WORDS.findall(message)) < 2:
                    return
            self._emit(i, j, _S.CUED_KNOWN if named else _S.CUED)
        elif all(c & NAME for c in self.classes[i:j]) and (self.classes[i] & FIRST or j - i >= 2):
            self._emit(i, j, _S.LOWER)  # "21:56 kari-mette:", "[11:55] bui thi hoa:"
        elif (
            j - i == 1
            and self._stamped_speakers >= 2
            and not self.classes[i] & (STOP | ORG | STREET)
            and len(self.keys[i]) >= 3
            and self.text[self.words[i][1] : colon].strip(" \t") == ":"
        ):
            # A name no list knows, typed in lowercase as a timestamped chat line's speaker
            # ("[08:26] máhtte: …") in a chat of several such lines: roles are never-names.
            self._emit(i, j, _S.LOWER)

    def _plain_speakers(self) -> None:
        """Chat lines "Gro: …", "anna: …" without time stamps: speakers when at least two lines
        of the text start with a known name and a colon."""
        if self.text.count(":") < 2:
            return
        spans, unknown = [], []
        for m in PLAIN_SPEAKER.finditer(self.text):
            i = self.at.get(m.start("name"))
            j = self.end_at.get(m.end("name"))
            if i is None or j is None or self.used[i]:
                continue
            classes = self.classes[i : j + 1]
            if all(c & NAME and not c & (ORG | STOP) or c & FIRST for c in classes) and (
                classes[0] & FIRST or j > i
            ):
                spans.append((i, j + 1))
            elif i == j and not classes[0] & (STOP | ORG | STREET):
                unknown.append(i)
        if len(spans) >= 2:
            for i, j in spans:
                if not self.used[i]:
                    self._emit(i, j, _S.CUED_KNOWN)
            # Among known speakers, an unknown word that speaks too is a name: "Čeavrret: Enig."
            # or in capitals "GÁREN: Enig." (a never-name or a noun by its ending is not).
            caps = any(self.words[i][2].isupper() for i, _ in spans)  # "KARI: …" speak too
            for i in unknown:
                word = self.words[i][2]
                if self.used[i] or len(word) < 3 or self.keys[i].endswith(NOUN_ENDINGS):
                    continue
                if word[0].isupper() and word[1:].islower() or caps and word.isupper():
                    self._emit(i, i + 1, _S.CUED)

    def _angle(self, pos: int) -> None:
        """'Ola Nordmann <ola@x.no>': the capitalised words right before the address."""
        j = self.end_at.get(pos)
        if j is None:
            return
        i = j
        while (
            i > 0
            and j - i < 6
            and (self._joined(i - 1, i) or self._initial(i - 1, i))
            and (
                (
                    self._is_cap(i - 1)
                    and not (self.classes[i - 1] & STOP and not self.classes[i - 1] & NAME)
                )
                # "Lucas von der Lippe <…>": particles inside the name
                or (self.classes[i - 1] & PARTICLE and i - 1 > 0 and self._joined(i - 2, i - 1))
            )
        ):
            i -= 1
        while i < j and self.classes[i] & PARTICLE and not self._is_cap(i):
            i += 1  # a name does not start with its particle here
        if any(
            self.used[k] or not (self._is_cap(k) or self.classes[k] & PARTICLE)
            for k in range(i, j + 1)
        ):
            return
        named = any(c & NAME for c in self.classes[i : j + 1])
        if not all(self._name_shaped(k, not named) for k in range(i, j + 1)):
            return
        if self._is_org_or_street(i, j + 1):
            return
        self._emit(i, j + 1, _S.CUED_KNOWN if named else _S.CUED)

    def _tables(self) -> None:
        """Delimited rows under a header with name columns: "Navn;Telefon\nKari Hansen;…",
        "Fornavn;Etternavn;…", "| Name | Role |"."""
        text = self.text
        pos = 0
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            header = self._header(line)
            if header is None:
                pos = end + 1
                continue
            sep, columns, parts = header
            self._block(pos, end)  # the header's words are labels
            row = end + 1
            while row < len(text):
                row_end = text.find("\n", row)
                row_end = len(text) if row_end < 0 else row_end
                cells = text[row:row_end].split(sep)
                if not text[row:row_end].strip() or len(cells) < 2:
                    break
                offset = row
                for k, cell in enumerate(cells):
                    stripped = cell.strip(" \t\"'")
                    if k in columns and stripped:
                        self._field(offset + cell.index(stripped[0]), k in parts, _CELL)
                    offset += len(cell) + 1
                row = row_end + 1
            pos = row

    @staticmethod
    def _header(line: str) -> tuple[str, set[int], set[int]] | None:
        """(delimiter, name columns, those for a name or its part) if the line is a table's
        header with name columns."""
        sep = next((d for d in ("\t", "|", ";", ",") if line.count(d) >= 1), None)
        # map: str.isdigit over the characters at C speed (every line of a text is a header
        # candidate; a generator step per character was a tenth of a long mail's finder)
        if sep is None or "@" in line or any(map(str.isdigit, line)):
            return None
        cells = line.split(sep)
        if len(cells) < 2 or (sep == "," and len(cells) < 3):
            return None
        if any(len(c) > 40 for c in cells):
            return None
        columns = {k for k, c in enumerate(cells) if c.strip(" \t\"'") and name_field(c)}
        parts = {k for k in columns if name_part_field(cells[k].strip(" \t\"'"))}
        return (sep, columns, parts) if columns else None

    # --- known names anywhere ---------------------------------------------------------------
    def _listed(self) -> None:
        n, i = len(self.words), 0
        classes = self.classes
        # A run starts only at a known name or before a surname-like word (see
        # _unknown_before_last): those words are picked out at C speed, the rest skipped.
        names = map(NAME.__and__, classes)
        before_surname = map(_SURNAME_LIKE.__and__, classes[1:])
        for k in compress(range(n), map(or_, names, chain(before_surname, (0,)))):
            if k < i:
                continue  # inside a run just found
            c = classes[k]
            if self.used[k] or not c & NAME and not self._unknown_before_last(k):
                continue
            if not self._is_cap(k):
                continue
            j = self._extend(k, lower=False)
            score = self._score(k, j)
            if score and not self._is_org_or_street(k, j):
                self._emit(k, j, score)
                self._chain_listed(j)
                i = j

    def _unknown_before_last(self, i: int) -> bool:
        """'Selam Haile', 'Faadumo Ismail': an unknown capitalised word before a surname."""
        n = len(self.words)
        return (
            i + 1 < n
            and not self.classes[i] & (STOP | ORG | STREET)
            and self._surname_after(i)
            and not self.classes[i + 1] & AMBIGUOUS
            and not self.used[i + 1]
            and self._joined(i, i + 1)
            and self._is_cap(i)
            and self._is_cap(i + 1)
            and self._name_shaped(i, strict=True)
        )

    def _surname_after(self, i: int) -> bool:
        """Word i + 1 is a surname: listed, spelled foreign, or (not at the start of a
        sentence, where "Nye Slalomski" could stand) shaped like one ("Bartkowicz")."""
        c = self.classes[i + 1]
        return bool(c & (LAST | FOREIGN) or c & SHAPE and not self._sentence_start(i))

    def _sentence_start(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.text[self.words[i - 1][1] : self.words[i][0]]
        return "\n" in gap or any(ch in gap for ch in ".!?:;•*#>|")

    def _score(self, i: int, j: int) -> float:
        run = self.classes[i:j]
        head = run[0]
        if j - i == 1:
            if head & FIRST and not head & (AMBIGUOUS | STOP):
                if (
                    self.keys[i] in lowercase_words()
                    and self._sentence_start(i)
                    and not VERB_AFTER.match(self.text, self.words[i][1])
                ):
                    return 0.0  # "Endre passord", "Line 4 feilet", "Frank og ærlig"
                return _S.FIRST_ONLY
            return 0.0
        names = [k for k in run if not k & PARTICLE or k & NAME]
        all_known = all(k & NAME for k in names)
        anchored = any(k & NAME and not k & AMBIGUOUS for k in names)
        if all_known and (head & FIRST or anchored):
            return _S.FULL
        if all_known and (j - i >= 3 or not self._sentence_start(i)):
            return _S.FULL  # "Li Na Xu"
        if head & FIRST and not head & (AMBIGUOUS | STOP):
            return _S.FIRST_AND_WORD
        if not head & NAME and j - i == 2 and run[1] & (LAST | SHAPE):
            return _S.UNKNOWN_AND_LAST
        return 0.0

    def _chain_listed(self, j: int) -> None:
        """'Kari, Per og Liv': everyday-word first names joined to a found name count too."""
        while True:
            m = JOIN.match(self.text, self.words[j - 1][1])
            i = self.at.get(m.end()) if m else None
            if i is None or self.used[i] or not self._is_cap(i) or not self.classes[i] & FIRST:
                return
            k = self._extend(i, lower=False)
            if not all(c & NAME for c in self.classes[i:k]) or self._is_org_or_street(i, k):
                return
            self._emit(i, k, _S.FULL if k - i > 1 else _S.FIRST_ONLY)
            j = k
