"""RFC 822 mail <-> record fields, with the standard library's `email` package.

MIME parts, transfer encodings (quoted-printable, base64), charsets and RFC 2047
encoded-words in headers are decoded; HTML parts become text so the detectors see what a
reader sees. The Maildir sink reads messages back through the same function, so ingest and
verification agree on what a message says.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage, Message
from html.parser import HTMLParser

HEADER_FIELDS = {
    "message_id": "Message-ID",
    "from": "From",
    "to": "To",
    "cc": "Cc",
    "subject": "Subject",
    "date": "Date",
}


class _HtmlText(HTMLParser):
    """Visible text of an HTML part: no script or style, block elements on their own line."""

    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "blockquote",
        "pre",
        "hr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"}:
            self._skip = max(self._skip - 1, 0)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name: keep what can be read
        return payload.decode("utf-8", errors="replace")


def _body(msg: Message) -> str:
    plain: list[str] = []
    html: list[str] = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/plain":
            plain.append(_text_of(part))
        elif part.get_content_type() == "text/html":
            html.append(html_to_text(_text_of(part)))
    # multipart/alternative carries the same text twice: prefer the plain rendering.
    return "\n\n".join(plain or html).strip()


def parse_message(raw: bytes) -> dict[str, str]:
    """Fields of a message: message_id, from, to, cc, subject, date (empty when absent), body."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    fields = {}
    for field, header in HEADER_FIELDS.items():
        try:
            value = msg.get(header)
        except (ValueError, IndexError):  # a malformed header: keep its raw text
            value = msg.get_all(header, failobj=[""])[0] if msg.get_all(header) else ""
        fields[field] = " ".join(str(value or "").split())
    fields["body"] = _body(msg)
    return fields


def build_message(fields: dict[str, str]) -> bytes:
    """A UTF-8 text/plain message from fields; ``parse_message`` gives the fields back."""
    msg = EmailMessage(policy=email.policy.default)
    for field, header in HEADER_FIELDS.items():
        if fields.get(field):
            msg[header] = fields[field]
    msg.set_content(fields.get("body", ""), charset="utf-8")
    return msg.as_bytes()
