"""The name lexicon: word lists (first names, surnames, everyday-word names, never-names)
and the classes of a word (FIRST, LAST, AMBIGUOUS, STOP, PARTICLE, SHAPE, ORG, STREET, FOREIGN).

See no_person_recognizer for the evidence these feed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib.resources import files


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- word classes -----------------------------------------------------------------------------
FIRST, LAST, AMBIGUOUS, STOP, PARTICLE, SHAPE, ORG, STREET = 1, 2, 4, 8, 16, 32, 64, 128
FOREIGN = 256  # spelled with letters Norwegian words never have
# A place name (places.txt, and a never-name for that: STOP too) that is no never-name of
# not_names.txt: in a field that holds a surname it is one ("Etternavn: Rørvik").
PLACE = 512
NAME = FIRST | LAST | SHAPE

_PARTICLES = _words(
    """van von de der den del della di da dos das la le al el bin ibn ben abu abd ter ten dela
    delos ul"""
)
ORG_SUFFIXES = _words(
    """AS ASA ANS DA SA BA KS NUF AB A/S ApS GmbH Ltd LTD Inc LLC Oy SE BV NV SL SRL"""
)
_ORG_WORDS = _words(
    """kommune fylkeskommune holding gruppen group konsern invest eiendom eiendommer regnskap
    revisjon transport bygg elektro rør consulting konsult service services data marine fisk
    forsikring bank sparebank tannklinikk klinikk legesenter barnehage skole sykehus
    borettslag sameie stiftelse forening klubb senter senteret partner partners advokatfirma
    advokater entreprenør maskin auto bilservice verksted handel import export shipping
    logistikk energi kraft telecom teknikk teknologi solutions systems software studio
    design bakeri kafé restaurant hotell hotel apotek optikk frisør regnskapsbyrå
    eiendomsmegling megling utleie utvikling industri produksjon landbruk kiosk butikk sport
    interiør rørlegger maling snekker transportservice tjenester helse omsorg rådgivning
    regnskapskontor byrå kontor gruppe sameiet borettslaget foreningen klubben laget
    menigheten skolen barnehagen kommunen bydel bydelen etaten direktoratet tilsynet
    departementet universitetet høgskolen sykehuset klinikken senteret kirken"""
)
_STREET_WORDS = _words(
    """gate gata gaten gt vei veien veg vegen vn plass plassen allé alle sti stien torg torget
    brygge bryggen kaia parken terrasse ringen løkka svingen"""
)
_SURNAME_SHAPE = re.compile(
    r"..(?:owski|ewski|inski|iński|ński|ńska|wska|nska|ska|ski|cki|cka|dzki|dzka|wicz|czyk|"
    r"czak|iuk|yuk|chuk|czuk|enko|auskas|auskienė|auskiene|auskaitė|auskaite|evičius|avičius|"
    r"ičius|ienė|aitė|ytė|iūtė|aitis|aitienė|ūnas|ovič|ović|ovic|ević|evic|ić|oğlu|oglu|zadeh|"
    r"zade|pour|poor|lingam|rajah|nathan|ratnam|singhe|nayake|wardena|ullah|zai|escu|eanu|"
    r"opoulos|opoulou|akis|idis|iadis|dóttir|dottir|ishvili|shvili|yan|ov|ova|ev|eva)$"
)
# Letters of Turkish, Polish, Baltic, Romanian, Czech, Vietnamese … spellings, never of
# Norwegian words: a capitalised word with one is a foreign name (or place).
_FOREIGN_LETTER = re.compile("[ıışğçöüäłńśźżąęćėūųįšžčășțşţâîřěůāēīļķņģđ\u1ea0-\u1ef9]")
# Norwegian words with those endings: "Nyhetsbrev", "Behov", "Slalomski".
_NOT_SURNAME_ENDINGS = ("behov", "lov", "brev", "prov", "mski", "lski", "rski", "ttski")
_PATRONYMIC = re.compile(r"(.{3,}?)(?:sen|son|datter|dóttir|dottir)$")
_FOLD = str.maketrans({"ł": "l", "ı": "i", "đ": "d", "ß": "ss", "ø": "ø", "æ": "æ", "å": "å"})


@cache  # name_lists and _places read not_names.txt and places.txt both
def _load(name: str) -> frozenset[str]:
    """A word list of data/: its lines, casefolded, without comments."""
    text = files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        unicodedata.normalize("NFC", line.strip()).casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """First names, surnames, everyday-word names, and never-names (words and places); the
    name lists with folded spellings too."""

    def folded(keys: frozenset[str]) -> frozenset[str]:
        return keys | {_fold(k) for k in keys}

    return (
        folded(_load("first_names.txt")),
        folded(_load("last_names.txt")),
        _load("ambiguous_names.txt"),
        _load("not_names.txt") | _load("places.txt"),
    )


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Place names that are not never-names on their own (see PLACE)."""
    return _load("places.txt") - _load("not_names.txt")


