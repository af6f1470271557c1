"""Text of mail attachments: PDF (pypdf), DOCX (python-docx), ODT (odfpy), XLSX (openpyxl),
plain text and HTML, bounded in size and time per attachment.

Document parsers run untrusted input, and a crafted PDF can keep pypdf busy far longer than any
page count suggests. So PDF and office files are parsed in a worker process
(``python -m glemsel.sinks.attachments``) with an address-space limit, which is killed when an
attachment runs past ``max_seconds``: the bound holds in the worst case, not only on average.
Inside the worker the extractors also watch a softer deadline (80 % of the bound) between pages
and rows, so a slow but honest document gives the text read so far instead of nothing.

An attachment that cannot be read (encrypted, broken, too large, too slow, an image) is not an
error: it is reported with a reason that names no content, and the rest of the mail is scanned.
"""

from __future__ import annotations

import io
import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from .spec import AttachmentLimits

SCANNED, PARTLY, NOT_SCANNED = "yes", "partly", "no"
DOCUMENT_KINDS = {"pdf", "docx", "odt", "xlsx"}
TEXT_TYPES = {"text/plain", "text/html"}

_BY_EXTENSION = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".csv": "text",
    ".tsv": "text",
    ".md": "text",
    ".log": "text",
    ".json": "text",
    ".xml": "text",
    ".vcf": "text",
    ".ics": "text",
}
_BY_TYPE = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "application/json": "text",
    "application/xml": "text",
}


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    scanned: str  # SCANNED, PARTLY or NOT_SCANNED
    note: str = ""  # why not (fully) scanned, embedded images; never content


# --- HTML -------------------------------------------------------------------------------------


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


def html_to_text(html: str, deadline: float | None = None) -> str:
    """Visible text of HTML; fed in chunks, and cut short at ``deadline`` (monotonic) if given."""
    parser = _HtmlText()
    for start in range(0, len(html), _HTML_CHUNK):
        parser.feed(html[start : start + _HTML_CHUNK])
        if deadline is not None and time.monotonic() > deadline:
            raise _OutOfTime
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


_HTML_CHUNK = 64 * 1024
# Python's HTMLParser reads about 1 MB/s (and slower on hostile markup): larger HTML, an
# attachment or a mail's own HTML body, is parsed in the worker, under the time bound.
HTML_IN_PROCESS_BYTES = 256 * 1024


class _OutOfTime(Exception):
    pass


def bounded_html_to_text(html: str, limits: AttachmentLimits) -> Extracted:
    """Text of HTML within ``limits``: small HTML here, large HTML in the worker."""
    if limits.isolate and len(html) > HTML_IN_PROCESS_BYTES:
        return _WORKER.extract("html", html.encode("utf-8", errors="replace"), limits)
    return extract_document("html", html.encode("utf-8", errors="replace"), limits)


# --- which format ---------------------------------------------------------------------------


