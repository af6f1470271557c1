"""PHONE_NUMBER: Norwegian numbers (8 digits, +47 / 0047 / (+47), 2-2-2-2 and 3-2-3 groups)
and international numbers, validated with phonenumbers.

Almost every 8-digit number is a valid Norwegian number, so the written form carries the
evidence: a country prefix or phone-style grouping scores high, a bare 8-digit number only
reaches the threshold with a cue: a context word (tlf, mobil, ringt, direkte …), a label
("M: ", "T: "), its place in a signature or a contact line (after the name and e-mail),
or brackets right after a name ("Kari Hansen (91234567)").
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
import regex
from presidio_analyzer import Pattern, RecognizerResult

from .cues import DECIMALS, DOCUMENTS, NEXT_GROUP, NO_PREVIOUS_GROUP, Table, apply
from .no_pattern_recognizer import NoPatternRecognizer

_PREFIX = r"(?:\+47|0047|\(\+47\)|\+\s47)"
_GROUPED = r"(?:\d{2} \d{2} \d{2} \d{2}|\d{3} \d{2} \d{3}|\d{2}\.\d{2}\.\d{2}\.\d{2}|\d{4} \d{4})"
# Hyphens between the groups: "912-34-567", "22-33-44-55" (a phone's own shapes; no date
# or range has them). "9123-4567" is also an order or a licence key's shape: it needs a cue.
_HYPHENATED = r"(?:\d{3}-\d{2}-\d{3}|\d{2}-\d{2}-\d{2}-\d{2})"
# Not a piece of a longer number: nothing glued to it, no digit group before or after it on
# the same line (a card's last groups are no phone); a date or time after it is fine.
_EDGE_L = r"(?<![\w+./-])" + NO_PREVIOUS_GROUP
_EDGE_L_HYPHEN = r"(?<![\w+./-]|\d[ \u00a0])"
_EDGE_R = r"(?![\w/-]|" + DECIMALS + "|" + NEXT_GROUP + ")"

# Cues from the text around a bare number (score below the threshold), all on its line:
# a label at the start of a line or field ("M: ", "T: ", "Tlf.: ").
_LABEL = regex.compile(
    r"(?:^|[\s|(>])(?:[MTPDHWC]|Mob|Tlf|Tel|Ph|Cell|Mobil)\.?[ \t]*:[ \t]*$"
    # without the colon only first on its line (after quote marks): "> M 91234567"
    r"|^[ \t>]*(?:[MTPDHWC]|Mob|Tlf|Tel|Ph)\.?[ \t]+$",
    regex.MULTILINE,
)
# "Du kan nå meg på …", "ring oss på …".
_REACH_ME = regex.compile(
    r"(?i)\b(?:nå|når|treffe|treffer|ring|ringe|kontakt|kontakte|sms)[ \t]+"
    r"(?:meg|oss|deg|dere|ham|henne|han|hun|dem)[ \t]+(?:på|på tlf\.?|på nr\.?)[ \t:]*$"
)
# A contact line: "Kari Hansen, kari@example.no, 91234567".
_AFTER_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+[ \t]*[,;/|]?[ \t]*$")
# Brackets right after a capitalised name of two words or more: "kontakte Kari Hansen
# (91234567)"; one word may be a label ("Faktura (…)").
_AFTER_NAME = regex.compile(r"\p{Lu}[\p{Ll}'’-]+(?:[ -]\p{Lu}[\p{Ll}'’-]+)+[ \t]*\($")
# A signature: a sign-off, then a few lines (name, title, company), then the number alone
# on its line, or right after the name on the sign-off's line ("Hilsen Kari Hansen, 9…").
_SIGN_OFF = regex.compile(
    r"(?im)^[ \t>]*(?:(?:med |beste |vennlig |vennleg |varme )*(?:hilsen|helsing|hilsener)|"
    r"mvh|vh|regards|best regards|kind regards)(?![\w])|^[ \t>]*--[ \t]*$"
)
_ALONE_BEFORE = regex.compile(r"[ \t>]*")
_ALONE_AFTER = regex.compile(r"[ \t.,;]*(?:\n|$)")
_SIGNED = regex.compile(
    r"(?i:hilsen|helsing|mvh|vh|regards)\.?[ \t]+"
    r"\p{Lu}[\p{L}'’.-]*(?:[ \t]+\p{Lu}[\p{L}'’.-]*){0,3}[ \t]*,[ \t]*$"
)
_SIGNATURE_LINES = 4
_SIGNATURE_LINE = 200  # characters of a signature's line looked back over
_NOT_DIGIT = regex.compile(r"\D")


def _is_valid(text: str) -> bool:
    national = _norwegian(text, _NOT_DIGIT.sub("", text))
    if national is not None:
        return _norwegian_plan().fullmatch(national) is not None
    return _valid_number(text)


# Nkom assigns all of 4x and 9x to mobile; phonenumbers' metadata is a snapshot that lists
# only the ranges allocated when it was made. A number in these series that the metadata
# does not know yet counts with a strong cue (a phone word or label), at a lower score.
_NKOM_MOBILE = regex.compile(r"[49]\d{7}")


def nkom_only(text: str) -> bool:
    """A Norwegian mobile number of Nkom's 4x/9x series that the pinned metadata does not list."""
    national = _norwegian(text, _NOT_DIGIT.sub("", text))
    return (
        national is not None
        and _NKOM_MOBILE.fullmatch(national) is not None
        and _norwegian_plan().fullmatch(national) is None
    )


