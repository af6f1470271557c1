"""NO_ADDRESS: street address, street + number (+ letter), optionally ", NNNN Poststed".

Found from the house number backwards: a number after a word is an address when the word
before it is a street name, and the street's evidence decides the score:
- a street-name ending ("Bjørkekroken", "Sjøveien", "Tiurlia") or a street word written
  apart after a genitive ("Karl Johans gate", "Haakon VIIs gate"): an address on its own;
- any capitalised word ("Grensen", "Pilestredet"): an address when ", NNNN Poststed" follows
  or an address cue comes right before ("adresse:", "bor i", "flyttet til");
- lowercase chat ("bor i nordplassen 19, 1712 grålum"): only with a postnummer or a cue.
Words before the street join it only when street names take them (Øvre, Gamle, Kong, given
names before a genitive): "Emne: Overtakelse Sjøveien 71" gives "Sjøveien 71". A number
followed by "-NN" ("Lagerplass 21-28-48"), a decimal, a time, a date or a unit is no house
number. Street-name words are listed in data/street_words.txt.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .cues import Table, own_result
from .no_pattern_recognizer import NoEntityRecognizer

# A house number right after a word (or "Storgt."): 1-4 digits, a range ("12-14"), a letter
# glued on or after one blank ("12B", "3 A", "1 c"). The blank before it is what the fast
# path's pre-filter looks for.
_NUMBER = re.compile(
    # (the word or dot before the blank checked after the blank and first digit: re finds
    # those fast, and tries little else)
    r" [1-9](?<=(?:[^\W\d_]|\.) [1-9])\d{0,3}(?:-[1-9]\d{0,3})?(?:[A-Za-z]| [A-Ha-h])?(?![\w-])"
)
# What may not follow a house number: more digits ("21-28-48", "12,5", "14:30", "12/3"),
# an ordinal or a date ("5. mai"), a unit ("3 km", "45 år"), money (",-").
_NOT_AFTER = re.compile(
    r"[-.,:/]\d|-|,-|(?-i:\.[ \t]*[a-zæøå\d])|[ \t]?[%‰°²]|[ ]\d(?!\d?\.|\d{3} )"
    r"|[ \t]?(?:km|kg|m|cm|mm|m2|kvm|stk|kr|nok|eur|usd|år|åra|uker|uke|veker|måneder|mnd|"
    r"dager|dagar|døgn|timer|timar|"
    r"min|minutter|sek|ganger|gonger|prosent|pst|personer|stykker|meter|liter|kilo|gram|"
    r"grader|poeng|plasser|etasjer|rom|sider)\b",
    re.IGNORECASE,
)
_U, _L = "A-ZÆØÅÉÜÖÄ", "a-zæøåéèüöäáóç"
# A bolignummer after the house number (H, U, L or K and four digits: the floor and the
# flat): "Fjellveien 3 H0201, 5019 Bergen". Part of the address.
_UNIT = re.compile(r",?[ \t]+(?:leil\.?[ \t]*)?[HULK]\d{4}(?![\w-])")


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_POSTSTED_PREFIX = (
    "Indre|Ytre|Øvre|Nedre|Nord|Sør|Øst|Vest|Nordre|Søndre|Vestre|Østre|Store|Lille|Stor"
)
# ", 0150 Oslo", " 1470 Lørenskog", ", 8601 Mo i Rana", ", 0150 OSLO", ", 1712 grålum".
_POST = re.compile(
    rf"(?:, ?| )\d{{4}} (?:"
    rf"(?P<cap>(?:(?:{_POSTSTED_PREFIX}) )?[{_U}][{_L}]+(?:-[{_U}][{_L}]+)?(?: i [{_U}][{_L}]+)?"
    rf"|[{_U}]{{2,}}(?:-[{_U}]{{2,}})?)"
    rf"|(?P<low>[{_L}]{{2,}}(?:-[{_L}]+)?))(?![\w-])"
)
# The postnummer and post town on the next line, alone on it: "Kongens gate 5\n0153 Oslo"
# (a letter's or a signature's layout). ``low`` never matches: the group _POST has.
_POST_NEXT_LINE = re.compile(
    rf",?[ \t]*\n[ \t]*\d{{4}}[ \t]+(?P<cap>[{_U}][{_L}]+(?:[- ][{_U}][{_L}]+)?|[{_U}]{{2,}})"
    rf"(?P<low>\b\B)?[ \t]*(?=\n|$)"
)
_LOW_POSTSTED_NOT = _set(
    "kroner kr nok stk km kg personer meter stykker eksemplarer ganger dager år og i på er "
    "til fra med som for har var"
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:\.|['’])?")
# Address cues right before the street ("Bostedsadresse: ", "bor i ", "flyttet fra … til ",
# "Da er adressen endret til "); typos of chat included ("ardesse", "flytet", "flyttt").
# "adresse", "Bostedsadresse", "adressa", typos ("ardesse", "aressa"); not "e-postadresse".
_ADDRESS_WORD = (
    r"(?<![\w-])(?!(?:e-?post|mail|nett|web|ip|mac)-?a)"
    r"(?:\w*a(?:dr|rd)es+\w*|a(?:dr?|rd?)[er]?s{1,2}(?:e|a|en|ene)?(?!\w))"
)
_STRONG_CUE = (
    r"\b(?:bor|bur|bodde|budde|bosatt|busett|buset)(?:\s+(?:nå|no|fortsatt|framleis|"
    r"fremdeles|egentlig|faktisk|visst))?\s+(?:i|på)"
    # "adressen er", "adressa mi er", "adressen hans var"
    rf"|{_ADDRESS_WORD}(?:\s+(?:mi|min|vår|hans|hennes|hennar|deres|deira))?"
    r"(?:\s+(?:er|e|var|blir|vert|til))?"
    r"(?:\s+(?:endret|endra|oppdatert|satt)\s+til)?\s*[:|–-]?"
    rf"|{_ADDRESS_WORD}[^.!?:\n]{{0,30}}:"
    r"|\badr\.?(?:\s+(?:er|e))?\s*[:|–-]?"
    r"|\bbosted\s*:"  # a form's field: "Bosted: Lille Tveit, 4720 Hægeland"
    r"|\bfl[yø]+t+\w{0,4}(?:\s+(?:nå|no|hit|dit|inn|ut))?\s+(?:fra|frå|til|inn\s+i|inn\s+på)"
    r"|\bfl[yø]+t+\w{0,4}\s+(?:fra|frå)\s+\S.{0,60}?\s+til"
)
# A field named for it: '"gateadresse": "', 'street=', vCard 'ADR;TYPE=HOME:;;' (looked
# for only where the text before ends like a field's separator).
_FIELD_CUE = re.compile(
    r"(?:adr|addr|adresse|address|street|gate)[\w-]*[\"']?[ \t]*[:=][ \t]*[\"']?$"
    r"|(?<![\w-])ADR[;\w=,-]*:;*$",
    re.IGNORECASE,
)
_WEAK_CUE = (
    r"\b(?:lever\w*|send\w*|post\w*|hent\w*|kjør\w*|overta\w*|montere\w*|monteres)"
    r"(?:\s+\w+){0,3}?\s+(?:til|på|i|av|ved)"
    r"|\boverta\w*"
)
# A letter pair every cue of _CUE holds (bor, bur, bosatt, adresse, ardesse, flyttet,
# levert, sendt, postet, hentes, kjørt, overtatt, montert …): a cheap test first.
_CUE_STEM = re.compile(r"bo|bu|ad|ar|fl|ve|se|po|he|kj|mo", re.IGNORECASE)
_CUE = re.compile(rf"(?:(?P<strong>{_STRONG_CUE})|(?P<weak>{_WEAK_CUE}))\s*$", re.IGNORECASE)
# Capitalised words that take a number but are no street ("Postboks 12", "Uke 3").
_NOT_STREETS = _set(
    """postboks boks pb uke veke side s kapittel kap punkt pkt versjon versjonen rom etasje
    etg sak saken ordre faktura konto tlf telefon mobil mob nr nummer kr nok eur usd kl
    klokka klokken linje bilag vedlegg fase trinn steg runde klasse alder januar februar
    mars april mai juni juli august september oktober november desember jan feb mar apr
    jun jul aug sep sept okt nov des mandag tirsdag onsdag torsdag fredag lørdag søndag år
    dag dager time timer minutt kunde kunden kundenr ordrenr modell model windows iphone
    android ios gate terminal hall sone bane spor perrong rad sete stand bord kontor
    avdeling seksjon blokk oppgang leilighet leiligheten hybel hybelen hus huset bygg
    bygning bygget tomt gnr bnr del serie nivå level team gruppe lag sesong episode kanal
    buss bussen tog toget fly flyet flight trikk plass plassen kvartal kvartalet parsell
    seng post poster bok vers salme psalm artikkel art paragraf ledd bokstav kontrakt avtale
    tabell figur vedtak lov nivå pakke pakken pakker kasse kassa skap skuff hylle hyllen
    lager lagerplass lagerplassen parkeringsplassen arbeidsplassen båtplassen
    sitteplassen lekeplassen plassen palle reol container port porten dør døra døren
    inngang inngangen utgang kjeller loft garasje bod boden parkering parkeringsplass tlfnr
    og i på er til kø køen mappe mappen mappa kolonne kolonnen sprint server serveren
    skjema skjemaet team teamet fane fanen siden celle cellen prioritet status kategori
    kategorien region versjon
    fra med som for har var det den de en et eller men så om av hei hallo takk mvh hilsen
    emne subject re sv fw vs ca totalt sum beløp pris antall betalt betaling
    refusjon refusjonen faktura fakturaen kvittering gjelder ref referanse forsikringen
    sikringen endringen forandringen utfordringen parkeringen leveringen registreringen
    vurderingen faktureringen markeringen bestillingen ordningen barnehagen dyrehagen
    hagen skogen parken"""
)
# Farm and place addresses: no street, no house number, a name and then the postnummer
# ("Nordre Haugen gård, 2640 Vinstra", "Solbakken, 3560 Hemsedal", "Gnr 45 Bnr 12, 2640
# Vinstra"). Found from the postnummer backwards; the post town is _POST's capitalised one.
_FARM_CODE = re.compile(rf"(?:, ?| )\d{{4}} [{_U}]")
# What the engine's pre-filter looks for: every address starts at a house number (_NUMBER)
# or ends in a postnummer (_FARM_CODE), so either is a necessary condition of every match.
PREFILTER = re.compile(rf"{_NUMBER.pattern}|{_FARM_CODE.pattern}")
# Farm words written apart after the name ("Haugen gård", "Nedre Lia seter").
_FARM_WORDS = _set(
    "gård gard gården garden gårdsbruk gardsbruk småbruk tun tunet bruk bruket seter setra "
    "setri støl stølen"
)
# A farm name by its ending ("Nordgården", "Haugsetra", "Bakkestølen").
_FARM_ENDINGS = ("gård", "gard", "gården", "garden", "tunet", "setra", "seteren", "stølen")
# Gårdsnummer and bruksnummer: "Gnr 45 Bnr 12", "gnr. 45, bnr. 12", "gbnr 45/12".
_GNR = re.compile(
    r"(?<![\w-])(?:g(?:nr|årdsnr|ardsnr|årdsnummer|ardsnummer)\.?[ \t]*[1-9]\d{0,3}"
    r"(?:[ \t]*[,/]?[ \t]*b(?:nr|ruksnr|ruksnummer)\.?[ \t]*[1-9]\d{0,3})?"
    r"|g/?bnr\.?[ \t]*[1-9]\d{0,3}/[1-9]\d{0,3})$",
    re.IGNORECASE,
)
# Words that end a company's or an office's name, not a farm's ("Fjellheim Elektro AS"),
# and shop and fuel chains where parcels are picked up ("Hentes på Rema, 2640 Vinstra").
_NOT_FARM = _set(
    """as asa ans da sa ba enk ks nuf iks hf kf kommune fylkeskommune sparebank bank
    skole skolen barnehage sykehus sykehuset legekontor kontor senter senteret
    hotell hotel kirke kirken stasjon stasjonen butikk shop service services consult
    consulting group gruppen holding invest eiendom drift elektro bygg transport
    regnskap revisjon
    rema kiwi coop extra meny bunnpris joker spar obs prix posten postnord bring
    elkjøp power xxl jernia europris vinmonopolet apotek vitusapotek boots esso shell
    circle uno-x yx ikea biltema plantasjen jula normal""",
)
# Post towns that are words: a farm name, a number and one of these is no address.
_NOT_TOWNS = _set(
    """totalt total sum pro max mini plus edition serie series utgave kr nok eur usd stk
    deltakere personer kroner"""
)
_ADDRESS_HEADER = re.compile(r"(?i)adr|addr|adresse|street|gate(?!way)|bosted")
_SPACE_BEFORE_LINE = re.compile(r"[\s*•>|-]*")


class _Words(NamedTuple):
    endings: frozenset[str]
    lengths: tuple[int, ...]  # of the endings, longest first
    apart: frozenset[str]
    prefixes: frozenset[str]
    names: frozenset[str]
    streets: frozenset[str]
    people: frozenset[str]  # first and last names: "Solbakken" may be a surname


@lru_cache(maxsize=1)
def street_words() -> _Words:
    def lines(name: str) -> list[str]:
        text = files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
        return [s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")]

    words = lines("street_words.txt")
    first = {w.casefold() for w in lines("first_names.txt")}
    last = {w.casefold() for w in lines("last_names.txt")}
    marked = {m: [w[1:].casefold() for w in words if w[0] == m] for m in "-=^~"}
    return _Words(
        endings=frozenset(marked["-"]),
        lengths=tuple(sorted({len(e) for e in marked["-"]}, reverse=True)),
        apart=frozenset(marked["="]),
        prefixes=frozenset(marked["^"]),
        names=frozenset(marked["~"]) | first,
        streets=frozenset(w.casefold() for w in words if w[0] not in "-=^~"),
        people=frozenset(first | last),
    )


class _Street(NamedTuple):
    start: int
    kind: str  # "street": a street name by its form; "bare": any word, needs more evidence
    lower: bool


class NoAddressRecognizer(NoEntityRecognizer):
    ENTITY = "NO_ADDRESS"
    CONTEXT = [
        "adresse",
        "gateadresse",
        "bor",
        "bur",
        "bosted",
        "levering",
        "leveres",
        "postadresse",
        "besøksadresse",
        "adr",
    ]
    # Scores: a street-name form with a postnummer, with a cue, alone; any word with a
    # postnummer, with a cue. High, as the words of a street are often names too: "ved
    # Myrtunet 18D", "adressen er ole bulls plass 43b, 3511 hønefoss" are addresses.
    STREET_POST, STREET_CUED, STREET, BARE_POST, BARE_CUED, LOWER_CUED = (
        1.0,
        0.95,
        0.85,
        0.95,
        0.8,
        0.7,
    )

    # Farm addresses: with a gnr/bnr, after a strong cue ("Adresse:", "bor på"), with a
    # farm word or a weak cue ("leveres til"); above a street path's "Haugen gård 2640"
    # (STREET), which the whole address with its post town replaces.
    FARM_GNR, FARM_CUED, FARM_WORD = 0.95, 0.9, 0.86

    def load(self) -> None:
        street_words()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        words = street_words()
        results: list[RecognizerResult] = []
        table: Table | None = None
        for m in _NUMBER.finditer(text):
            end = m.end()
            if _NOT_AFTER.match(text, end) and not _POST.match(text, end):
                continue
            unit = _UNIT.match(text, end)
            end = unit.end() if unit else end
            # the line's start, looked for within reach only: long lines stay linear
            reach = max(0, m.start() - 200)
            line_start = text.rfind("\n", reach, m.start()) + 1 or reach
            street = _street(text, max(line_start, m.start() - 120), m.start(), words)
            if street is None:
                continue
            post = _POST.match(text, end) or _POST_NEXT_LINE.match(text, end)
            if (
                post
                and post.group("low")
                and (
                    post.group("low") in _LOW_POSTSTED_NOT
                    or not (street.lower or street.kind == "street")
                )
            ):
                post = None
            # a street with a postnummer needs no cue
            cue = None if post and street.kind == "street" else _cue(text, line_start, street.start)
            if cue is None and not post:
                # a column headed "Adresse" or "street_address"
                table = table or Table(text)
                header = table.header(street.start, end)
                if header is not None and _ADDRESS_HEADER.search(header):
                    cue = "strong"
            if m.group()[1:].isdigit() and len(m.group()) == 5:
                if not (post or cue):
                    continue  # "Registreringen 2024": four digits make a house number with more
                town = None if post else _POST.match(text, m.start())
                if town is not None and town.group("cap") is not None:
                    continue  # "bor på Solbakken 3560 Hemsedal": a postnummer (see _farms)
            if not post and m.start() - street.start <= 2:
                continue  # "Ås 12", "Os 3": two letters make a street with a postnummer
            score = self._score(street, bool(post), cue)
            if score:
                results.append(
                    own_result(self, "NO_ADDRESS", street.start, post.end() if post else end, score)
                )
        results += self._farms(text, words)
        return results

    def _farms(self, text: str, words: _Words) -> list[RecognizerResult]:
        """Farm and place addresses: a name, a postnummer and a capitalised post town, with
        evidence: a gnr/bnr, a farm word or ending, or an address cue before the name. A
        name then a postnummer alone is as often a company's line in a signature or a town
        in running text ("Fjellheim Elektro AS, 6800 Førde", "Oslo, 0150 Oslo")."""
        results: list[RecognizerResult] = []
        table: Table | None = None
        for m in _FARM_CODE.finditer(text):
            pos = m.start()
            post = _POST.match(text, pos)
            if post is None or post.group("cap") is None:
                continue
            if post.group("cap").casefold() in _NOT_TOWNS:
                continue
            reach = max(0, pos - 200)
            line_start = text.rfind("\n", reach, pos) + 1 or reach
            lo = max(line_start, pos - 120)
            gnr = _GNR.search(text, lo, pos)
            if gnr is not None:
                start, score = gnr.start(), self.FARM_GNR
            else:
                # "NORDRE HAUGEN GÅRD, 2640 VINSTRA": in capitals where the town is
                farm = _farm(text, lo, pos, words, post.group("cap").isupper())
                if farm is None:
                    continue
                start, farmed = farm
                if not farmed and text[start:pos].casefold() == post.group("cap").casefold():
                    continue  # "bor i Bergen, 5003 Bergen": the town, no farm in it
                cue = _cue(text, line_start, start)
                if cue is None and text[pos] == " ":
                    # "Haugen gård 2640 Vinstra" needs a line or a field of its own
                    # ("Rapport 2024 Haugen gård 2025 Plan" is none)
                    before = text[line_start:start].rstrip(" \t")
                    if before.strip("*•>|-") and before[-1] not in ";:|,(\"'":
                        continue
                if cue is None and not farmed:
                    # a column headed "Adresse" or "Bosted"
                    table = table or Table(text)
                    header = table.header(start, post.end())
                    if header is not None and _ADDRESS_HEADER.search(header):
                        cue = "strong"
                if cue == "strong":
                    score = self.FARM_CUED
                elif farmed or cue:
                    score = self.FARM_WORD
                else:
                    continue
            results.append(own_result(self, "NO_ADDRESS", start, post.end(), score))
        return results

    def _score(self, street: _Street, post: bool, cue: str | None) -> float:
        if street.kind == "street":
            if post:
                return self.STREET_POST
            if cue:
                return self.STREET_CUED
            return 0.0 if street.lower else self.STREET
        if post:
            return self.BARE_POST if not street.lower else self.STREET_CUED if cue else 0.0
        if cue == "strong" or (cue and not street.lower):
            return self.LOWER_CUED if street.lower else self.BARE_CUED
        return 0.0


def _street(text: str, lo: int, pos: int, w: _Words) -> _Street | None:
    """The street name ending at ``pos`` (the blank before the house number), if any."""
    spans: list[tuple[int, int]] = []  # words before the number, nearest last
    end = pos
    while len(spans) < 6:
        start = end
        while start > lo and (text[start - 1].isalpha() or text[start - 1] in "-'’."):
            start -= 1
        word = _WORD.fullmatch(text, start, end)
        if not word or (start == lo and lo and text[lo - 1].isalpha()):
            break
        spans.insert(0, (start, end))
        if start == lo or start < 1 or text[start - 1] != " " or text[start - 2 : start] == "  ":
            break
        end = start - 1
    if not spans:
        return None
    ws = [text[a:b] for a, b in spans]
    keys = [s.casefold() for s in ws]
    last, key = ws[-1], keys[-1]
    lower = not last[0].isupper()
    n = len(ws) - 1
    if key in w.apart and n >= 1 and _alpha(keys[n - 1]):
        before = keys[n - 1]
        if (
            _genitive(before)
            or before in w.prefixes
            or (key in ("allé", "alle", "brygge") and ws[n - 1][0].isupper())
            # "Ulleval gate", "Tollbu vei", "Bjørnstad gård": a proper name no list
            # holds, then gate, vei, plass or gård written apart
            or (
                key in _APART_AFTER_NAME
                and ws[n - 1][0].isupper()
                and ws[n - 1][1:].islower()
                and len(before) >= 3
                and before not in _NOT_STREETS
                and before not in _NOT_A_NAME
            )
        ):
            lower = not ws[n - 1][0].isupper()
            return _Street(spans[_named_from(ws, keys, n - 1, lower, w)][0], "street", lower)
    if last.endswith(".") and not key.endswith(("gt.", "vn.")):
        return None
    if key in _NOT_STREETS:
        return None
    if _ending(key, w):
        kind = "street"
        if (
            key in w.people
            or _weak_ending(key)
            or (n >= 1 and keys[n - 1] in w.names and keys[n - 1] not in w.prefixes and not lower)
        ):
            kind = "bare"  # "Solbakken" the surname, "Kari Solbakken 45"
    elif key in w.streets:
        kind = "street" if not lower else "bare"
    else:
        if len(key) < (3 if lower else 2) or not _alpha(key):
            return None
        if not lower and not (last[1:].islower() or "-" in last):
            return None  # "DY 1604", "NOK 500"
        kind = "bare"
    return _Street(spans[_prefixed_from(ws, keys, n, lower, w)][0], kind, lower)


# Street words apart that follow a proper name of any kind (not "park", "ring", "kai":
# "Sentrum park 3" is rarer as an address than as a place).
_APART_AFTER_NAME = _set(
    "gate gata vei veien veg vegen allé alle plass torg torget gård gard gården garden tun"
)
_NOT_A_NAME = _set(
    """neste samme denne dette hver annen andre første siste min din vår deres ny nye gamle
        hvilken hvilke feil riktig rett stengt stengte"""
)


def _farm(text: str, lo: int, pos: int, w: _Words, caps: bool) -> tuple[int, bool] | None:
    """The farm or place name ending at ``pos`` (the postnummer's ", " or blank): one to
    four capitalised words, up to two prefix words before them (Nordre, Øvre, Store …), a
    farm word after them (gård, tun, seter …). Its start, and whether it names a farm."""
    spans: list[tuple[int, int]] = []  # words before the postnummer, nearest last
    end = pos
    while len(spans) < 7:
        start = end
        while start > lo and (text[start - 1].isalpha() or text[start - 1] in "-'’"):
            start -= 1
        if start == end or not _WORD.fullmatch(text, start, end):
            break
        if start == lo and lo and text[lo - 1].isalpha():
            break
        spans.insert(0, (start, end))
        if start == lo or start < 2 or text[start - 1] != " " or text[start - 2] == " ":
            break
        end = start - 1
    ws = [text[a:b] for a, b in spans]
    keys = [x.casefold() for x in ws]
    i = len(ws) - 1
    if i < 0:
        return None
    farmed = apart = keys[i] in _FARM_WORDS
    if apart:
        i -= 1
    first = i + 1  # the first name word
    while first > 0 and i - first < 3 and _name_word(ws[first - 1], keys[first - 1], w, caps):
        first -= 1
    if first > i:
        return None  # no name word: "bor på gården, 2640 Vinstra"
    if not farmed and any(
        keys[i].endswith(e) and len(keys[i]) >= len(e) + 3 for e in _FARM_ENDINGS
    ):
        farmed = True
    prefixed = first
    for _ in range(2):
        if prefixed and keys[prefixed - 1] in w.prefixes and ws[prefixed - 1][:1].isupper():
            prefixed -= 1
    # "Hilsen Kari Haugen, 2640 Vinstra": a given name and more, then the town, is a
    # person's name in a signature ("Nedre Lien", "Lien" alone are places)
    if prefixed == first and not apart and first < i and keys[first] in w.names:
        return None
    if first and ws[first - 1][:1].isupper() and keys[first - 1] in w.names:
        return None
    return spans[prefixed][0], farmed


def _name_word(word: str, key: str, w: _Words, caps: bool = False) -> bool:
    """A capitalised word a farm or place may be named: "Haugen", "Bakke", "Lia-Ødegård"
    (with ``caps``, "HAUGEN" too)."""
    return (
        len(key) >= 2
        and word[0].isupper()
        and (word[1:].islower() or "-" in word or (caps and word.isupper()))
        and _alpha(key)
        and key not in _NOT_STREETS
        and key not in _NOT_A_NAME
        and key not in _NOT_FARM
        and key not in w.prefixes
    )


def _weak_ending(key: str) -> bool:
    """ "-plass" also ends common nouns ("Arbeidsplass", "Sitteplass")."""
    return key.endswith("plass")


def _ending(key: str, w: _Words) -> bool:
    """A street-name ending after at least two letters: "Sjøveien", "Tiurlia"."""
    for n in w.lengths:
        if len(key) >= n + 2 and key[-n:] in w.endings:
            stem = key[:-n]
            if key[-n:] == "lia" and stem[-1] in "aio":
                return False  # Italia, Emilia, Natalia: no streets
            return _alpha(stem)
    return False


def _prefixed_from(ws: list[str], keys: list[str], i: int, lower: bool, w: _Words) -> int:
    """Øvre, Gamle, Søndre … before a street name belong to it: up to two of them."""
    for _ in range(2):
        if i and keys[i - 1] in w.prefixes and ws[i - 1][0].isupper() != lower:
            i -= 1
    return i


def _named_from(ws: list[str], keys: list[str], g: int, lower: bool, w: _Words) -> int:
    """Start of "Karl Johans", "Hans Nielsen Hauges", "Kong Oscars" ending at word g."""
    start = g
    for k in range(g - 1, max(g - 4, -1), -1):
        if not _alpha(keys[k].rstrip(".")) or ws[k][0].isupper() == lower:
            break
        if keys[k] in w.names or keys[k] in w.prefixes:
            start = k
    # "Adresse: Bjørnstjerne Bjørnsons plass 1": a name no list knows, first on its line or
    # after lowercase words
    if (
        start == g
        and g
        and not lower
        and _genitive(keys[g])
        and keys[g] not in w.prefixes
        and ws[g - 1][0].isupper()
        and _alpha(keys[g - 1])
        and keys[g - 1] not in _NOT_STREETS
        and (g == 1 or not ws[g - 2][0].isupper())
    ):
        start = g - 1
    return _prefixed_from(ws, keys, start, lower, w)


def _genitive(key: str) -> bool:
    """ "Johans", "VIIs", "Gunnerus'"."""
    key = key.rstrip("'’")
    return len(key) >= 3 and key.endswith("s") and _alpha(key)


def _alpha(key: str) -> bool:
    return key.replace("-", "").rstrip("'’").isalpha()


def _cue(text: str, line_start: int, start: int) -> str | None:
    before = text[max(line_start, start - 90) : start]
    if not before.strip(" \t*•>|-") and line_start and text[line_start - 1] == "\n":
        # the street opens its line: "Adresse:\nGrensen 4"
        reach = max(0, line_start - 91)
        prev_start = text.rfind("\n", reach, line_start - 1) + 1 or reach
        before = text[prev_start : line_start - 1]
    if before.rstrip(" \t")[-1:] in ":=\"';" and _FIELD_CUE.search(before[-40:]):
        return "strong"
    if not _CUE_STEM.search(before):
        return None  # none of the cues' stems: the long cue regex need not run
    m = _CUE.search(before)
    if not m:
        return None
    return "strong" if m.group("strong") is not None else "weak"