def kind_of(content_type: str, filename: str, data: bytes) -> str | None:
    """pdf, docx, odt, xlsx, html, text, image, or None (a format Glemsel does not read).

    The bytes decide first: mail clients often label documents application/octet-stream."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and zf.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.text"
                ):
                    return "odt"
        except (zipfile.BadZipFile, OSError, KeyError):
            pass  # labelled a document but broken: the declared type decides, the parser says why
    ext = PurePath(filename).suffix.lower()
    if content_type.startswith("image/"):
        return "image"
    return (
        _BY_TYPE.get(content_type)
        or _BY_EXTENSION.get(ext)
        or ("text" if content_type.startswith("text/") else None)
    )


# --- extractors (run inside the worker, or in-process when isolate is off) ---------------------


# Shares of max_seconds: the extractor stops itself between pages or rows at SOFT_SHARE, and
# the worker is killed at HARD_SHARE.
SOFT_SHARE, HARD_SHARE = 0.8, 0.95


class _Budget:
    """Characters and (soft) time left for one attachment."""

    def __init__(self, limits: AttachmentLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + SOFT_SHARE * limits.max_seconds
        self.parts: list[str] = []
        self.size = 0
        self.stopped = ""  # why extraction stopped early

    def add(self, text: str) -> bool:
        """Keep ``text``; False once a limit is reached (the caller stops)."""
        if self.stopped:
            return False
        if time.monotonic() > self.deadline:
            self.stopped = f"time limit ({self.limits.max_seconds:g} s)"
            return False
        room = self.limits.max_chars - self.size
        if len(text) > room:
            text = text[:room]
            self.stopped = f"text limit ({self.limits.max_chars} characters)"
        if text:
            self.parts.append(text)
            self.size += len(text) + 1
        return not self.stopped

    def result(self, images: int = 0, stopped: str = "") -> Extracted:
        stopped = self.stopped or stopped
        notes = [f"stopped at {stopped}"] if stopped else []
        if images:
            notes.append(f"{images} embedded image(s) not scanned")
        return Extracted("\n".join(self.parts), PARTLY if stopped else SCANNED, "; ".join(notes))


def _zip_guard(data: bytes, limits: AttachmentLimits) -> tuple[zipfile.ZipFile, int]:
    """An office file's zip, refused when it would unpack past the limit (a zip bomb)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    unpacked = sum(info.file_size for info in zf.infolist())
    if unpacked > limits.max_unpacked_bytes:
        raise _Refused(f"unpacks to more than {limits.max_unpacked_bytes} bytes")
    images = sum(
        1
        for name in zf.namelist()
        if name.startswith(("word/media/", "xl/media/", "Pictures/")) and not name.endswith("/")
    )
    return zf, images


class _Refused(Exception):
    """An attachment Glemsel will not read; the message is the reason, without content."""


def _pdf(data: bytes, budget: _Budget) -> Extracted:
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Many PDFs are encrypted with an empty user password (only printing or copying is
        # restricted): those open for reading like any other.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:
            opened = False
        if not opened:
            raise _Refused("encrypted PDF (needs a password)")
    images = 0
    pages = reader.pages
    for number, page in enumerate(pages):
        if number >= budget.limits.max_pages:
            return budget.result(images, f"page limit ({budget.limits.max_pages} pages)")
        try:
            xobjects = page.get("/Resources", {}).get("/XObject", {})
            if isinstance(xobjects, IndirectObject):
                xobjects = xobjects.get_object()
            images += sum(
                1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"
            )
        except Exception:  # counting images is a courtesy: never a reason to lose the text
            pass
        if not budget.add(page.extract_text() or ""):
            break
    return budget.result(images)


def _docx(data: bytes, budget: _Budget) -> Extracted:
    import docx
    from docx.opc.part import XmlPart
    from docx.oxml.ns import qn

    zf, images = _zip_guard(data, budget.limits)
    zf.close()
    document = docx.Document(io.BytesIO(data))
    # The body, then headers, footers, footnotes and comments: all of it is text a reader sees.
    # Every w:p is visited, so text in tables and text boxes is found too.
    parts = [document.part] + [
        p
        for p in document.part.package.iter_parts()
        if isinstance(p, XmlPart)
        and p is not document.part
        and PurePath(str(p.partname)).stem.rstrip("0123456789")
        in {"header", "footer", "footnotes", "endnotes", "comments"}
    ]
    t, tab, br, p, tr, tc = (qn(f"w:{tag}") for tag in ("t", "tab", "br", "p", "tr", "tc"))

    def text_of(element: Any) -> str:
        return "".join(
            node.text or "" if node.tag == t else ("\t" if node.tag == tab else "\n")
            for node in element.iter(t, tab, br)
        )

    for part in parts:
        for node in part.element.iter(p, tr):
            if node.tag == tr:
                # A table row is one line, cells apart by tabs: "Fødselsnummer<TAB>…" keeps
                # the label next to its value, as a reader sees it.
                text = "\t".join(
                    " ".join(text_of(q) for q in cell.iter(p)) for cell in node.iter(tc)
                )
            elif next(node.iterancestors(tr), None) is not None:
                continue  # read with its row
            else:
                text = text_of(node)
            if text.strip() and not budget.add(text):
                return budget.result(images)
    return budget.result(images)


def _odt(data: bytes, budget: _Budget) -> Extracted:
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    zf, images = _zip_guard(data, budget.limits)
    zf.close()
    document = load(io.BytesIO(data))
    # Paragraphs and headings in document order; a paragraph's text includes what is nested in
    # it, so the walk does not descend into one it has read.
    stack = [document.text]
    while stack:
        node = stack.pop()
        if getattr(node, "qname", None) in {(TEXTNS, "p"), (TEXTNS, "h")}:
            text = teletype.extractText(node)
            if text.strip() and not budget.add(text):
                break
            continue
        stack.extend(reversed(getattr(node, "childNodes", [])))
    return budget.result(images)


def _xlsx(data: bytes, budget: _Budget) -> Extracted:
    import openpyxl

    zf, images = _zip_guard(data, budget.limits)
    zf.close()
    # read_only streams rows instead of building the whole sheet; data_only gives the values
    # a reader sees, not the formulas.
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell(v) for v in row if v is not None]
                if cells and not budget.add("\t".join(cells)):
                    return budget.result(images)
    finally:
        workbook.close()
    return budget.result(images)


