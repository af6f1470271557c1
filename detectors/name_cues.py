"""Cue phrases and shapes that put a name in a slot: form labels and field names, chat
speakers, sign-offs, greetings, introductions, titles, relations, mail headers, tables;
and the shapes that are never names (dates, user agents, product tokens).

See no_person_recognizer for how the finder weighs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .cues import key_words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def by_first_letter(alternatives: str) -> str:
    """The alternation "a|b|…" of plain phrases as one branch per first letter ("n(?:avn|
    ame)|f(?:ullt navn|ra)|…"), the same alternatives in the same order within each. The
    same matches: no text character matches two first letters (not even ignoring case),
    so at most one branch can start where the regex tries. Faster: Python's re tries
    every alternative in turn, and ignoring case it cannot skip one by its first letter."""
    groups: dict[str, list[str]] = {}
    for phrase in alternatives.replace("\n", "").split("|"):
        phrase = phrase.strip()
        first = phrase[0].lower()
        assert first.isalpha() and first.isascii(), phrase  # a literal: a letter's case is plain
        groups.setdefault(first, []).append(phrase[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_L = r"[^\W\d_][\u0300-\u036f]*"  # a letter, with combining marks ("i̇" in "i̇brahim")
WORD = re.compile(_L + r"(?:" + _L + r")*(?:['’-]" + _L + r"(?:" + _L + r")*)*")
_NAME_START = r"(?=[^\W\d_])"
# E-mail addresses and links: the names inside them are not reported as names.
DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)+")
LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+")

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
    r"etternavn|fornavn|mellomnavn|fornavn og etternavn|navn på kunde|navn på eier|innmelder|"
    r"rekvirent|oppdragsgiver|henvender|reporter|requester|requested by|reported by|created by|"
    r"submitted by|assignee|applicant|employee|caller|"
    r"patient|policyholder|insured|vitne|skadelidte|skadelidt|skadevolder|fører|passasjer"
)
# "Label: value" at the start of a line (also "Label - value", "Label | value", tabs).
LABEL = re.compile(
    r"^[ \t>*•·-]*(?:"
    + by_first_letter(_LABELS)
    + r")[ \t]*(?P<sep>:|\||\t|=|[ \t][-–][ \t])[ \t:|=]*\"?"
    + _NAME_START,
    re.IGNORECASE | re.MULTILINE,
)
# A chat line's speaker: "[14:01] Helen:", "12:31 - Kari Nordmann:", "Kari (12:31):",
# "Jonas (Kundeservice):", "[2024-01-05 10:00] Ola (agent):".
SPEAKER = re.compile(
    r"^[ \t>]*(?:\[[^\]\n]{1,25}\]"
    r"|\(?(?:\d{4}-\d{2}-\d{2}[ T]|\d{1,2}\.\d{1,2}\.(?:\d{2,4})?[ ,]+)?"
    r"(?:[Kk]l\.?[ \t]*)?"  # "kl 10:15 kari: …"
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\)?)[ \t]*(?:[-–—|][ \t]*)?"
    r"(?P<name>[^\W\d_][^\n:()\[\]<>@]{0,45}?)[ \t]*(?:\([^)\n]{1,30}\)[ \t]*){0,2}:"
    r"|^[ \t>]*(?P<name2>[^\W\d_][^\n:()\[\]<>@]{0,45}?)[ \t]*(?:\([^)\n]{1,30}\)[ \t]*){1,2}:",
    re.MULTILINE,
)
# A speaker without a time stamp: "Gro: …" (counted only in a chat, see _plain_speakers).
PLAIN_SPEAKER = re.compile(
    r"^[ \t>]*(?P<name>[^\W\d_][^\W\d_'’-]*(?:[ \t][^\W\d_][^\W\d_'’-]*){0,2})[ \t]*:[ \t]",
    re.MULTILINE,
)
# A sign-off, then the name on the same line or the next (one blank line allowed).
_SIGNOFF_WORDS = (
    r"(?:(?:med[ \t]+)?(?:vennlig|vennleg|venleg|venlig|beste|"
    r"varm|varme|kjærlig|god)?[ \t]*(?:hilsen|hilsener|helsing|helsingar)(?:[ \t]+fra)?|"
    r"mvh\.?|m\.v\.h\.?|vh|best regards|kind regards|regards|cheers|best(?=[ \t]*,)|thanks)"
)
# "Med vennlig hilsen / Best regards": a sign-off in two languages is one.
_SIGNOFF = (
    r"[ \t>]*" + _SIGNOFF_WORDS + r"(?:[ \t]*/[ \t]*" + _SIGNOFF_WORDS + r")?"
    r"[ \t]*[,.!:]?[ \t]*(?:\n[ \t>]*(?:\n[ \t>]*)?)?" + _NAME_START
)
SIGNOFF = re.compile(r"(?:^|(?<=\n)|(?<=[.!?] ))" + _SIGNOFF, re.IGNORECASE)
# Closing words after which a name stands on the next line: "Ha en fin dag!\nKari".
_SIGNOFF_NEXT_LINE = (
    r"[ \t>]*(?:--|ha en (?:fin|god|strålende|flott) (?:dag|helg|kveld|uke)|"
    r"ha det(?: bra| fint| godt)?|god helg|(?:tusen )?takk(?: på forhånd| for hjelpen| igjen)?)"
    r"[ \t]*[,.!:]*[ \t]*\n[ \t>]*(?:\n[ \t>]*)?" + _NAME_START
)
SIGNOFF_NEXT_LINE = re.compile(r"(?:^|(?<=\n))" + _SIGNOFF_NEXT_LINE, re.IGNORECASE)
# A dash before a name alone on its line: "– Liv" (a sign-off in short messages).
_DASH_SIGN = r"[ \t]*[-–—][ \t]*" + _NAME_START
DASH_SIGN = re.compile(r"(?:^|(?<=\n))" + _DASH_SIGN)


# Patterns that match only at the start of the text or where an anchor ends ("(?:^|(?<=\n))
# …"): re tries such a pattern at every character, these try their body only there.
class Anchored:
    """What ``re.compile("(?:^|(?<=<anchor>))" + body).finditer`` finds, faster. ``lead``:
    a lookahead the body's start satisfies wherever it matches (with its flags): anchors
    not followed by it are not tried (most lines start with no sign-off's letter)."""

    def __init__(self, body: str, anchor: str, flags: int = 0, lead: str = "") -> None:
        self.body = re.compile(body, flags)
        self.anchor = re.compile(f"(?:{anchor})(?={lead})" if lead else anchor, flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        m = self.body.match(text)
        last = m.end() if m else 0
        if m:
            yield m
        for a in self.anchor.finditer(text):
            pos = a.end()
            if pos < last:
                continue  # inside the previous match
            m = self.body.match(text, pos)
            if m:
                last = m.end()
                yield m


# The leads: the first letters of the phrases after the blanks (and quote marks) the bodies
# allow first ("med vennlig hilsen", "mvh", "best regards", "takk", "-- ", "– Liv").
# "Ring meg. // Hilsen Sol", "Ok – mvh Dag": a sign-off after a slash or a dash too.
SIGNOFF_AT = Anchored(
    _SIGNOFF, r"\n|[.!?] |(?:/{1,2}|[-–—|]) ", re.IGNORECASE, lead=r"[ \t>]*[mvbkghrct]"
)
SIGNOFF_NEXT_LINE_AT = Anchored(_SIGNOFF_NEXT_LINE, r"\n", re.IGNORECASE, lead=r"[ \t>]*[-hgt]")
DASH_SIGN_AT = Anchored(_DASH_SIGN, r"\n", lead=r"[ \t]*[-–—]")
# A name alone on a line at the end of a message, before a quote or "Sent from".
SIG_LINE = re.compile(
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
_TITLES = """fru|herr|hr|frk|frøken|professor|prof|dr|doktor|advokat|adv|lege|fastlege|tannlege|
    sykepleier|jordmor|fysioterapeut|psykolog|daglig leder|direktør|styreleder|ordfører|rektor|
    pastor|prest|dommer|mr|mrs|ms"""
_RELATIONS = """snakker med|snakket med|snakka med|pratet med|prata med|samtale med|
    snakke med|snakk med|snakkar med|prate med|prat med|prater med|pratar med|
    telefonsamtale med|ifølge|ifølgje|i følge|according to|vegne av|notat fra|beskjed fra|
    hilsen fra|fullmakt fra|verge for|
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
POSSESSIVES = _words("""min mi mitt vår din di""")
GREET_WORDS = _words("""hei hallo heisann hey""")
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


CUES = _cue_table()

# Field names that hold a person's name: words of the key (split at "_", "-", "." and
# camelCase) with one of these, and none of _NOT_NAME_FIELDS.
_NAME_FIELD_WORDS = _words(
    """name navn namn fornavn etternavn mellomnavn fornamn etternamn førenamn firstname
    lastname givenname familyname surname fn first last given family middle fullname
    displayname kontaktperson kontaktnavn kundenavn deltaker deltakar ansatt medarbeider
    contact person kunde customer beneficiary mottaker avsender owner eier"""
)
# Field names for a name or a part of one, not for a role ("Etternavn", "last_name",
# "customer.name", but not "Kunde" or "Kontaktperson"): see name_part_field.
_NAME_PART_WORDS = _words(
    """name navn namn fornavn etternavn mellomnavn fornamn etternamn førenamn firstname
    lastname givenname familyname surname fn fullname displayname kundenavn kontaktnavn
    first last given family middle"""
)
_NOT_NAME_FIELDS = _words(
    """user username brukernavn file filename filnavn host hostname company firma bedrift
    firmanavn product produkt produktnavn app device street gate gatenavn vei domain server
    org organisation organization sted place city by poststed stedsnavn tag label type id
    nr no number nummer phone telefon mobil email epost mail e adresse address konto account
    status role rolle title tittel stilling avdeling department team group gruppe event
    plan kategori category land country"""
)


# Field names whose values are things, not people: "Produkt: Sofia sofa, farge Emma grå",
# "Modell: Zoe", "App: Kari Kalender". A first name in such a value is a product's name.
_THING_FIELD_WORDS = _words(
    """produkt produktnavn product productname vare varenavn varetekst artikkel item modell
    model sku app device enhet tjeneste service abonnement plan pakke"""
)


@lru_cache(maxsize=8192)
def _field_words(key: str) -> tuple[str, ...]:
    """The words of a field name, label or header ("customer.lastName", "Fornavn og
    etternavn"), as the field tests below read them."""
    return tuple(w for w in key_words("_".join(key.split())) if w)


@lru_cache(maxsize=4096)
def thing_field(key: str) -> bool:
    """Whether a field name or label holds a product or a thing, never a person's name."""
    words = _field_words(key)
    return bool(words) and len(words) <= 4 and words[-1] in _THING_FIELD_WORDS


@lru_cache(maxsize=8192)  # keys and headers repeat from text to text ("Navn", "Telefon")
def name_field(key: str) -> bool:
    """Whether a field name, column header or label names a person's name: "Fornavn",
    "last_name", "firstName", "Kontaktperson", "customer.name", "N" (vCard)."""
    words = _field_words(key)
    if not words or len(words) > 6:
        return False
    parts = words[:-1] if len(words) > 1 else words
    if any(w in _NOT_NAME_FIELDS for w in parts):
        return False
    return any(w in _NAME_FIELD_WORDS or w.endswith(("navn", "namn")) for w in parts)


@lru_cache(maxsize=4096)
def name_part_field(key: str) -> bool:
    """Whether a field names a name or a part of one ("Etternavn", "lastName", "N" of a
    vCard goes by itself): a place name in it is a surname, as many Norwegian surnames are
    farm and place names ("Etternavn: Rørvik"). A role ("Kunde: Molde") can name a firm."""
    return name_field(key) and _field_words(key)[-1] in _NAME_PART_WORDS


# Cues after which a lowercase single everyday-word name ("det er liv her") still counts.
STRONG_LOWER = re.compile(
    r"(?:jeg heter|eg heiter|eg heter|navnet mitt er|navnet er|mitt navn er|heter|det er|"
    r"dette er|jeg er|her er|hei|hallo|heisann|mvh|hilsen|helsing)[ \t]*[,:]?[ \t]+$",
    re.IGNORECASE,
)
# A name alone in brackets: "Videresendt til 2. linje (Siv)".
# A verb of speech or contact right after a lone surname: "Hansen sa at …", "Ifølge notatet
# har Kristiansen ringt", "Nguyen skreiv". Bokmål, nynorsk and English forms.
SURNAME_VERB = re.compile(
    r"[ \t]+(?:(?:har|hadde|har ikke|har ikkje|vil|skal|has|had)[ \t]+)?"
    r"(?:sa|sier|seier|sagt|skrev|skriver|skreiv|skrevet|skrive|ringte|ringer|ringde|ringt|"
    r"svarte|svarer|svara|svart|spurte|spør|spurde|spurt|mente|mener|meiner|meinte|"
    r"fortalte|forteller|fortel|fortalde|fortalt|opplyste|opplyser|opplyst|bekreftet|"
    r"bekrefter|bekrefta|stadfesta|meldte|melder|meldt|klaget|klager|klaga|sendte|sender|"
    r"sende|sendt|ba|ber|bad|bedt|ønsker|ønskte|ønsket|vil ha|said|says|wrote|writes|"
    r"called|calls|asked|asks|replied|replies|confirmed|confirms|written)(?![^\W\d_])"
)
# The verbs of speech alone, after an everyday-word first name: "Mark said", "Liv skreiv".
SPEECH_VERB = re.compile(
    r"[ \t]+(?:sa|sier|seier|skrev|skriver|skreiv|ringte|ringer|ringde|svarte|svarer|svara|"
    r"spurte|spør|spurde|mente|mener|meiner|fortalte|forteller|fortalde|said|says|wrote|"
    r"called|asked|replied)(?![^\W\d_])"
)
# What follows a sentence-opening name as its verb ("Rune skrev", "Helge har ringt"), in
# the common forms, by ending or as an irregular verb, or ends its line or addresses
# ("Helge" under a sign-off, "Tone: …", "Rune, kan du …"): without one, an opening word that
# is a lowercase word too is that word ("Endre passord", "Tone i mailen", "Line 4 feilet").
VERB_AFTER = re.compile(
    r"[ \t]+(?:(?:[^\W\d_]+(?:te|et|de|dde|ar|er|ir)|er|var|vart|har|hadde|vil|ville|skal|"
    r"skulle|kan|kunne|må|måtte|sa|kom|fikk|ga|gav|tok|gikk|ble|blir|skrev|skreiv|dro|drog|"
    r"fant|fann|så|sto|stod|satt|lå|ba|bad|traff|hjalp|is|was|has|had|will|would|can|could|"
    r"said|wrote|called|asked)(?![^\W\d_])|og [A-ZÆØÅ])|[ \t]*(?:$|\n|[,!:])"
)
# Where a lowercase name stands as a word of prose, not inside a handle, path or address.
LOWER_BEFORE = " \t\n(\"'«"
LOWER_AFTER = re.compile(r"$|[ \t\n)\"'»]|[,!?:;]|\.(?![^\W\d_])")
PAREN = re.compile(r"\((?=[^\W\d_][^()\n]{0,40}\))")
# A name right before an e-mail address in angle brackets: 'Ola Nordmann <ola@x.no>'.
ANGLE = re.compile(r"[ \t]*\"?[ \t]*<[^\s<>@]+@[^\s<>]+>")
# A table's header with a name column: "Navn;Telefon;E-post", "Fullt navn | Mobil".
_TABLE_HEADER = re.compile(
    r"^(?P<before>[^\n]*?)(?:fullt navn|navn|name|full name|kundenavn|kontaktperson|kunde)"
    r"[ \t]*(?P<sep>[;|\t,])[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Structure: a value's field says it is a name. A `key: value` line, a JSON key, a log's
# key=value pair, an XML element, a vCard's N and FN properties (see name_field for the keys).
KEY_LINE = re.compile(
    r"^[ \t>*•·-]*(?P<key>[^\W\d_][\w .'/-]{0,30}?)[ \t]*(?::|=)[ \t]*\"?(?=[^\W\d_])",
    re.MULTILINE,
)
JSON_KEY = re.compile(r"\"(?P<key>[^\"\n]{1,40})\"[ \t]*:[ \t]*\"(?=[^\W\d_])")
# An XML element that holds a value: "<lastName>Sørli</lastName>", "<navn type="full">…".
XML_KEY = re.compile(r"<(?P<key>[A-Za-z_][\w.:-]{0,40})(?:[ \t][^<>\n]{0,200})?>(?=[^\W\d_])")
# (The edge "(?<![\w.\"-])" checked after the key's first letter: re then skips a word's
# inner letters at once instead of trying each as a key's start.)
KV = re.compile(r"(?P<key>[A-Za-z_](?<![\w.\"-][A-Za-z_])[\w.-]{0,40})=[\"']?(?=[^\W\d_])")
_VCARD = re.compile(r"^(?P<prop>FN|N)(?:;[^:\n]*)?:(?P<value>[^\n]*)", re.MULTILINE)
# Month and weekday abbreviations next to a number are dates ("Dec  1 21:33:01", "Sun, 8
# Mar 2026", "Tor 14.11"), never names.
DATE_WORDS = _words(
    """jan feb mar apr may jun jul aug sep sept oct nov dec mai okt des mon tue tues wed thu
    thur thurs fri sat sun man tir ons tor fre lør søn"""
)
DATE_NEIGHBOUR = re.compile(
    r"[ \t]*(?:[,.][ \t]*)?\d|[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b",
    re.IGNORECASE,
)
# A day or a date before the word ("26 Jan", "26/Jan"), not a chat line's time ("11:43 Tor:").
DATE_BEFORE = re.compile(r"(?:(?<!:\d)\d[ \t]*\.?|[/-])[ \t]*\Z")  # \Z: not before a line end
# Product tokens: "Safari/537.36", "KundeApp/4.1", and the words of a user agent.
# Tried only where a run of letters starts (a letter after a letter cannot start a match
# that the letter before it does not), possessive (no "/" inside the run): linear, with the
# matches of the plain form r"[^\W\d_][\w.-]*/\d[\w.]*" (test_fast_scan).
PRODUCT = re.compile(r"(?<![^\W\d_])[^\W\d_][\w.-]*+/\d[\w.]*")
USER_AGENT = re.compile(
    r"Mozilla/\d[^\"\n]*|\((?:Windows|Macintosh|Linux|X11|iPhone|iPad|Android)[^)\n]*\)"
)
# English words that open a sentence after a capitalised word that is also a name
# ("Even so, …", "May I …", "Will you …"): that word is no name there.
ENGLISH_NEXT = _words(
    """so if though when more less after before now then with without the a an in as at for
    better worse further still yet though today tomorrow i we you they he she it this that
    there here my our your his her its to be not more most"""
)
ENGLISH_OPENERS = _words("""even may will mark bill grant rob dawn hope faith""")
# Car and phone makes: the capitalised word after one is its model ("Renault Zoe", "Kia
# Ceed", "Toyota Corolla"), never a name. Makes that are names too (Mercedes, Ford) are
# not here.
MAKES = _words(
    """tesla volvo toyota volkswagen vw audi bmw nissan skoda škoda peugeot kia hyundai
    polestar renault opel mazda subaru mitsubishi citroën citroen honda porsche lexus
    byd xpeng fiat dacia cupra nio zeekr maxus iveco scania yamaha kawasaki ducati ktm
    piaggio vespa aprilia samsung huawei xiaomi oneplus nokia motorola sony"""
)
# After a run: another name joined by a comma or "og" ("Hei Oleksandr og Mathias,").
JOIN = re.compile(r",[ \t]*|[ \t]+(?:og|and|&)[ \t]+|[ \t]*&[ \t]*|[ \t]*/[ \t]*")
# What may follow a name that fills its slot: end of line, punctuation, a bracket, a dash.
# The end of a whole field or cell value: a line end, a delimiter or a closing quote.
CELL_END = re.compile(r"[ \t]*(?:$|[\n;|\t\"<])")
FILL_END = re.compile(r"[ \t]*(?:$|[\n,;|/(<\[\"”»]|[-–—][ \t]|\t)")
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
# What may follow a greeted or related single unknown word: punctuation or end of line.
VOCATIVE_END = re.compile(
    r"[ \t]*(?:$|\n|[,.!?:;)”\"»" + _EMOJI + r"]|[ \t]+(?:og|her|i|på|om|fra|sin|sitt|sine)\b|"
    r"[ \t]+\d)"
)
# "her" / punctuation / line end after a lowercase everyday-word name ("det er liv her").
LOWER_END = re.compile(r"[ \t]*(?:$|\n|[,.!?:;)" + _EMOJI + r"]|(?:her|som|forresten|btw)\b)")
LINE_END = re.compile(r"[ \t]*(?:\n|$)")
# The start of a chat message, up to its first word: "[12:01] kari: ", "kari: ja, ".
MESSAGE_START = re.compile(
    r"[ \t>]*(?:\[[^\]\n]{1,25}\][ \t]*)?(?:[^\W\d_][\w-]*[ \t]*:[ \t]*)?"
    r"(?:(?:ja|nei|ok|okei|jo|hei|takk)[ \t]*,?[ \t]*)?"
)
REST_BLANK = re.compile(r"\s*\Z")
REVERSED_END = re.compile(r"[ \t]*(?:$|\n|[;|\t(\"<\[])")
HER = re.compile(r"[ \t]+(?:her|fra)\b")
# "Sol her, …", "Dag her." at a message's start: a caller or writer who says who speaks.
HER_INTRO = re.compile(r"[ \t]+her[ \t]*[,.!:–-]")
HOUSE_NUMBER = re.compile(r"[ \t]+\d{1,4}[A-Za-z]?\b(?![.:/-]\d)")
MESSAGE_WORDS = re.compile(r"(?<![\w@.])[^\W\d_]{2,}(?![\w@])")
# Endings of Norwegian nouns in the definite form ("Kundesenteret", "Familien"): an unknown
# word with one is not taken for a name where only the slot speaks for it.
NOUN_ENDINGS = tuple(
    _words(
        """sjon sjonen heten else elsen ingen nummer nummeret adresse tjeneste tjenesten
        avdeling avdelingen kontor kontoret avtale faktura løsning system senter
        senteret torget teamet gruppen linje linjen klubb klubben forening foreningen
        idrettslag idrettslaget kommune kommunen"""
    )
)
