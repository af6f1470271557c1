"""Raw identifier -> keyed hash and masked preview; the only place that sees both.

The index, audit trail and logs hold what this module returns, never its input. Hashes are
HMAC-SHA256 over a normalised form, so "+47 912 34 567", "0047 91234567" and "91234567" are
one identifier, and nobody without the configured secret can test a guess against the index.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glemsel.pipeline.core.events import SubjectIdentifiers

# Entity types that name the same kind of identifier share a hash namespace.
_KIND = {
    "NO_FODSELSNUMMER": "fnr",
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "PERSON": "name",
    "NO_ADDRESS": "address",
    "NO_BANK_ACCOUNT": "account",
    "IBAN_CODE": "iban",
    "NO_ORG_NUMBER": "orgnr",
    "IP_ADDRESS": "ip",
    "NO_LICENSE_PLATE": "plate",
    "CREDIT_CARD": "card",
}

ENTITY_TYPES = frozenset(_KIND)

_DIGITS = re.compile(r"\D")
_SPACE = re.compile(r"\s+")
_ASCII_DIGITS = re.compile(r"[^0-9]")


def ascii_digits(value: str) -> str:
    """NFKC (fullwidth ０-９ and the like), then every other decimal digit (Arabic-Indic,
    Devanagari, …) as its ASCII digit: a fødselsnummer is the same number in any script."""
    value = unicodedata.normalize("NFKC", value)
    if value.isascii():
        return value
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def normalise(entity_type: str, value: str) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    match _KIND.get(entity_type):
        case "fnr" | "account" | "orgnr" | "card":
            return _ASCII_DIGITS.sub("", ascii_digits(value))
        case "phone":
            return _normalise_phone(ascii_digits(value))
        case "email":
            email = unicodedata.normalize("NFKC", value).casefold()
            # URL-encoded in a link or a log's query string: "kari%40firma.no" is kari@firma.no
            return email.replace("%40", "@", 1) if "@" not in email else email
        case "iban" | "plate":
            return _SPACE.sub("", ascii_digits(value)).upper()
        case "name" | "address":
            return _SPACE.sub(" ", value.replace(",", " ")).casefold().strip()
        case _:
            return value.casefold()


# A Norwegian number written plainly ("+47 912 34 567", "91234567"): phonenumbers parses it
# to +47 and its eight digits, so that is its normal form without the parse (a fifth of an
# identity record's time). Other forms (0047, brackets, 47 without +, a leading 0 or 1,
# other countries) are parsed. tests/unit/test_phone_normal_form.py holds the two together.
_PLAIN_NO_PHONE = re.compile(r"(?:\+47 ?)?[2-9](?: ?[0-9]){7}")


def _normalise_phone(value: str) -> str:
    if _PLAIN_NO_PHONE.fullmatch(value):
        return "+47" + value.replace(" ", "")[-8:]
    # Imported here: its metadata is a tenth of a read-only command's start-up, and only
    # phone numbers need it (the detectors have it loaded already).
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException:
        return _DIGITS.sub("", value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask(entity_type: str, value: str) -> str:
    """A preview that lets a person recognise the finding without revealing it."""
    kind = _KIND.get(entity_type)
    if kind == "email" and ("@" in value or "%40" in value):
        local, _, domain = value.replace("%40", "@", 1).partition("@")
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        return f"{local[:1]}***@{domain[:1]}***.{tld}"
    if kind == "name":
        return " ".join(f"{part[:1]}{'*' * (len(part) - 1)}" for part in value.split())
    if kind in {"fnr", "account", "orgnr", "card", "iban", "phone"}:
        digits = _DIGITS.sub("", value)
        return f"{'*' * max(len(digits) - 2, 0)}{digits[-2:]}"
    if kind == "address":
        return f"{value[:1]}*** (address)"
    return f"{value[:1]}{'*' * min(len(value) - 1, 8)}"


class Hasher:
    """Keyed hashes of normalised identifiers (128-bit truncated HMAC-SHA256, hex)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("HMAC key must be at least 16 bytes")
        self._key = key
        # Keyed once and copied per hash: the same MAC as hmac.digest(key, message), without
        # its key setup on every call (an identity record hashes four values, and the
        # known-name pass every 2-4 word candidate of a text).
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    def __call__(self, entity_type: str, value: str) -> str:
        kind = _KIND.get(entity_type, entity_type.lower())
        message = f"{kind}:{normalise(entity_type, value)}".encode("utf-8", "surrogatepass")
        mac = self._mac.copy()
        mac.update(message)
        return mac.hexdigest()[:32]

    def pseudonym(self, entity_type: str, value: str) -> str:
        """The `hmac` masking strategy's token: stable per identifier, 64 bits, and in its own
        domain, so a pseudonym left in a source system is not an index hash."""
        kind = _KIND.get(entity_type, entity_type.lower())
        message = f"pseudonym:{kind}:{normalise(entity_type, value)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:16]

    def opaque(self, text: str | bytes) -> str:
        """Hash of free text (or an event's bytes) that must be referable but not readable
        (e.g. who searched)."""
        data = text.encode() if isinstance(text, str) else text
        mac = self._mac.copy()  # the same MAC as hmac.new(key, b"opaque:" + data)
        mac.update(b"opaque:" + data)
        return mac.hexdigest()[:32]

    def subject(self, ids: SubjectIdentifiers) -> set[str]:
        hashes = {self("EMAIL_ADDRESS", e) for e in ids.emails}
        hashes |= {self("PHONE_NUMBER", p) for p in ids.phones}
        hashes |= {self("PERSON", n) for n in ids.names}
        if ids.fnr:
            hashes.add(self("NO_FODSELSNUMMER", ids.fnr))
        return hashes