def _cell(value: Any) -> str:
    # An 11-digit fødselsnummer typed into a cell is stored as a number.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _html(data: bytes, budget: _Budget) -> Extracted:
    try:
        text = html_to_text(data.decode("utf-8", errors="replace"), budget.deadline)
    except _OutOfTime:
        return Extracted("", NOT_SCANNED, f"time limit ({budget.limits.max_seconds:g} s)")
    if len(text) > budget.limits.max_chars:
        stopped = f"stopped at text limit ({budget.limits.max_chars} characters)"
        return Extracted(text[: budget.limits.max_chars], PARTLY, stopped)
    return Extracted(text, SCANNED)


_EXTRACTORS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "xlsx": _xlsx, "html": _html}


def extract_document(kind: str, data: bytes, limits: AttachmentLimits) -> Extracted:
    """Text of a PDF/DOCX/ODT/XLSX in this process, with soft limits only."""
    budget = _Budget(limits)
    try:
        return _EXTRACTORS[kind](data, budget)
    except _Refused as exc:
        return Extracted("", NOT_SCANNED, str(exc))
    except MemoryError:
        return Extracted("", NOT_SCANNED, f"memory limit ({limits.max_memory_mb} MB)")
    except Exception as exc:  # a broken file: the library's error type says why, not its text
        return Extracted("", NOT_SCANNED, f"unreadable {kind.upper()} ({type(exc).__name__})")


# --- the worker process ----------------------------------------------------------------------