def _norwegian(text: str, digits: str) -> str | None:
    """The 8-digit national number of a Norwegian number as written, else None."""
    if text.startswith(("+47", "(+47)", "+ 47")) and len(digits) == 10:
        return digits[2:]
    if text.startswith("0047") and len(digits) == 12:
        return digits[4:]
    if text[0].isdigit() and len(digits) == 8:
        return digits
    return None


@lru_cache(maxsize=1)
def _norwegian_plan() -> regex.Pattern[str]:
    """Every valid number of country code 47 (Norway, and Svalbard's 79), from phonenumbers'
    own metadata: what its validation checks (a region's general pattern and one of its
    number types), as one regex. A full parse of every candidate was a tenth of the
    detector's time."""
    regions = []
    for region in phonenumbers.region_codes_for_country_code(47):
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        assert meta is not None and meta.general_desc is not None  # a region +47 serves
        kinds = (
            meta.fixed_line,
            meta.mobile,
            meta.toll_free,
            meta.premium_rate,
            meta.shared_cost,
            meta.personal_number,
            meta.voip,
            meta.pager,
            meta.uan,
            meta.voicemail,
        )
        any_kind = "|".join(
            f"(?:{d.national_number_pattern})"
            for d in kinds
            if d is not None and d.national_number_pattern and 8 in d.possible_length
        )
        general = meta.general_desc.national_number_pattern
        regions.append(f"(?=(?:{general})$)(?:{any_kind})")
    return regex.compile("|".join(f"(?:{r})" for r in regions))


@lru_cache(maxsize=65_536)
def _valid_number(text: str) -> bool:
    try:
        number = phonenumbers.parse(text.replace("(", "").replace(")", ""), "NO")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _in_signature(text: str, line_start: int, start: int, end: int) -> bool:
    before = text[line_start:start]
    if _ALONE_BEFORE.fullmatch(before) and _ALONE_AFTER.match(text, end):
        block_start = line_start
        for _ in range(_SIGNATURE_LINES):
            if block_start == 0:
                break
            lo = max(0, block_start - 1 - _SIGNATURE_LINE)
            block_start = text.rfind("\n", lo, block_start - 1) + 1 or lo
        return bool(_SIGN_OFF.search(text, block_start, line_start))
    return bool(_SIGNED.search(text, max(line_start, start - 80), start))