# Identity-record fields are typed by name, not by detection, because a CRM's `phone` column
# is a phone number even when it is written oddly.
IDENTITY_FIELD_TYPES = {
    "fnr": "NO_FODSELSNUMMER",
    "fodselsnummer": "NO_FODSELSNUMMER",
    "personnummer": "NO_FODSELSNUMMER",
    "email": "EMAIL_ADDRESS",
    "epost": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "mobile": "PHONE_NUMBER",
    "telefon": "PHONE_NUMBER",
    "mobil": "PHONE_NUMBER",
    "name": "PERSON",
    "navn": "PERSON",
    "full_name": "PERSON",
}


def identity_field_type(field: str) -> str | None:
    key = field.lower()
    if key in IDENTITY_FIELD_TYPES:
        return IDENTITY_FIELD_TYPES[key]
    return next((t for f, t in IDENTITY_FIELD_TYPES.items() if key.endswith(f)), None)


_DIGIT_JOINS = re.compile(r"(?<=\d)[\s.\-()/]+(?=\d)")


def _readable(value: bytes) -> str:
    """A stored event as text to look in: JSON escapes undone, a dead letter's base64
    original decoded, digits written in groups joined ("150385 12345" -> "15038512345")."""
    text = value.decode("utf-8", errors="ignore")
    parts = [text]
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if doc is not None:
        parts.append(json.dumps(doc, ensure_ascii=False))
        for inner in (doc.get("original"), doc.get("rfc822")) if isinstance(doc, dict) else ():
            if isinstance(inner, str):
                with contextlib.suppress(binascii.Error, ValueError):
                    parts.append(_readable(base64.b64decode(inner, validate=True)))
    joined = "\n".join(parts)
    return unicodedata.normalize("NFKC", _DIGIT_JOINS.sub("", joined)).casefold()


class RawValues:
    """A subject's raw identifiers, held in memory while an erasure runs, to find Glemsel's
    own raw copies of them (bus log, dead letters) and remove those. Never stored."""

    def __init__(self) -> None:
        self._needles: set[str] = set()
        # (system, record id) of the locations the request acted on: Glemsel's copies of
        # their events are looked at by location, not by reading every stored event.
        self.locations: set[tuple[str, str]] = set()

    def add(self, entity_type: str, value: str) -> None:
        value = unicodedata.normalize("NFKC", value).strip()
        kind = _KIND.get(entity_type)
        if kind in {"fnr", "account", "orgnr", "card", "phone"}:
            digits = _DIGITS.sub("", value)
            if kind == "phone" and (e164 := _normalise_phone(value)).startswith("+47"):
                digits = e164[3:]  # the national number: +47, 0047 or nothing before it
            if len(digits) >= 8:
                self._needles.add(digits)
        elif len(value) >= 4:  # shorter words (a first name alone) would match too much
            self._needles.add(_SPACE.sub(" ", value).casefold())

    def add_subject(self, ids: SubjectIdentifiers) -> None:
        if ids.fnr:
            self.add("NO_FODSELSNUMMER", ids.fnr)
        for email in ids.emails:
            self.add("EMAIL_ADDRESS", email)
        for phone in ids.phones:
            self.add("PHONE_NUMBER", phone)
        for name in ids.names:
            self.add("PERSON", name)

    def __bool__(self) -> bool:
        return bool(self._needles)

    def found_in(self, value: bytes | None) -> bool:
        if not value or not self._needles:
            return False
        text = _readable(value)
        return any(n in text for n in self._needles)
