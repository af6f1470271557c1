"""PERSON: people's names without an NER model, from shipped name lists, cues and context.

Evidence, strongest first:
- a cue that puts a name in a slot: a form label ("Navn:", "Kontakt |", "Agent:"), a chat
  speaker ("[14:01] Helen:", "Kari (Kundeservice):"), the line after a sign-off ("Mvh",
  "Vennlig hilsen"), a greeting ("Hei", "Takk,", "Dear"), a title ("fru", "professor"), a
  mail header ("Ola <ola@x.no>"), a relation ("snakket med", "på vegne av", "min kone"), a
  table column headed "Navn". A slot takes a name no list knows, as long as its shape fits
  the slot (the value fills the label's line, the greeted name is followed by punctuation …)
  and it is not a never-name (not_names.txt: labels, roles, greetings; places.txt);
- known first names and surnames (first_names.txt, last_names.txt; diacritics folded,
  hyphenated, double and possessive names joined; surnames known by their endings, -ski,
  -auskienė, -enko, -oğlu, or by letters Norwegian never uses, ş, ł, ė): a run of
  capitalised words led by a known first name, or made of known names only ("Nguyen Van
  An"), an unknown word before a known surname ("Selam Haile"), a known first name alone;
- in lowercase chat, known names right after a cue ("hei, det er liv marit pettersen her");
- a name found once is a name wherever else it stands in the same text.
Names that are also everyday words (ambiguous_names.txt: Per, Liv, Berg, Strand) count only
after a cue or inside a longer name. Runs that end in AS/ASA/Kommune … are organisations,
and runs followed by "gate"/"vei" or a house number are streets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from importlib.resources import files
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .cues import key_words, own_result


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_L = r"[^\W\d_][\u0300-\u036f]*"  # a letter, with combining marks ("i̇" in "i̇brahim")
_WORD = re.compile(_L + r"(?:" + _L + r")*(?:['’-]" + _L + r"(?:" + _L + r")*)*")
_NAME_START = r"(?=[^\W\d_])"
# E-mail addresses and links: the names inside them are not reported as names.
_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+")

# --- cues -----------------------------------------------------------------------------------
_LABELS = (
    r"navn|fullt navn|fullt navn på kunde|kundenavn|kundens navn|name|full name|"
    r"kontakt|kontaktperson|kontaktperson hos kunde|kontaktinfo|kunde|agent|saksbehandler|"
    r"saksbehandlar|behandler|ansvarlig|kundeansvarlig|rådgiver|kunderådgiver|selger|kjøper|"
    r"eier|ny eier|tidligere eier|leietaker|utleier|forsikringstaker|forsikret|innehaver|"
    r"innmeldt av|meldt av|registrert av|opprettet av|endret av|sendt av|godkjent av|"
    r"behandlet av|signert av|signert|tildelt|tildelt til|assigned to|avsender|mottaker|"
    r"from|fra|to|til|cc|bcc|reply-to|svar til|pasient|lege|fastlege|behandlende lege|ansatt|"
    r"medarbeider|søker|verge|fullmektig|deltakere|deltaker|husstand|ektefelle|samboer|"
    r"foresatt|pårørende|nærmeste pårørende|referent|møteleder|bestiller|bestilt av|"
    r"mottatt av|utført av|tekniker|montør|sjåfør|leder|daglig leder|styreleder|"
    r"prosjektleder|teamleder|kontakt hos oss|vår kontakt|att|attn|c/o|hjemmelshaver|"
    r"debitor|skyldner|fullmaktsgiver|representant|advokat|innsender|melder|innringer|"
    r"oppringer|bruker|operatør|konsulent|elev|student|kandidat|logg|aktivitetslogg|"
    r"kundelogg|kundekort|kontaktkort|notert av|tatt av|saksbehandlet av|lukket av|"
    r"etternavn|fornavn|mellomnavn|fornavn og etternavn|navn på kunde|navn på eier"
)
# "Label: value" at the start of a line (also "Label - value", "Label | value", tabs).
_LABEL = re.compile(
    r"^[ \t>*•·-]*(?:"
    + _LABELS
    + r")[ \t]*(?P<sep>:|\||\t|=|[ \t][-–][ \t])[ \t:|=]*\"?"
    + _NAME_START,
    re.IGNORECASE | re.MULTILINE,
)
# A chat line's speaker: "[14:01] Helen:", "12:31 - Kari Nordmann:", "Kari (12:31):",
# "Jonas (Kundeservice):", "[2024-01-05 10:00] Ola (agent):".
_SPEAKER = re.compile(
    r"^[ \t>]*(?:\[[^\]\n]{1,25}\]"
    r"|\(?(?:\d{4}-\d{2}-\d{2}[ T]|\d{1,2}\.\d{1,2}\.(?:\d{2,4})?[ ,]+)?"
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\)?)[ \t]*(?:[-–—|][ \t]*)?"
    r"(?P<name>[^\W\d_][^\n:()\[\]<>@]{0,45}?)[ \t]*(?:\([^)\n]{1,30}\)[ \t]*){0,2}:"
    r"|^[ \t>]*(?P<name2>[^\W\d_][^\n:()\[\]<>@]{0,45}?)[ \t]*(?:\([^)\n]{1,30}\)[ \t]*){1,2}:",
    re.MULTILINE,
)
# A speaker without a time stamp: "Gro: …" (counted only in a chat, see _plain_speakers).
_PLAIN_SPEAKER = re.compile(
    r"^[ \t>]*(?P<name>[^\W\d_][^\W\d_'’-]*(?:[ \t][^\W\d_][^\W\d_'’-]*){0,2})[ \t]*:[ \t]",
    re.MULTILINE,
)
# A sign-off, then the name on the same line or the next (one blank line allowed).
_SIGNOFF = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?] ))[ \t>]*(?:(?:med[ \t]+)?(?:vennlig|vennleg|venleg|venlig|beste|"
    r"varm|varme|kjærlig|god)?[ \t]*(?:hilsen|hilsener|helsing|helsingar)(?:[ \t]+fra)?|"
    r"mvh\.?|m\.v\.h\.?|vh|best regards|kind regards|regards|cheers|best(?=[ \t]*,)|thanks)"
    r"[ \t]*[,.!:]?[ \t]*(?:\n[ \t>]*(?:\n[ \t>]*)?)?" + _NAME_START,
    re.IGNORECASE,
)
# Closing words after which a name stands on the next line: "Ha en fin dag!\nKari".
_SIGNOFF_NEXT_LINE = re.compile(
    r"(?:^|(?<=\n))[ \t>]*(?:--|ha en (?:fin|god|strålende|flott) (?:dag|helg|kveld|uke)|"
    r"ha det(?: bra| fint| godt)?|god helg|(?:tusen )?takk(?: på forhånd| for hjelpen| igjen)?)"
    r"[ \t]*[,.!:]*[ \t]*\n[ \t>]*(?:\n[ \t>]*)?" + _NAME_START,
    re.IGNORECASE,
)
# A dash before a name alone on its line: "– Liv" (a sign-off in short messages).
_DASH_SIGN = re.compile(r"(?:^|(?<=\n))[ \t]*[-–—][ \t]*" + _NAME_START)
# A name alone on a line at the end of a message, before a quote or "Sent from".
_SIG_LINE = re.compile(
    r"\n[ \t]*\n[ \t>]*(?=[^\W\d_][^\n]{0,40}\n(?:[ \t>]*\n)*[ \t>]*(?:-{3,}|_{3,}|Sendt fra|"
    r"Sent from|Fra:|From:|On |Den |>))|\n[ \t]*\n[ \t>]*(?=[^\W\d_][^\n]{0,40}\s*$)"
)
# Cue phrases before a name, matched on the words (faster than one regex each), and what
# may stand between the cue and the name. Kinds: how much shape an unknown name needs.
_GREETINGS = """hei igjen|hei hei|hei|hallo|heisann|halla|hey|kjære|dear|hi|hello|god morgen|
    god dag|god ettermiddag|god kveld|morn|takk|tusen takk|takk skal du ha|takk igjen|
    takk for hjelpen|tusen takk for hjelpen|takk for hjelp|takk for svaret|takk for svar|
    takk for sist|takk for praten|takk for i dag|ok|okei|okay|supert|flott|perfekt|fint|topp|
    herlig|greit|beklager|sorry|velkommen|god helg|god natt"""
_INTRODUCTIONS = (
    "jeg heter|eg heiter|eg heter|navnet mitt er|navnet er|mitt navn er|på navnet|med navnet"
)
_INTRODUCTIONS_WEAK = "det er|dette er|jeg er|her er"
_TITLES = """fru|herr|frk|frøken|professor|prof|dr|doktor|advokat|adv|lege|fastlege|tannlege|
    sykepleier|jordmor|fysioterapeut|psykolog|daglig leder|direktør|styreleder|ordfører|rektor|
    pastor|prest|dommer|mr|mrs|ms"""
_RELATIONS = """snakker med|snakket med|snakka med|pratet med|prata med|samtale med|
    telefonsamtale med|vegne av|notat fra|beskjed fra|hilsen fra|fullmakt fra|verge for|
    representerer|representert ved|kjøper er|selger er|eier er|ny eier er|leietaker er|
    saksbehandler er|kontaktperson er|spør etter|spurte etter|sendt videre til|
    videresendt til|eskalert til|overført til|tildelt|notert av|behandlet av|tatt av|
    registrert av|opprettet av|endret av|godkjent av|signert av|utført av|lukket av|løst av|
    besvart av|skrevet av|innmeldt av|rapportert av|konsulent|rådgiver|saksbehandler|montør|
    tekniker|elektriker|rørlegger|sjåfør|megler|revisor|regnskapsfører|kone|kona|konen|mann|
    mannen|samboer|samboeren|sønn|sønnen|datter|dattera|datteren|mor|mora|moren|far|faren|bror|
    broren|søster|søsteren|kollega|kollegaen|sjef|sjefen|venn|vennen|venninne|venninnen|naboen|
    ektemann|kjæreste|kjæresten"""
_RELATIONS_WEAK = """møte med|møtte|ringte|ring|ringe|ringer|ringt til|kontakt med|kontakte|
    kontaktet|
    sammen med|att|attn|kunden|kunde|pasienten|søkeren|ansatt|ansatte"""
_POSSESSIVES = _words("""min mi mitt vår din di""")
_GREET_WORDS = _words("""hei hallo heisann hey""")
_SEP_GREETING = re.compile(r"[ \t]*[,!]?[ \t]+")
_SEP_CUE = re.compile(r"[ \t]*[,:]?[ \t]+")
_SEP_TITLE = re.compile(r"\.?[ \t]+")
_SEP_ATT = re.compile(r"\.?:?[ \t]+|[ \t]*/[ \t]*")


def _cue_table() -> dict[str, list[tuple[tuple[str, ...], str, re.Pattern[str]]]]:
    table: dict[str, list[tuple[tuple[str, ...], str, re.Pattern[str]]]] = {}
    groups = (
        (_GREETINGS, "greeting", _SEP_GREETING),
        (_INTRODUCTIONS, "intro", _SEP_CUE),
        (_INTRODUCTIONS_WEAK, "intro-weak", _SEP_CUE),
        (_TITLES, "title", _SEP_TITLE),
        (_RELATIONS, "relation", _SEP_CUE),
        (_RELATIONS_WEAK, "relation-weak", _SEP_CUE),
    )
    for phrases, kind, sep in groups:
        for phrase in phrases.split("|"):
            words = tuple(phrase.split())
            table.setdefault(words[0], []).append((words[1:], kind, sep))
    table.setdefault("att", []).insert(0, ((), "relation-weak", _SEP_ATT))
    table["v"] = [((), "relation-weak", re.compile(r"[ \t]*/[ \t]*"))]
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


_CUES = _cue_table()

# Field names that hold a person's name: words of the key (split at "_", "-", "." and
# camelCase) with one of these, and none of _NOT_NAME_FIELDS.
_NAME_FIELD_WORDS = _words(
    """name navn namn fornavn etternavn mellomnavn fornamn etternamn førenamn firstname
    lastname givenname familyname surname fn first last given family middle fullname
    displayname kontaktperson kontaktnavn kundenavn deltaker deltakar ansatt medarbeider
    contact person kunde customer beneficiary mottaker avsender owner eier"""
)
_NAME_WORDS_ALONE = _words(
    """name navn namn fornavn etternavn mellomnavn fornamn etternamn firstname lastname
    givenname familyname surname fn fullname displayname kundenavn kontaktnavn"""
)
_NOT_NAME_FIELDS = _words(
    """user username brukernavn file filename filnavn host hostname company firma bedrift
    firmanavn product produkt produktnavn app device street gate gatenavn vei domain server
    org organisation organization sted place city by poststed stedsnavn tag label type id
    nr no number nummer phone telefon mobil email epost mail e adresse address konto account
    status role rolle title tittel stilling avdeling department team group gruppe event
    plan kategori category land country"""
)


def name_field(key: str) -> bool:
    """Whether a field name, column header or label names a person's name: "Fornavn",
    "last_name", "firstName", "Kontaktperson", "customer.name", "N" (vCard)."""
    words = [w for w in key_words("_".join(key.split())) if w]
    if not words or len(words) > 6:
        return False
    parts = words[:-1] if len(words) > 1 else words
    if any(w in _NOT_NAME_FIELDS for w in parts):
        return False
    return any(w in _NAME_FIELD_WORDS or w.endswith(("navn", "namn")) for w in parts)


# Cues after which a lowercase single everyday-word name ("det er liv her") still counts.
_STRONG_LOWER = re.compile(
    r"(?:jeg heter|eg heiter|eg heter|navnet mitt er|navnet er|mitt navn er|heter|det er|"
    r"dette er|jeg er|her er|hei|hallo|heisann|mvh|hilsen|helsing)[ \t]*[,:]?[ \t]+$",
    re.IGNORECASE,
)
# A name alone in brackets: "Videresendt til 2. linje (Siv)".
_PAREN = re.compile(r"\((?=[^\W\d_][^()\n]{0,40}\))")
# A name right before an e-mail address in angle brackets: 'Ola Nordmann <ola@x.no>'.
_ANGLE = re.compile(r"[ \t]*\"?[ \t]*<[^\s<>@]+@[^\s<>]+>")
# A table's header with a name column: "Navn;Telefon;E-post", "Fullt navn | Mobil".
_TABLE_HEADER = re.compile(
    r"^(?P<before>[^\n]*?)(?:fullt navn|navn|name|full name|kundenavn|kontaktperson|kunde)"
    r"[ \t]*(?P<sep>[;|\t,])[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Structure: a value's field says it is a name. A `key: value` line, a JSON key, a log's
# key=value pair, a vCard's N and FN properties (see name_field for the keys).
_KEY_LINE = re.compile(
    r"^[ \t>*•·-]*(?P<key>[^\W\d_][\w .'/-]{0,30}?)[ \t]*(?::|=)[ \t]*\"?(?=[^\W\d_])",
    re.MULTILINE,
)
_JSON_KEY = re.compile(r"\"(?P<key>[^\"\n]{1,40})\"[ \t]*:[ \t]*\"(?=[^\W\d_])")
_KV = re.compile(r"(?<![\w.\"-])(?P<key>[A-Za-z_][\w.-]{0,40})=[\"']?(?=[^\W\d_])")
_VCARD = re.compile(r"^(?P<prop>FN|N)(?:;[^:\n]*)?:(?P<value>[^\n]*)", re.MULTILINE)
# Month and weekday abbreviations next to a number are dates ("Dec  1 21:33:01", "Sun, 8
# Mar 2026", "Tor 14.11"), never names.
_DATE_WORDS = _words(
    """jan feb mar apr may jun jul aug sep sept oct nov dec mai okt des mon tue tues wed thu
    thur thurs fri sat sun man tir ons tor fre lør søn"""
)
_DATE_NEIGHBOUR = re.compile(
    r"[ \t]*(?:[,.][ \t]*)?\d|[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b",
    re.IGNORECASE,
)
_DATE_BEFORE = re.compile(r"(?:\d[ \t]*\.?|[/-])[ \t]*$")
# Product tokens: "Safari/537.36", "KundeApp/4.1", and the words of a user agent.
_PRODUCT = re.compile(r"[^\W\d_][\w.-]*/\d[\w.]*")
_USER_AGENT = re.compile(
    r"Mozilla/\d[^\"\n]*|\((?:Windows|Macintosh|Linux|X11|iPhone|iPad|Android)[^)\n]*\)"
)
# English words that open a sentence after a capitalised word that is also a name
# ("Even so, …", "May I …", "Will you …"): that word is no name there.
_ENGLISH_NEXT = _words(
    """so if though when more less after before now then with without the a an in as at for
    better worse further still yet though today tomorrow i we you they he she it this that
    there here my our your his her its to be not more most"""
)
_ENGLISH_OPENERS = _words("""even may will mark bill grant rob dawn hope faith""")
# After a run: another name joined by a comma or "og" ("Hei Oleksandr og Mathias,").
_JOIN = re.compile(r",[ \t]*|[ \t]+(?:og|and|&)[ \t]+|[ \t]*&[ \t]*|[ \t]*/[ \t]*")
# What may follow a name that fills its slot: end of line, punctuation, a bracket, a dash.
_FILL_END = re.compile(r"[ \t]*(?:$|[\n,;|/(<\[\"”»]|[-–—][ \t]|\t)")
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
# What may follow a greeted or related single unknown word: punctuation or end of line.
_VOCATIVE_END = re.compile(
    r"[ \t]*(?:$|\n|[,.!?:;)”\"»" + _EMOJI + r"]|[ \t]+(?:og|her|i|på|om|fra|sin|sitt|sine)\b|"
    r"[ \t]+\d)"
)
# "her" / punctuation / line end after a lowercase everyday-word name ("det er liv her").
_LOWER_END = re.compile(r"[ \t]*(?:$|\n|[,.!?:;)" + _EMOJI + r"]|(?:her|som|forresten|btw)\b)")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
# The start of a chat message, up to its first word: "[12:01] kari: ", "kari: ja, ".
_MESSAGE_START = re.compile(
    r"[ \t>]*(?:\[[^\]\n]{1,25}\][ \t]*)?(?:[^\W\d_][\w-]*[ \t]*:[ \t]*)?"
    r"(?:(?:ja|nei|ok|okei|jo|hei|takk)[ \t]*,?[ \t]*)?"
)
_REST_BLANK = re.compile(r"\s*\Z")
_REVERSED_END = re.compile(r"[ \t]*(?:$|\n|[;|\t(\"])")
_HER = re.compile(r"[ \t]+(?:her|fra)\b")
_HOUSE_NUMBER = re.compile(r"[ \t]+\d{1,4}[A-Za-z]?\b(?![.:/-]\d)")
_MESSAGE_WORDS = re.compile(r"(?<![\w@.])[^\W\d_]{2,}(?![\w@])")
# Endings of Norwegian nouns in the definite form ("Kundesenteret", "Familien"): an unknown
# word with one is not taken for a name where only the slot speaks for it.
_NOUN_ENDINGS = tuple(
    _words(
        """sjon sjonen heten else elsen ingen nummer nummeret adresse tjeneste tjenesten
        avdeling avdelingen kontor kontoret avtale faktura løsning system senter
        senteret torget teamet gruppen linje linjen"""
    )
)

# --- word classes -----------------------------------------------------------------------------
FIRST, LAST, AMBIGUOUS, STOP, PARTICLE, SHAPE, ORG, STREET = 1, 2, 4, 8, 16, 32, 64, 128
FOREIGN = 256  # spelled with letters Norwegian words never have
NAME = FIRST | LAST | SHAPE

_PARTICLES = _words(
    """van von de der den del della di da dos das la le al el bin ibn ben abu abd ter ten dela
    delos ul"""
)
_ORG_SUFFIXES = _words(
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


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """First names, surnames, everyday-word names, and never-names (words and places); the
    name lists with folded spellings too."""

    def load(name: str, fold: bool) -> frozenset[str]:
        text = files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8")
        keys = {
            unicodedata.normalize("NFC", line.strip()).casefold()
            for line in text.splitlines()
            if line.strip() and not line.startswith("#")
        }
        return frozenset(keys | {_fold(k) for k in keys}) if fold else frozenset(keys)

    return (
        load("first_names.txt", True),
        load("last_names.txt", True),
        load("ambiguous_names.txt", False),
        load("not_names.txt", False) | load("places.txt", False),
    )


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
    if flags & NAME and (key in ambiguous or folded in ambiguous or len(key) <= 2):
        flags |= AMBIGUOUS
    return flags


class NoPersonRecognizer(EntityRecognizer):
    CONTEXT = [
        "hei",
        "hallo",
        "heisann",
        "hilsen",
        "mvh",
        "navn",
        "kontaktperson",
        "kunde",
        "kunden",
        "saksbehandler",
        "snakket",
        "ringte",
        "kjære",
        "ansatt",
        "søker",
        "fornavn",
        "etternavn",
        "signert",
        "kontakt",
        "søkeren",
        "pasient",
        "leder",
        "medarbeider",
        "kollega",
        "helsing",
    ]
    CUED_KNOWN, CUED, FULL, FIRST_AND_WORD, FIRST_ONLY, LOWER = 0.9, 0.8, 0.85, 0.6, 0.6, 0.8
    UNKNOWN_AND_LAST = 0.55

    def __init__(self, supported_language: str = "no", **kwargs: Any) -> None:
        # kwargs: what a Presidio YAML configuration sets (name, context, …)
        super().__init__(
            supported_entities=["PERSON"],
            supported_language=supported_language,
            context=kwargs.pop("context", self.CONTEXT),
            **kwargs,
        )

    def load(self) -> None:
        name_lists()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            own_result(self, "PERSON", s, e, score, settled=False)
            for s, e, score in find_names(text)
        ]


# Slot kinds, by how much shape they demand of an unknown name.
_FILL, _GREETING, _INTRO_KIND, _INTRO_WEAK = "fill", "greeting", "intro", "intro-weak"
_INTRO_GREETED, _TITLE_KIND, _CELL = "intro-greeted", "title", "cell"
_RELATION_KIND, _RELATION_WEAK_KIND, _PAREN_KIND = "relation", "relation-weak", "paren"
_DASH, _SIGNATURE, _GREETING_LOWER = "dash", "signature", "greeting-lower"
_HETER = sorted("heter")
_S = NoPersonRecognizer


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
        ";" in text or "|" in text or "\t" in text or text.count(",") > 3
    )


def find_names(text: str) -> list[tuple[int, int, float]]:
    """(start, end, score) of each name in ``text``."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if not words:
        return []
    finder = _Finder(text, words)
    return finder.run()


