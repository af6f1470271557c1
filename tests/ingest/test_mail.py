from __future__ import annotations

from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from glemsel.sinks.message import build_message, html_to_text, parse_message


def _multipart(*parts) -> MIMEMultipart:
    msg = MIMEMultipart("alternative")
    for part in parts:
        msg.attach(part)
    return msg


def test_plain_preferred_over_html_alternative() -> None:
    msg = _multipart(
        MIMEText("Ring meg på 912 34 567", "plain", "utf-8"),
        MIMEText("<p>Ring meg p&aring; <b>912 34 567</b></p>", "html", "utf-8"),
    )
    msg["Subject"] = "Hei"
    assert parse_message(msg.as_bytes())["body"] == "Ring meg på 912 34 567"


def test_quoted_printable_latin1_and_encoded_words() -> None:
    part = MIMEText("Hilsen Jørgen Bjørnstad, Tromsø", "plain", "iso-8859-1")
    part.replace_header("Content-Transfer-Encoding", "quoted-printable")
    part.set_payload("Hilsen J=F8rgen Bj=F8rnstad, Troms=F8")
    part["From"] = "=?iso-8859-1?Q?J=F8rgen_Bj=F8rnstad?= <jorgen@example.no>"
    part["Subject"] = Header("Søknad om refusjon", "utf-8").encode()
    fields = parse_message(part.as_bytes())
    assert fields["body"] == "Hilsen Jørgen Bjørnstad, Tromsø"
    assert fields["from"] == "Jørgen Bjørnstad <jorgen@example.no>"
    assert fields["subject"] == "Søknad om refusjon"


def test_base64_utf8_body() -> None:
    msg = MIMEText("Fødselsnummer følger", "plain", "utf-8")  # base64 by default for utf-8
    assert "base64" in msg["Content-Transfer-Encoding"]
    assert parse_message(msg.as_bytes())["body"] == "Fødselsnummer følger"


def test_html_only_mail_becomes_text() -> None:
    html = (
        "<html><head><style>p{}</style></head><body><p>Hei Kari,</p>"
        "<script>x()</script><div>tlf&nbsp;912&nbsp;34&nbsp;567</div></body></html>"
    )
    assert (
        parse_message(MIMEText(html, "html", "utf-8").as_bytes())["body"]
        == "Hei Kari,\ntlf 912 34 567"
    )
    assert html_to_text("<p>a</p><p>b</p>") == "a\nb"


def test_attachments_are_skipped() -> None:
    msg = MIMEMultipart()
    msg.attach(MIMEText("Se vedlegg", "plain", "utf-8"))
    msg.attach(MIMEApplication(b"%PDF-1.4 binary", Name="cv.pdf"))
    msg.attach(MIMEText("notat", "plain", "utf-8"))
    msg.get_payload()[2].add_header("Content-Disposition", "attachment", filename="n.txt")
    assert parse_message(msg.as_bytes())["body"] == "Se vedlegg"


def test_unknown_charset_is_read_not_fatal() -> None:
    raw = b"Content-Type: text/plain; charset=x-unknown\r\nSubject: x\r\n\r\nHei p\xc3\xa5 deg"
    assert parse_message(raw)["body"] == "Hei på deg"


def test_build_and_parse_round_trip() -> None:
    fields = {
        "message_id": "<a@b>",
        "from": "Kari <kari@example.no>",
        "to": "x@y.no",
        "cc": "",
        "subject": "Æøå",
        "date": "Tue, 24 Nov 2026 10:00:00 +0000",
        "body": "Linje 1\nLinje 2 [SLETTET:PHONE_NUMBER]",
    }
    assert parse_message(build_message(fields)) == fields
