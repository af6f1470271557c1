"""Attachment text extraction and the rewrite that removes a redacted attachment."""

from __future__ import annotations

import email
import email.policy

import pytest
from glemsel.sinks.attachments import extract
from glemsel.sinks.message import parse_message, rewrite_message
from glemsel.sinks.spec import AttachmentLimits

from bench.documents import (
    DOCX_TYPE,
    ODT_TYPE,
    PDF_TYPE,
    XLSX_TYPE,
    mail_with,
    make_docx,
    make_odt,
    make_pdf,
    make_xlsx,
)

FNR = "15076500565"


@pytest.fixture(params=[True, False], ids=["worker", "in-process"])
def limits(request) -> AttachmentLimits:
    return AttachmentLimits(isolate=request.param)


@pytest.mark.parametrize(
    ("content_type", "make"),
    [
        (PDF_TYPE, lambda: make_pdf([["CV"], [f"Fødselsnummer {FNR}"]])),
        (DOCX_TYPE, lambda: make_docx(["Attest"], [["fnr", FNR]])),
        (ODT_TYPE, lambda: make_odt(["Vitnemål", f"fnr {FNR}"])),
        (XLSX_TYPE, lambda: make_xlsx([["fnr"], [int(FNR)]])),
        ("text/plain", lambda: f"Fødselsnummer {FNR}".encode("cp1252")),
        ("text/html", lambda: f"<p>fnr <b>{FNR}</b></p><script>x</script>".encode()),
    ],
    ids=["pdf", "docx", "odt", "xlsx", "text", "html"],
)
def test_each_format_gives_its_text(content_type, make, limits) -> None:
    kind, result = extract(content_type, "vedlegg", make(), limits)
    assert result.scanned == "yes", result.note
    assert FNR in result.text and "script" not in result.text
    assert kind in {"pdf", "docx", "odt", "xlsx", "text", "html"}


def test_a_docx_table_row_is_one_line(limits) -> None:
    docx = make_docx(["Attest"], [["Navn", "Kari Nordmann"], ["Fødselsnummer", FNR]])
    text = extract(DOCX_TYPE, "attest.docx", docx, limits)[1].text
    assert text.splitlines() == ["Attest", "Navn\tKari Nordmann", f"Fødselsnummer\t{FNR}"]


def test_documents_labelled_octet_stream_are_recognised_by_their_bytes(limits) -> None:
    kind, result = extract("application/octet-stream", "x.bin", make_docx([FNR]), limits)
    assert kind == "docx" and FNR in result.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (make_pdf([[FNR]], password="hemmelig"), "encrypted PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "unreadable PDF"),
        (b"PK\x03\x04 not a zip at all", "unreadable DOCX"),
    ],
    ids=["encrypted", "broken-pdf", "broken-docx"],
)
def test_unreadable_documents_are_reported_with_a_reason(data, reason, limits) -> None:
    content_type = DOCX_TYPE if data.startswith(b"PK") else PDF_TYPE
    _, result = extract(content_type, "x", data, limits)
    assert result.scanned == "no" and result.text == ""
    assert result.note.startswith(reason)
    assert FNR not in result.note


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_with_an_empty_user_password_is_read(algorithm, limits) -> None:
    pdf = make_pdf([[FNR]], password="", algorithm=algorithm)
    _, result = extract(PDF_TYPE, "x.pdf", pdf, limits)
    assert result.scanned == "yes" and FNR in result.text


def test_size_zip_and_text_limits() -> None:
    small = AttachmentLimits(max_bytes=100)
    assert "larger than 100 bytes" in extract(PDF_TYPE, "x", make_pdf([["x"]]), small)[1].note
    bomb = AttachmentLimits(max_unpacked_bytes=1000)
    result = extract(DOCX_TYPE, "x", make_docx(["x" * 5000]), bomb)[1]
    assert result.scanned == "no" and "unpacks to more than 1000 bytes" in result.note
    short = AttachmentLimits(max_chars=10)
    result = extract("text/plain", "x", b"0123456789abcdef", short)[1]
    assert result.scanned == "partly" and result.text == "0123456789"
    pages = AttachmentLimits(max_pages=1)
    result = extract(PDF_TYPE, "x", make_pdf([["one"], [FNR]]), pages)[1]
    assert result.scanned == "partly" and FNR not in result.text and "page limit" in result.note


def test_the_time_limit_kills_the_worker_and_the_next_attachment_is_read() -> None:
    pdf = make_pdf([[f"side {i} {FNR}"] for i in range(200)])
    result = extract(PDF_TYPE, "x", pdf, AttachmentLimits(max_seconds=0.001))[1]
    assert result.scanned in {"no", "partly"} and "time limit" in result.note
    result = extract(PDF_TYPE, "x", pdf, AttachmentLimits())[1]
    assert result.scanned == "yes" and FNR in result.text


def test_the_attachments_of_one_mail_share_one_time_bound() -> None:
    """Many slow files in one mail: the mail's bound holds, not only each file's."""
    pdf = make_pdf([[f"side {i} {FNR}"] for i in range(200)])
    raw = mail_with("<many@x>", "Vedlegg", [(f"{i}.pdf", PDF_TYPE, pdf) for i in range(5)])
    entries = parse_message(raw, AttachmentLimits(max_mail_seconds=0.001))["attachments"]
    assert "time limit" in entries[0]["note"]
    assert all(e["scanned"] == "no" and "mail time limit" in e["note"] for e in entries[1:])
    assert all(e["scanned"] == "yes" for e in parse_message(raw)["attachments"])