class _Finder:
    def __init__(self, text: str, words: list[tuple[int, int, str]]) -> None:
        self.text = text
        self.words = words
        self.keys = [w.casefold() for _, _, w in words]
        self.classes = [word_class(k) for k in self.keys]
        self.at = {s: i for i, (s, _, _) in enumerate(words)}
        self.end_at = {e: i for i, (_, e, _) in enumerate(words)}
        self.used = [False] * len(words)
        self.found: list[tuple[int, int, float]] = []
        at = text.find("@")
        while at >= 0:
            m = _DOMAIN.match(text, at)
            if m:
                start = at
                while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._+-'’"):
                    start -= 1
                self._block(start, m.end())
            at = text.find("@", at + 1)
        if "www." in text or "://" in text:
            for m in _LINK.finditer(text):
                self._block(m.start(), m.end())
        if "/" in text:
            for m in _PRODUCT.finditer(text):  # "Safari/537.36", "KundeApp/4.1"
                self._block(m.start(), m.end())
            if "Mozilla/" in text or "(" in text:
                for m in _USER_AGENT.finditer(text):
                    self._block(m.start(), m.end())
        self.caps_ok = False
        n = len(words)
        for i, key in enumerate(self.keys):
            if key in _DATE_WORDS and words[i][2][0].isupper():
                end, start = words[i][1], words[i][0]
                if _DATE_NEIGHBOUR.match(text, end) or _DATE_BEFORE.search(
                    text, max(0, start - 4), start
                ):
                    self.used[i] = True  # "Dec  1", "Sun, 8 Mar", "26/Jan/2026", "1 Jun"
                    if i and self.keys[i - 1] == "on" and self._joined(i - 1, i):
                        self.used[i - 1] = True  # "On Sun, 8 Mar 2026"
            elif (
                key in _ENGLISH_OPENERS
                and i + 1 < n
                and self.keys[i + 1] in _ENGLISH_NEXT
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
        for m in _SPEAKER.finditer(text):
            group = "name" if m.group("name") else "name2"
            self._speaker(m.start(group), m.end(group), m.end())
        if "<" in text:
            for m in _ANGLE.finditer(text):
                self._angle(m.start())
        for m in _LABEL.finditer(text):
            if m.group("sep") in "|\t":  # not a table's header: "Navn\tTelefon\tE-post"
                line_end = text.find("\n", m.end())
                if m.group("sep") in text[m.end() : line_end if line_end >= 0 else None]:
                    continue
            self._slot(m.end(), _FILL)
        for m in _SIGNOFF.finditer(text):
            self._slot(m.end(), _FILL)
        if "\n" in text:
            for m in _SIGNOFF_NEXT_LINE.finditer(text):
                self._slot(m.end(), _FILL)
            for m in _DASH_SIGN.finditer(text):
                self._slot(m.end(), _DASH)
            for m in _SIG_LINE.finditer(text):
                self._slot(m.end(), _SIGNATURE)
        cued = self._cues()
        for pos, kind in cued:
            if kind in (_GREETING, _GREETING_LOWER):
                self._slot(pos, kind)
        self._plain_speakers()
        if "(" in text:
            for m in _PAREN.finditer(text):
                self._slot(m.end(), _PAREN_KIND)
        for rank in (_INTRO_KIND, _INTRO_GREETED, _INTRO_WEAK, _TITLE_KIND, _RELATION_KIND):
            for pos, kind in cued:
                if kind == rank:
                    self._slot(pos, kind)
        for pos, kind in cued:
            if kind == _RELATION_WEAK_KIND:
                self._slot(pos, kind)
        self._listed()
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
                if i == j and self.classes[i] & NAME:
                    lower.add(self.keys[i])  # a lowercase chat name: "[12:01] liban: …"
                continue
            keys = tuple(self.keys[i : j + 1])
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
                line_start = text.rfind("\n", 0, start) + 1
                opening = _MESSAGE_START.fullmatch(text, line_start, start)
                if not (opening or _LOWER_END.match(text, end)):
                    continue
            self._emit(i, i + 1, _S.LOWER)

    def _cues(self) -> list[tuple[int, str]]:
        """(position of the name, kind) after each cue phrase of _CUES."""
        keys, words, text, n = self.keys, self.words, self.text, len(self.words)
        found = []
        for i, key in enumerate(keys):
            entries = _CUES.get(key)
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
                    if kind == _RELATION_KIND and k < n and keys[k] in _POSSESSIVES:
                        k += 1  # "kona mi Kari"
                    if k >= n or not sep.fullmatch(text, words[k - 1][1], words[k][0]):
                        continue
                    if kind == _GREETING and "!" in text[words[k - 1][1] : words[k][0]]:
                        kind = _GREETING_LOWER  # "hei! marte her", never "Takk! Storm i vente"
                    if (
                        kind == _INTRO_WEAK
                        and i > 0
                        and keys[i - 1] in _GREET_WORDS
                        and "\n" not in text[words[i - 1][1] : words[i][0]]
                    ):
                        kind = _INTRO_GREETED  # "hei, det er Selam 😊"
                    found.append((words[k][0], kind))
                    break
        return found

    def _emit(self, i: int, j: int, score: float) -> None:
        for k in range(i, j):
            self.used[k] = True
        self.found.append((self.words[i][0], self.words[j - 1][1], score))

    # --- runs -------------------------------------------------------------------------------
    def _joined(self, a: int, b: int) -> bool:
        """Words a and b belong to one name: one blank between them, not a line or a comma."""
        return self.text[self.words[a][1] : self.words[b][0]] in (" ", "\u00a0")

    def _is_cap(self, i: int) -> bool:
        word = self.words[i][2]
        if not word[0].isupper():
            return False
        # All capitals ("AS", "DY", "NAV") only when a list knows the word, in a field that
        # holds a name, or next to a known name in capitals ("OVERFØRING TIL HEAIKA NORDMANN").
        if not (len(word) > 1 and word.isupper()) or self.classes[i] & NAME:
            return True
        if self.classes[i] & (STOP | ORG) or word in _ORG_SUFFIXES:
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
            if word in _ORG_SUFFIXES:
                break
            j += 1
        while j - 1 > i and self.classes[j - 1] & PARTICLE and not self.classes[j - 1] & NAME:
            j -= 1
        return j

    def _is_org_or_street(self, i: int, j: int) -> bool:
        """The run i..j is part of a company name or a street name."""
        n, words = len(self.words), self.words
        if any(self.classes[k] & ORG for k in range(i + 1, j)):
            return True
        k = j
        while k < n and k - j < 4 and self._joined(k - 1, k):
            word = words[k][2]
            if word in _ORG_SUFFIXES or self.classes[k] & ORG and word[0].isupper():
                return True
            if self.classes[k] & STREET and word.islower():
                return True
            if not word[0].isupper():
                break
            k += 1
        end = words[j - 1][1]
        if self.text[end : end + 2] in (" &", "&"):
            return True  # "Hansen & Co"
        # "Myrtunet 18D": a single unknown word before a house number is a street.
        return (
            j - i == 1 and not self.classes[i] & FIRST and bool(_HOUSE_NUMBER.match(self.text, end))
        )

    def _name_shaped(self, i: int, strict: bool = False) -> bool:
        """A word that could be a name: known, or capitalised and not a never-name. Strict (no
        known name in the run): not a Norwegian noun by its ending either ("Kundesenteret")."""
        c, key = self.classes[i], self.keys[i]
        if c & NAME:
            return True
        if c & (STOP | ORG) or len(key) < 2 or not self.words[i][2][0].isupper():
            return False
        if key.endswith(_NOUN_ENDINGS):
            return False
        definite = len(key) >= 8 and key.endswith(("en", "et", "ene")) and not key.endswith("een")
        return not (strict and definite)

    # --- cued slots -----------------------------------------------------------------------
    def _slot(self, pos: int, kind: str) -> None:
        """A name where a cue puts one, then the names joined to it ("Hei Oleksandr og
        Mathias", "Husstand: A, B og C")."""
        j = self._slot_once(pos, kind, chained=False)
        while j is not None and kind not in (_PAREN_KIND, _DASH, _SIGNATURE):
            m = _JOIN.match(self.text, self.words[j - 1][1])
            if not m or m.end() not in self.at:
                break
            j = self._slot_once(m.end(), kind, chained=True)

    def _slot_once(self, pos: int, kind: str, chained: bool) -> int | None:
        i = self.at.get(pos)
        if i is None and self.text[pos : pos + 1] == "@":
            i = self.at.get(pos + 1)
        if i is None or self.used[i]:
            return None
        if not self.words[i][2][0].isupper() and self._particle_led(i):
            # "Etternavn: van Beek", "de Souza;" (a surname that starts with its particle)
            j = self._extend(i, lower=False)
            if j - i >= 2:
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
        if kind in (_FILL, _CELL) and not chained and j - i == 1 and (
            run[0] & (LAST | SHAPE) or self.caps_ok
        ):
            j = self._reversed(i, j)  # "Navn: Hansen, Kari"
            end = self.words[j - 1][1]
        if kind == _PAREN_KIND:
            ok = text[end : end + 1] == ")" and named and all(k & NAME for k in run)
            ok = ok and not (j - i == 1 and run[0] & STOP)
        elif kind == _DASH:
            ok = bool(_FILL_END.match(text, end)) and (named or bool(_REST_BLANK.match(text, end)))
        elif kind == _SIGNATURE:
            ok = bool(_LINE_END.match(text, end))
        elif known or kind in (_INTRO_KIND, _TITLE_KIND):
            ok = True
        elif kind in (_FILL, _CELL):
            ok = chained or bool(_FILL_END.match(text, end))
        elif kind == _INTRO_WEAK:
            ok = bool(_HER.match(text, end))
        elif kind == _RELATION_WEAK_KIND:
            ok = j - i >= 2 or (named and bool(_VOCATIVE_END.match(text, end)))
        elif kind == _RELATION_KIND:
            ok = j - i >= 2 or bool(_VOCATIVE_END.match(text, end))
        else:  # greetings, "hei, det er X"
            ok = bool(_VOCATIVE_END.match(text, end))
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

    def _field(self, pos: int) -> None:
        """A value in a field that names a person: any name-shaped words fill it, in
        capitals too ("ETTERNAVN: HÆTTA", '"first": "Áile"')."""
        self.caps_ok = True
        try:
            self._slot(pos, _FILL)
        finally:
            self.caps_ok = False

    def _fields(self) -> None:
        text = self.text
        if ":" in text or "=" in text:
            for m in _KEY_LINE.finditer(text):
                if name_field(m.group("key")):
                    self._field(m.end())
        if '"' in text:
            for m in _JSON_KEY.finditer(text):
                if name_field(m.group("key")):
                    self._field(m.end())
        if "=" in text:
            for m in _KV.finditer(text):
                if name_field(m.group("key")):
                    self._field(m.end())
        if "VCARD" in text or "vcard" in text.lower():
            for m in _VCARD.finditer(text):
                pos = m.start("value")
                for part in m.group("value").split(";"):
                    if part.strip():
                        self._field(pos + len(part) - len(part.lstrip()))
                    pos += len(part) + 1
                    if m.group("prop") == "FN":
                        break

    def _reversed(self, i: int, j: int) -> int:
        """'Hansen, Kari' (surname first, as registers list people): the end of the name."""
        n = len(self.words)
        if j >= n or self.text[self.words[i][1] : self.words[j][0]] != ", ":
            return j
        if not self._is_cap(j) or not (self.classes[j] & FIRST or self.caps_ok):
            return j
        k = self._extend(j, lower=False)
        # in a field that holds a name, the given names need only be name-shaped
        shaped = all(self._name_shaped(m) for m in range(j, k)) if self.caps_ok else False
        if (shaped or all(c & NAME for c in self.classes[j:k])) and _REVERSED_END.match(
            self.text, self.words[k - 1][1]
        ):
            return k
        return j

    def _lower_slot(self, i: int, pos: int, kind: str) -> None:
        """Lowercase chat: "hei, det er liv marit pettersen her", "min kone terje ringte"."""
        c = self.classes[i]
        if kind in (_PAREN_KIND, _DASH, _SIGNATURE, _TITLE_KIND):
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
            strong = _STRONG_LOWER.search(self.text, max(0, pos - 25), pos)
            if not strong or not _LOWER_END.match(self.text, self.words[j - 1][1]):
                return
        elif not c & FIRST and (j - i < 2 or not all(k & NAME for k in run)):
            return
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
        if _LOWER_END.match(self.text, end):
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
                line_end = self.text.find("\n", colon)
                message = self.text[colon : line_end if line_end >= 0 else len(self.text)]
                if len(_MESSAGE_WORDS.findall(message)) < 2:
                    return
            self._emit(i, j, _S.CUED_KNOWN if named else _S.CUED)
        elif all(c & NAME for c in self.classes[i:j]) and (self.classes[i] & FIRST or j - i >= 2):
            self._emit(i, j, _S.LOWER)  # "21:56 kari-mette:", "[11:55] bui thi hoa:"

    def _plain_speakers(self) -> None:
        """Chat lines "Gro: …", "anna: …" without time stamps: speakers when at least two lines
        of the text start with a known name and a colon."""
        if self.text.count(":") < 2:
            return
        spans = []
        for m in _PLAIN_SPEAKER.finditer(self.text):
            i = self.at.get(m.start("name"))
            j = self.end_at.get(m.end("name"))
            if i is None or j is None or self.used[i]:
                continue
            classes = self.classes[i : j + 1]
            if all(c & NAME and not c & (ORG | STOP) or c & FIRST for c in classes) and (
                classes[0] & FIRST or j > i
            ):
                spans.append((i, j + 1))
        if len(spans) >= 2:
            for i, j in spans:
                if not self.used[i]:
                    self._emit(i, j, _S.CUED_KNOWN)

    def _angle(self, pos: int) -> None:
        """'Ola Nordmann <ola@x.no>': the capitalised words right before the address."""
        j = self.end_at.get(pos)
        if j is None:
            return
        i = j
        while (
            i > 0
            and j - i < 6
            and self._joined(i - 1, i)
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
            sep, columns = header
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
                        self.caps_ok = True
                        try:
                            self._slot(offset + cell.index(stripped[0]), _CELL)
                        finally:
                            self.caps_ok = False
                    offset += len(cell) + 1
                row = row_end + 1
            pos = row

    @staticmethod
    def _header(line: str) -> tuple[str, set[int]] | None:
        """(delimiter, name columns) if the line is a table's header with name columns."""
        sep = next((d for d in ("\t", "|", ";", ",") if line.count(d) >= 1), None)
        if sep is None or any(ch.isdigit() or ch == "@" for ch in line):
            return None
        cells = line.split(sep)
        if len(cells) < 2 or (sep == "," and len(cells) < 3):
            return None
        if any(len(c) > 40 for c in cells):
            return None
        columns = {k for k, c in enumerate(cells) if c.strip(" \t\"'") and name_field(c)}
        return (sep, columns) if columns else None

    # --- known names anywhere ---------------------------------------------------------------
    def _listed(self) -> None:
        n, i = len(self.words), 0
        classes = self.classes
        while i < n:
            c = classes[i]
            if self.used[i] or not c & NAME and not self._unknown_before_last(i):
                i += 1
                continue
            if not self._is_cap(i):
                i += 1
                continue
            j = self._extend(i, lower=False)
            score = self._score(i, j)
            if score and not self._is_org_or_street(i, j):
                self._emit(i, j, score)
                self._chain_listed(j)
                i = j
            else:
                i += 1

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
            m = _JOIN.match(self.text, self.words[j - 1][1])
            i = self.at.get(m.end()) if m else None
            if i is None or self.used[i] or not self._is_cap(i) or not self.classes[i] & FIRST:
                return
            k = self._extend(i, lower=False)
            if not all(c & NAME for c in self.classes[i:k]) or self._is_org_or_street(i, k):
                return
            self._emit(i, k, _S.FULL if k - i > 1 else _S.FIRST_ONLY)
            j = k
