# mypy: disable-error-code="union-attr,arg-type,attr-defined"
# (typeshed types a part's payload as Message | str | bytes | list whatever the part is, and
# parts as Message, not the EmailMessage that policy.default makes: checks here go by MIME type.)
"""RFC 822 mail <-> record fields, with the standard library's `email` package.

MIME parts, transfer encodings (quoted-printable, base64), charsets and RFC 2047
encoded-words in headers are decoded; HTML parts become text so the detectors see what a
reader sees. Attachments are text-extracted (``attachments.py``): each one is listed in the
field ``attachments`` (name, type, whether it was scanned and why not) and its text is the field
``attachment:<filename>``. The Maildir and IMAP sinks read messages back through the same
function, so ingest and verification agree on what a message says.

``rewrite_message`` applies redacted fields to the original message and keeps its structure:
an attachment whose field changed is removed and leaves a text part
``[SLETTET: vedlegg <filename>]``; other attachments stay byte for byte.
"""

from __future__ import annotations

import email
import email.policy
import html
import time
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from typing import Any

from .attachments import (
    HTML_IN_PROCESS_BYTES,
    NOT_SCANNED,
    TEXT_TYPES,
    Extracted,
    bounded_html_to_text,
    extract,
    html_to_text,
)
from .spec import AttachmentLimits

__all__ = ["build_message", "html_to_text", "parse_message", "removed_note", "rewrite_message"]

HEADER_FIELDS = {
    "message_id": "Message-ID",
    "from": "From",
    "to": "To",
    "cc": "Cc",
    "subject": "Subject",
    "date": "Date",
}
ATTACHMENT_PREFIX = "attachment:"
# Marks the text part that replaces a removed attachment; its value is the (redacted) name.
REMOVED_HEADER = "X-Glemsel-Removed-Attachment"
DEFAULT_LIMITS = AttachmentLimits()


def removed_note(filename: str) -> str:
    return f"[SLETTET: vedlegg {filename}]"


@dataclass
class _Layout:
    """The parts of a message by role, in the order a reader meets them."""

    body: list[Message] = field(default_factory=list)  # text the reader sees as the mail
    alternatives: list[Message] = field(default_factory=list)  # the same text in another form
    attachments: list[Message] = field(default_factory=list)  # files, images, removal notes
    parents: dict[int, Message] = field(default_factory=dict)  # id(part) -> its multipart


def _is_attachment(part: Message) -> bool:
    return (
        part.get_content_disposition() == "attachment"
        or bool(part.get_filename())
        or part.get_content_type() not in TEXT_TYPES
        or part.get(REMOVED_HEADER) is not None
    )


def _layout(msg: Message) -> _Layout:
    out = _Layout()

    def visit(part: Message) -> None:
        if not part.is_multipart():
            (out.attachments if _is_attachment(part) else out.body).append(part)
            return
        children = part.get_payload()
        for child in children:
            out.parents[id(child)] = part
        if part.get_content_subtype() != "alternative":
            for child in children:
                visit(child)
            return
        # multipart/alternative carries the same text twice: prefer the plain rendering.
        readable = [c for c in children if c.is_multipart() or not _is_attachment(c)]
        chosen = next(
            (c for c in readable if c.get_content_type() == "text/plain"),
            readable[0] if readable else None,
        )
        for child in children:
            if child is chosen or child not in readable:
                visit(child)
            else:
                out.alternatives.append(child)

    visit(msg)
    return out


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: keep what can be read
        return payload.decode("utf-8", errors="replace")


def _body(layout: _Layout, limits: AttachmentLimits) -> str:
    texts = [
        _html_body(_text_of(p), limits) if p.get_content_type() == "text/html" else _text_of(p)
        for p in layout.body
    ]
    return "\n\n".join(texts).strip()


def _html_body(html: str, limits: AttachmentLimits) -> str:
    if len(html) <= HTML_IN_PROCESS_BYTES:
        return html_to_text(html)
    # A huge HTML body is read within the attachments' bounds; what cannot be read in time
    # is left unscanned rather than stalling the mail (and the stream behind it).
    return bounded_html_to_text(html, limits).text


def _names(parts: list[Message]) -> list[str]:
    """A name per attachment, unique within the message (field paths must not collide)."""
    names: list[str] = []
    for i, part in enumerate(parts, 1):
        try:
            removed = part.get(REMOVED_HEADER)
            given = removed if removed is not None else part.get_filename()
        except (ValueError, IndexError, LookupError):  # a malformed header parameter
            given = None
        name = " ".join(str(given or "").split())
        name = name or f"vedlegg-{i}"
        candidate, n = name, 1
        while candidate in names:
            n += 1
            candidate = f"{name} ({n})"
        names.append(candidate)
    return names