def test_images_are_noted_as_not_scanned() -> None:
    raw = mail_with("<i@x>", "Bilde", [("foto.jpg", "image/jpeg", b"\xff\xd8\xff\xe0 jpeg")])
    entry = parse_message(raw)["attachments"][0]
    assert entry["scanned"] == "no" and "image" in entry["note"]


def _mail() -> bytes:
    return mail_with(
        "<cv@x>",
        "Hei, se vedlagt CV og attest.",
        [
            ("cv.pdf", PDF_TYPE, make_pdf([[f"Kari Nordmann {FNR}"]])),
            ("attest.docx", DOCX_TYPE, make_docx(["Kari var flink."])),
            ("cv.pdf", PDF_TYPE, make_pdf([["Et annet dokument"]])),
        ],
    )


def test_fields_of_a_mail_with_attachments() -> None:
    fields = parse_message(_mail())
    assert [a["filename"] for a in fields["attachments"]] == ["cv.pdf", "attest.docx", "cv.pdf (2)"]
    assert FNR in fields["attachment:cv.pdf"] and "annet" in fields["attachment:cv.pdf (2)"]
    assert fields["body"] == "Hei, se vedlagt CV og attest."


def test_rewrite_removes_the_redacted_attachment_and_keeps_the_rest() -> None:
    raw = _mail()
    new = rewrite_message(raw, {"attachment:cv.pdf": "[SLETTET:NO_FODSELSNUMMER]"})
    fields = parse_message(new)
    assert "attachment:cv.pdf" not in fields and FNR.encode() not in new
    assert fields["attachments"][0] == {
        "filename": "cv.pdf",
        "content_type": "text/plain",
        "format": "removed",
        "scanned": "no",
        "note": "removed by erasure",
    }
    assert fields["body"] == "Hei, se vedlagt CV og attest."
    assert "flink" in fields["attachment:attest.docx"]
    assert "annet" in fields["attachment:cv.pdf (2)"]
    msg = email.message_from_bytes(new, policy=email.policy.default)
    notes = [p.get_content() for p in msg.walk() if p.get("X-Glemsel-Removed-Attachment")]
    assert [n.strip() for n in notes] == ["[SLETTET: vedlegg cv.pdf]"]
    # the other attachments are the same bytes as before
    old = email.message_from_bytes(raw, policy=email.policy.default)
    before = [p.get_payload(decode=True) for p in old.iter_attachments()][1:]
    after = [p.get_payload(decode=True) for p in msg.iter_attachments()][1:]
    assert before == after


def test_a_redacted_filename_names_the_note() -> None:
    raw = mail_with(
        "<n@x>", "cv", [("CV Kari Nordmann.pdf", PDF_TYPE, make_pdf([["cv"]]))], sender="a@b.no"
    )
    fields = parse_message(raw)
    entries = [dict(fields["attachments"][0], filename="CV [SLETTET:PERSON].pdf")]
    new = rewrite_message(raw, {"attachments": entries})
    assert b"Nordmann" not in new
    assert parse_message(new)["attachments"][0]["filename"] == "CV [SLETTET:PERSON].pdf"


def test_rewrite_of_the_body_replaces_every_rendering() -> None:
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    msg = MIMEMultipart("alternative")
    msg.attach(MIMEText(f"fnr {FNR}", "plain", "utf-8"))
    msg.attach(MIMEText(f"<p>fnr {FNR}</p>", "html", "utf-8"))
    msg["Message-ID"] = "<alt@x>"
    new = rewrite_message(msg.as_bytes(), {"body": "fnr [SLETTET:NO_FODSELSNUMMER]"})
    assert FNR.encode() not in new
    assert parse_message(new)["body"] == "fnr [SLETTET:NO_FODSELSNUMMER]"
    assert parse_message(new)["message_id"] == "<alt@x>"


def test_a_redacted_address_header_reads_back_as_written() -> None:
    raw = mail_with("<h@x>", "hei", [], sender="Kari Nordmann <kari@example.no>")
    new = rewrite_message(raw, {"from": "[SLETTET:PERSON] <[SLETTET:EMAIL_ADDRESS]>"})
    assert parse_message(new)["from"] == "[SLETTET:PERSON] <[SLETTET:EMAIL_ADDRESS]>"
    assert parse_message(raw)["from"] == "Kari Nordmann <kari@example.no>"


def test_large_html_is_read_in_the_worker_under_the_bound() -> None:
    html = f"<p>fnr <b>{FNR}</b></p>" * 20_000  # 600 KB: past the in-process size
    result = extract("text/html", "side.html", html.encode(), AttachmentLimits())[1]
    assert result.scanned == "yes" and result.text.count(FNR) == 20_000
    hostile = b"<" * 3_000_000
    result = extract("text/html", "x.html", hostile, AttachmentLimits(max_seconds=0.5))[1]
    assert result.scanned == "no" and "time limit" in result.note