@lru_cache(maxsize=1)
def lowercase_words() -> frozenset[str]:
    """First names that are lowercase words too (lowercase_words.txt): no name in lowercase
    without a cue."""
    return _load("lowercase_words.txt")


def _fold(key: str) -> str:
    """Diacritics off (ł→l, ş→s, é→e), Norwegian æ, ø and å kept: "Szymanski" finds
    "Szymański" and "Sahin" finds "Şahin", but "nå" never finds "Na"."""
    if key.isascii():
        return key
    out = []
    for ch in key.translate(_FOLD):
        if ch in "æøå":
            out.append(ch)
        else:
            out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(out)


@lru_cache(maxsize=100_000)
def word_class(key: str) -> int:
    """The classes (FIRST, LAST, AMBIGUOUS, STOP …) of a casefolded word."""
    first, last, ambiguous, stop = name_lists()
    flags = 0
    folded = _fold(key)
    if key in stop:
        flags |= STOP
        if key in _places():
            flags |= PLACE
    if key in _PARTICLES:
        flags |= PARTICLE
    if key in _ORG_WORDS:
        flags |= ORG
    if key in _STREET_WORDS:
        flags |= STREET
    if key in first or folded in first:
        flags |= FIRST
    if key in last or folded in last:
        flags |= LAST
    if not flags & (FIRST | LAST) and "-" in key:
        parts = key.split("-")
        classes = [word_class(p) for p in parts if p]
        if (
            classes
            and all(c & (NAME | PARTICLE) for c in classes)
            and any(c & NAME for c in classes)
        ):
            named = [c for c in classes if c & NAME]
            # Anne-Marit: a first name; Skaug-Hovland, al-Khatib: a surname.
            flags |= FIRST if all(c & FIRST for c in named) and not classes[0] & PARTICLE else LAST
            if all(c & AMBIGUOUS for c in named):
                flags |= AMBIGUOUS
        elif parts[0] in ("al", "el", "abu", "abd", "bin", "ben", "ul") and len(parts) == 2:
            flags |= SHAPE  # al-Zahrani
    if not flags & NAME and key[:2] in ("al", "el") and len(key) >= 6 and not flags & STOP:
        rest = key[2:]
        if rest in last or rest in first or _fold(rest) in last:
            flags |= LAST  # Alhamwi, Alhassan, Elamin
    if not flags & NAME and len(key) >= 5 and key[0] in "dl" and key[1] in "'’":
        flags |= LAST | SHAPE  # "d'Angelo", "D’Souza", "l'Estrange": an elided particle
    if not flags & (NAME | STOP) and len(key) >= 4 and _FOREIGN_LETTER.search(key):
        flags |= SHAPE | FOREIGN  # "Hançer", "Brzęczek", "Žemaitė"
    if not flags & NAME and len(key) >= 5 and not flags & STOP:
        if _SURNAME_SHAPE.search(key) and not key.endswith(_NOT_SURNAME_ENDINGS):
            flags |= SHAPE
        else:
            m = _PATRONYMIC.fullmatch(key)
            stem = word_class(m.group(1)) if m else 0
            if stem & FIRST and not stem & (AMBIGUOUS | STOP):
                flags |= SHAPE  # Jonassen, Mikalsen, Bendiksen
    if not flags & (NAME | STOP) and len(key) >= 4 and key.endswith("s") and key[-2] != "s":
        stem = word_class(key[:-1])  # the possessive: "Karis bil", "Ola Nordmanns"
        if stem & NAME and not stem & (AMBIGUOUS | STOP):
            flags |= stem & NAME
    # The word as written: "Hằng" or "René" is a name, only "hang" and "rene" are words.
    if flags & NAME and (key in ambiguous or len(key) <= 2):
        flags |= AMBIGUOUS
    return flags