def _attachments(
    layout: _Layout, limits: AttachmentLimits
) -> tuple[list[dict[str, str]], dict[str, str]]:
    entries, texts = [], {}
    mail_deadline = time.monotonic() + limits.max_mail_seconds
    for name, part in zip(_names(layout.attachments), layout.attachments, strict=True):
        content_type = part.get_content_type()
        if part.get(REMOVED_HEADER) is not None:
            entries.append(
                {
                    "filename": name,
                    "content_type": content_type,
                    "format": "removed",
                    "scanned": NOT_SCANNED,
                    "note": "removed by erasure",
                }
            )
            continue
        left = mail_deadline - time.monotonic()
        if left <= 0:
            entries.append(
                {
                    "filename": name,
                    "content_type": content_type,
                    "format": "other",
                    "scanned": NOT_SCANNED,
                    "note": f"mail time limit ({limits.max_mail_seconds:g} s)",
                }
            )
            continue
        try:
            data = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or ""
            # Each attachment gets its own bound, or what is left of the mail's if that is less.
            bound = limits.model_copy(update={"max_seconds": min(limits.max_seconds, left)})
            kind, result = extract(content_type, name, data, bound, charset)
        except Exception as exc:  # one bad part must not cost the whole mail its scan
            kind, result = (
                None,
                Extracted("", NOT_SCANNED, f"unreadable part ({type(exc).__name__})"),
            )
        entries.append(
            {
                "filename": name,
                "content_type": content_type,
                "format": kind or "other",
                "scanned": result.scanned,
                "note": result.note,
            }
        )
        if result.text.strip():
            texts[ATTACHMENT_PREFIX + name] = result.text
    return entries, texts


def _headers(msg: Message) -> dict[str, str]:
    fields = {}
    for name, header in HEADER_FIELDS.items():
        try:
            value = msg.get(header)
        except (ValueError, IndexError):  # a malformed header: keep its raw text
            value = msg.get_all(header, failobj=[""])[0] if msg.get_all(header) else ""
        if getattr(value, "defects", ()) and (raw := _raw_header(msg, header)):
            # An address header the parser could not make sense of (one Glemsel redacted,
            # say: "[SLETTET:PERSON] <[SLETTET:EMAIL_ADDRESS]>") reads as written, not as "<>".
            value = raw
        fields[name] = " ".join(str(value or "").split())
    return fields


def _raw_header(msg: Message, header: str) -> str:
    for key, raw in msg.raw_items():
        if key.lower() == header.lower():
            try:
                return str(make_header(decode_header(raw)))
            except (ValueError, LookupError, UnicodeError):
                return str(raw)
    return ""


def parse_message(raw: bytes, limits: AttachmentLimits | None = None) -> dict[str, Any]:
    """Fields of a message: message_id, from, to, cc, subject, date (empty when absent), body;
    with attachments also ``attachments`` (one entry each) and ``attachment:<filename>``."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    layout = _layout(msg)
    fields: dict[str, Any] = _headers(msg)
    limits = limits or DEFAULT_LIMITS
    fields["body"] = _body(layout, limits)
    if layout.attachments:
        entries, texts = _attachments(layout, limits)
        fields["attachments"] = entries
        fields.update(texts)
    return fields


def build_message(fields: dict[str, str]) -> bytes:
    """A UTF-8 text/plain message from fields; ``parse_message`` gives the fields back."""
    msg = EmailMessage(policy=email.policy.default)
    for name, header in HEADER_FIELDS.items():
        if fields.get(name):
            msg[header] = fields[name]
    msg.set_content(fields.get("body", ""), charset="utf-8")
    return msg.as_bytes()


def rewrite_message(raw: bytes, changes: dict[str, Any]) -> bytes:
    """The message with ``changes`` (fields as ``parse_message`` names them) applied.

    Headers and the body text are replaced; an attachment whose text or entry changed is
    removed and leaves a note naming it (by its redacted name where the name was redacted).
    The Message-ID stays: it is how the record is found again."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    layout = _layout(msg)
    for name, header in HEADER_FIELDS.items():
        if name in changes and name != "message_id":
            del msg[header]
            if changes[name]:
                msg[header] = str(changes[name])
    if "body" in changes and layout.body:
        _replace_body(layout, str(changes["body"] or ""))

    names = _names(layout.attachments)
    new_names = list(names)
    entries = changes.get("attachments")
    removed: set[int] = set()
    if isinstance(entries, list):
        for i, entry in enumerate(entries[: len(names)]):
            new = entry.get("filename") if isinstance(entry, dict) else None
            if isinstance(new, str) and new != names[i]:
                new_names[i] = new
                removed.add(i)
    for key in changes:
        if key.startswith(ATTACHMENT_PREFIX) and key[len(ATTACHMENT_PREFIX) :] in names:
            removed.add(names.index(key[len(ATTACHMENT_PREFIX) :]))
    for i in sorted(removed):
        part = layout.attachments[i]
        name = new_names[i]
        for header in ("Content-Disposition", "Content-ID", REMOVED_HEADER):
            del part[header]
        part.set_content(removed_note(name), charset="utf-8", disposition="inline")
        part[REMOVED_HEADER] = name
    return msg.as_bytes()


def _replace_body(layout: _Layout, body: str) -> None:
    first, *rest = layout.body
    first.set_content(body, charset="utf-8")
    for part in rest:  # their text is part of the new body: the first part carries it all
        _remove(layout, part)
    for part in layout.alternatives:
        if part.is_multipart():
            _remove(layout, part)
        elif part.get_content_type() == "text/html":
            part.set_content(f"<pre>{html.escape(body)}</pre>", subtype="html", charset="utf-8")
        else:
            part.set_content(body, charset="utf-8")


def _remove(layout: _Layout, part: Message) -> None:
    parent = layout.parents.get(id(part))
    if parent is not None:
        parent.get_payload().remove(part)
