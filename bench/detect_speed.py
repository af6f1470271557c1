"""Detection speed: Glemsel's detector against stock Presidio, same process, same corpus.

    python -m bench.detect_speed [--docs 2000] [--long 5]

Stock Presidio is an AnalyzerEngine with its default (English) recognizers on a blank spaCy
pipeline, offline. Both run single-threaded on short messages (CRM, support, mail, chat) and
on long e-mails (50 KB bodies); the long-mail rows also show scaling with size.

Times are the process's CPU time (``time.process_time``): one core's work, the same on a
busy machine shared with other jobs as on an idle one (wall-clock time there counts the
waits for a core too). ``--wall`` measures wall-clock time instead.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import spacy
import tldextract
from glemsel.detectors import Detector
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from bench.corpus import generate, long_mail


def stock_presidio() -> AnalyzerEngine:
    # Presidio's e-mail recognizer would fetch the public suffix list: use the bundled copy.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    nlp_engine.nlp = {"en": spacy.blank("en")}  # no model download: a blank pipeline
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])


CLOCK = time.process_time


def rate(analyze: Callable[[str], object], texts: list[str]) -> tuple[float, float]:
    """(docs/s, MB/s) over one pass: every text is new to the engine, as in production."""
    size = sum(len(t.encode()) for t in texts)
    start = CLOCK()
    for text in texts:
        analyze(text)
    elapsed = CLOCK() - start
    return len(texts) / elapsed, size / 1e6 / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=4000)
    parser.add_argument("--long", type=int, default=5, help="number of 50 KB e-mails")
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter

    short = [d.text for d in generate(args.docs)]
    longs = [long_mail(50_000, seed=i) for i in range(args.long)]
    halves = [t[:25_000] for t in longs]
    glemsel = Detector()
    presidio = stock_presidio()
    runners = {
        "glemsel": glemsel.analyze,
        "presidio": lambda text: presidio.analyze(text=text, language="en"),
    }
    warm_up = [d.text for d in generate(50, seed=1)]  # other texts than the measured ones
    for analyze in runners.values():
        for text in warm_up:
            analyze(text)

    clock = "wall-clock" if args.wall else "CPU"
    print(f"{len(short)} short documents, {len(longs)} e-mails of 50 KB; {clock} time, one core")
    print(f"{'corpus':<22}{'engine':<10}{'docs/s':>10}{'MB/s':>8}")
    results = {}
    for name, texts in (
        ("short messages", short),
        ("e-mails 50 KB", longs),
        ("e-mails 25 KB", halves),
    ):
        for engine, analyze in runners.items():
            docs_s, mb_s = rate(analyze, texts)
            results[(name, engine)] = docs_s
            print(f"{name:<22}{engine:<10}{docs_s:>10.1f}{mb_s:>8.2f}")
    for name in ("short messages", "e-mails 50 KB"):
        ratio = results[(name, "glemsel")] / results[(name, "presidio")]
        print(f"{name}: glemsel / stock presidio = {ratio:.1f}x")
    scaling = results[("e-mails 25 KB", "glemsel")] / results[("e-mails 50 KB", "glemsel")]
    print(f"glemsel time per e-mail, 50 KB vs 25 KB: {scaling:.2f}x (2.00 = linear)")


if __name__ == "__main__":
    main()
