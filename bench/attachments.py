"""Attachment extraction: throughput for PDF and DOCX, and the worst case under the bound.

    python -m bench.attachments [--pages 40] [--rounds 5] [--bound 2]

Throughput is measured on the production path (the worker process, ``isolate: true``) and
in-process, over CV-like documents: text lines with names, numbers and addresses. MB/s counts
the attachment's bytes. The worst case feeds attachments built to be slow: a PDF with more pages
than the bound allows (the soft deadline stops it between pages), a single page with a huge
content stream (no page boundary to stop at: the worker is killed at the bound), a zip bomb
(refused before it is unpacked) and hostile HTML (Python's parser crawls on it). Each row gives
the wall-clock time and what the extractor reported.
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile

from glemsel.sinks.attachments import extract
from glemsel.sinks.spec import AttachmentLimits

from bench.documents import DOCX_TYPE, PDF_TYPE, make_docx, make_pdf

LINE = "Kari Nordmann, Storgata {i}, 0155 Oslo, tlf 912 34 {n:03d}, fnr 150765 00565, erfaring"


def _lines(count: int) -> list[str]:
    return [LINE.format(i=i, n=i % 1000) for i in range(count)]


def throughput(content_type: str, data: bytes, limits: AttachmentLimits, rounds: int) -> tuple:
    extract(content_type, "warm", data, limits)  # start the worker, import the library
    start = time.perf_counter()
    for _ in range(rounds):
        _, result = extract(content_type, "x", data, limits)
    seconds = (time.perf_counter() - start) / rounds
    assert result.scanned == "yes", result.note
    return len(data) / 1e6 / seconds, seconds, len(result.text)


def _heavy_page(lines: int) -> bytes:
    """One page whose content stream holds ``lines`` text lines: slow to extract, no page
    boundary in between."""
    return make_pdf([_lines(lines)])


def _zip_bomb() -> bytes:
    docx = io.BytesIO(make_docx(["x"]))
    out = io.BytesIO()
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/media/padding.bin", b"\0" * (400 * 1024 * 1024))
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="pages of the PDF CV")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--bound", type=float, default=2.0, help="max_seconds for the worst case")
    args = parser.parse_args()

    pdf = make_pdf([_lines(45) for _ in range(args.pages)])
    docx = make_docx(_lines(45 * args.pages), [[f"r{r}c{c}" for c in range(4)] for r in range(50)])
    print(f"{'format':6} {'path':10} {'size MB':>8} {'MB/s':>7} {'s/doc':>7} {'chars':>8}")
    for name, content_type, data in (("PDF", PDF_TYPE, pdf), ("DOCX", DOCX_TYPE, docx)):
        for path, isolate in (("worker", True), ("in-process", False)):
            mbps, seconds, chars = throughput(
                content_type, data, AttachmentLimits(isolate=isolate), args.rounds
            )
            size = len(data) / 1e6
            print(f"{name:6} {path:10} {size:8.2f} {mbps:7.2f} {seconds:7.3f} {chars:8d}")

    bound = AttachmentLimits(max_seconds=args.bound, max_pages=100_000)
    cases = [
        ("PDF, 3000 pages", PDF_TYPE, make_pdf([_lines(45) for _ in range(3000)])),
        ("PDF, one page of 60k lines", PDF_TYPE, _heavy_page(60_000)),
        ("DOCX zip bomb (400 MB)", DOCX_TYPE, _zip_bomb()),
        ("HTML, 10 MB of '<'", "text/html", b"<" * 10_000_000),
    ]
    print(f"\nworst case, bound max_seconds={args.bound:g} (worker)")
    print(f"{'attachment':28} {'size MB':>8} {'wall s':>7}  result")
    worst, tiny, restarts = 0.0, make_pdf([["x"]]), []
    for label, content_type, data in cases:
        bound_big = bound.model_copy(update={"max_bytes": len(data) + 1})
        # A killed worker is replaced at once and starts up while the mail goes on; waiting
        # for that start-up is not extraction, so it is measured apart.
        warm = time.perf_counter()
        extract(PDF_TYPE, "warm", tiny, bound_big)
        restarts.append(time.perf_counter() - warm)
        start = time.perf_counter()
        _, result = extract(content_type, "x", data, bound_big)
        wall = time.perf_counter() - start
        worst = max(worst, wall)
        outcome = f"{result.scanned}: {result.note or 'complete'}"
        print(f"{label:28} {len(data) / 1e6:8.2f} {wall:7.2f}  {outcome}")
    print(f"worst case per attachment: {worst:.2f} s (bound {args.bound:g} s)")
    print(
        f"worker start-up after a kill, if the next attachment comes at once: {max(restarts):.2f} s"
    )


if __name__ == "__main__":
    main()