class NoPhoneRecognizer(NoPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern(
            "+47 number", _EDGE_L + _PREFIX + r"\s?(?:" + _GROUPED + r"|\d{8})" + _EDGE_R, 0.85
        ),
        Pattern("grouped number", _EDGE_L + _GROUPED + _EDGE_R, 0.55),
        Pattern(
            "+47 hyphenated",
            _EDGE_L_HYPHEN + _PREFIX + r"\s?(?:" + _HYPHENATED + r"|\d{4}-\d{4})" + _EDGE_R,
            0.85,
        ),
        Pattern("hyphenated number", _EDGE_L_HYPHEN + _HYPHENATED + _EDGE_R, 0.55),
        Pattern("4-4 hyphenated", _EDGE_L_HYPHEN + r"[2-9]\d{3}-\d{4}" + _EDGE_R, 0.3),
        Pattern("8 digits", _EDGE_L + r"[2-9]\d{7}" + _EDGE_R, 0.3),
        Pattern(
            "international",
            _EDGE_L
            # the groups stop before a time: "+46 70 123 45 67 20:15"
            + r"(?:\+|00)(?!47)[1-9]\d{0,2}[ -]?\(?\d{1,4}\)?(?:[ -]?\d{2,4}(?![:.]\d)){2,4}"
            + _EDGE_R,
            0.6,
        ),
    ]
    NEEDS = {
        "+47 number": "4",
        "+47 hyphenated": "-",
        "hyphenated number": "-",
        "4-4 hyphenated": "-",
        "grouped number": " .",
        "international": "+0",
    }
    CORES = {
        "+47 number": r"\+|\(\+|0047",
        "+47 hyphenated": r"\+|\(\+|0047",
        "8 digits": r"[2-9]\d{7}",
        "international": r"(?:\+|00)[1-9]",
    }
    SKIP_AHEAD = frozenset(["+47 number", "+47 hyphenated"])
    # What every match starts with: its digit groups (see _GROUPED, _HYPHENATED).
    SHAPES = {
        "grouped number": _GROUPED,
        "hyphenated number": _HYPHENATED,
        "4-4 hyphenated": r"\d{4}-\d{4}",
        "8 digits": r"\d{8}",
    }
    # What every match holds after its prefix: eight digits, or two of its groups
    # (any of _GROUPED's forms and "4-4" holds two two-digit groups with a separator);
    # an international number's last groups are two or more of [ -]?\d{2,4}.
    HOLDS = {
        "+47 number": r"\d{8}|\d\d[ .]\d\d",
        "+47 hyphenated": r"\d\d-\d\d",
        "international": r"\d{4}|\d\d[ -]\d\d",
    }
    # Whole lowercased words, so the inflected forms are listed.
    CONTEXT = [
        "telefon",
        "telefonen",
        "tlf",
        "telefonnummer",
        "telefonnummeret",
        "telefonnr",
        "mobil",
        "mobilen",
        "mobilnummer",
        "mobilnummeret",
        "mobilnr",
        "mobiltelefon",
        "mob",
        "ring",
        "ringe",
        "ringer",
        "ringt",
        "ringte",
        "ringes",
        "oppringt",
        "nummer",
        "nummeret",
        "nr",
        "sms",
        "kontakt",
        "kontakte",
        "kontaktes",
        "kontaktperson",
        "tel",
        "telefax",
        "faks",
        "direkte",
        "direktenr",
        "direktenummer",
        "sentralbord",
        "sentralbordet",
        "vakttelefon",
        "vakttelefonen",
        "vakt",
        "jobbtelefon",
        "privat",
        "phone",
        "mobile",
        "whatsapp",
        "msisdn",
        "cell",
        "call",
        "tlf.nr",
        "telefonnr.",
        "kontakttelefon",
        "mobiltlf",
        "nås",
        "treffes",
    ]
    # A number right after these is a document's, an account's or an organisation's.
    NOT_AFTER = DOCUMENTS.extended(
        stems=(
            "konto(?!r)",
            "kontonr",
            "orgnr",
            "organisasjons",
            "foretaks",
            # cards and badges that open doors, staff numbers
            "adgang",
            "nøkkelkort",
            "access",
            "badge",
            "ansattn",
            "employee",
            "lager",
        ),
        words=("org", "kto"),
        unless=CONTEXT,
    )

    # A number only Nkom's series vouch for, with a cue (see nkom_only).
    NKOM_SCORE = 0.52

    def validate_result(self, pattern_text: str) -> bool | None:
        # Valid keeps the written form's score: validation alone says little here.
        return None if _is_valid(pattern_text) or nkom_only(pattern_text) else False

    def refine(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        table = Table(text)
        unlisted = set()
        for r in results:
            if nkom_only(text[r.start : r.end]):
                unlisted.add(id(r))
                r.score = min(r.score, 0.3)  # whatever its form, it needs a cue
        results = apply(self.cues, text, results, labels=self.NOT_AFTER, table=table)
        for r in results:
            # In a table the column's header alone says what a cell is.
            if (
                r.score < 0.5
                and table.header(r.start, r.end) is None
                and self._placed_as_phone(text, r.start, r.end)
            ):
                r.score = 0.55
            if id(r) in unlisted and r.score >= 0.5:
                r.score = self.NKOM_SCORE
        return [r for r in results if id(r) not in unlisted or r.score >= 0.5]

    @staticmethod
    def _placed_as_phone(text: str, start: int, end: int) -> bool:
        lo = max(0, start - 120)  # bounded: the cues are on the number's line, close to it
        line_start = text.rfind("\n", lo, start) + 1 or lo
        before = text[line_start:start]
        return bool(
            _LABEL.search(before)
            or _REACH_ME.search(before)
            or _AFTER_EMAIL.search(before)
            or (text.startswith(")", end) and _AFTER_NAME.search(before))
            or _in_signature(text, line_start, start, end)
        )