class _Worker:
    """One long-lived extraction process, restarted after it was killed or died."""

    STARTUP_SECONDS = 60.0

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._memory_mb = 0
        self._ready = False
        self._lock = threading.Lock()

    def extract(self, kind: str, data: bytes, limits: AttachmentLimits) -> Extracted:
        with self._lock:
            try:
                proc = self._ensure(limits.max_memory_mb)
            except (OSError, TimeoutError) as exc:
                return Extracted("", NOT_SCANNED, f"extractor did not start ({type(exc).__name__})")
            header = json.dumps({"kind": kind, "limits": limits.model_dump()}).encode()
            # The clock runs from before the bytes are sent; the kill comes a little before
            # the bound, so that killing and answering fit in it too.
            deadline = time.monotonic() + HARD_SHARE * limits.max_seconds
            try:
                assert proc.stdin is not None
                proc.stdin.write(struct.pack(">II", len(header), len(data)) + header + data)
                proc.stdin.flush()
                answer = self._read(proc, deadline)
            except TimeoutError:
                self._proc = None
                proc.kill()
                # Reaping it (freeing its memory) and starting the next worker happen off the
                # caller's clock, while the rest of the mail is processed.
                threading.Thread(
                    target=self._replace, args=(proc, limits.max_memory_mb), daemon=True
                ).start()
                return Extracted("", NOT_SCANNED, f"time limit ({limits.max_seconds:g} s)")
            except (OSError, EOFError, ValueError):
                self._stop()
                return Extracted("", NOT_SCANNED, "extractor crashed")
            return Extracted(**json.loads(answer))

    def _ensure(self, memory_mb: int) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None and memory_mb == self._memory_mb:
            if not self._ready:
                self._wait_ready(self._proc)
            return self._proc
        self._stop()
        self._start(memory_mb)
        assert self._proc is not None
        self._wait_ready(self._proc)
        return self._proc

    def _start(self, memory_mb: int) -> None:
        env = {**os.environ, "GLEMSEL_EXTRACT_MEMORY_MB": str(memory_mb)}
        # stderr is discarded: library warnings may quote a document's text.
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "glemsel.sinks.attachments"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._memory_mb = memory_mb
        self._ready = False

    def _wait_ready(self, proc: subprocess.Popen[bytes]) -> None:
        # The worker says it is ready once its libraries are imported, so the time limit
        # measures extraction, not start-up.
        if self._read_exact(proc, 1, time.monotonic() + self.STARTUP_SECONDS) != b"R":
            raise OSError("no ready signal")
        self._ready = True

    def _read(self, proc: subprocess.Popen[bytes], deadline: float) -> bytes:
        (size,) = struct.unpack(">I", self._read_exact(proc, 4, deadline))
        return self._read_exact(proc, size, deadline)

    @staticmethod
    def _read_exact(proc: subprocess.Popen[bytes], size: int, deadline: float) -> bytes:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        chunks, got = [], 0
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while got < size:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise TimeoutError
                chunk = os.read(fd, size - got)
                if not chunk:
                    raise EOFError
                chunks.append(chunk)
                got += len(chunk)
        return b"".join(chunks)

    def _replace(self, killed: subprocess.Popen[bytes], memory_mb: int) -> None:
        killed.wait()
        for stream in (killed.stdin, killed.stdout):
            if stream:
                stream.close()
        with self._lock:
            if self._proc is None:
                self._start(memory_mb)

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream:
                stream.close()

    def close(self) -> None:
        with self._lock:
            self._stop()


_WORKER = _Worker()


def extract(
    content_type: str, filename: str, data: bytes, limits: AttachmentLimits, charset: str = ""
) -> tuple[str | None, Extracted]:
    """(format, extracted text) of one attachment, within ``limits``."""
    kind = kind_of(content_type, filename, data)
    if kind is None:
        return None, Extracted("", NOT_SCANNED, f"format not read ({content_type})")
    if kind == "image":
        return kind, Extracted("", NOT_SCANNED, "image: not scanned (no OCR)")
    if len(data) > limits.max_bytes:
        return kind, Extracted("", NOT_SCANNED, f"larger than {limits.max_bytes} bytes")
    if kind in DOCUMENT_KINDS:
        if limits.isolate:
            return kind, _WORKER.extract(kind, data, limits)
        return kind, extract_document(kind, data, limits)
    text = _decode(data, charset)
    if kind == "html":
        return kind, bounded_html_to_text(text, limits)
    if len(text) > limits.max_chars:
        stopped = f"stopped at text limit ({limits.max_chars} characters)"
        return kind, Extracted(text[: limits.max_chars], PARTLY, stopped)
    return kind, Extracted(text, SCANNED)


def _decode(data: bytes, charset: str) -> str:
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")  # Norwegian text from old Windows tools


def _serve() -> None:
    """The worker's loop: framed requests on stdin, JSON answers on stdout."""
    import resource

    import docx  # noqa: F401  (imported before the ready signal: start-up is not timed)
    import odf.opendocument  # noqa: F401
    import openpyxl  # noqa: F401
    import pypdf  # noqa: F401

    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing a library prints may corrupt the answers
    memory_mb = int(os.environ.get("GLEMSEL_EXTRACT_MEMORY_MB", "0"))
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    answers.write(b"R")
    answers.flush()
    while True:
        head = requests.read(8)
        if len(head) < 8:
            return
        header_size, data_size = struct.unpack(">II", head)
        header = json.loads(requests.read(header_size))
        data = requests.read(data_size)
        result = extract_document(header["kind"], data, AttachmentLimits(**header["limits"]))
        out = json.dumps(
            {"text": result.text, "scanned": result.scanned, "note": result.note},
            ensure_ascii=False,
        ).encode()
        answers.write(struct.pack(">I", len(out)) + out)
        answers.flush()


if __name__ == "__main__":
    _serve()
