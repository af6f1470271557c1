"""Detection speed with the compiled kernels on and off, same process, same corpus.

    python -m bench.native_speed [--docs 2000] [--long 3] [--rounds 2] [--wall]

The paired figure for native/ (issue 14): Glemsel's detector on short messages and on long
e-mails (50 KB), once with every kernel of ``glemsel_native`` bound and once with the Python
reference code, alternating for ``--rounds`` rounds (the best of each is shown, so that a
neighbour's burst on a shared machine does not decide the comparison). The findings of both
paths are compared as well: they must be identical.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from glemsel.detectors import Detector, native

from bench import detect_speed
from bench.corpus import generate, long_mail


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    """The load averages: on a shared machine, figures taken under load are noisy (CPU time
    too: a busy sibling core slows this one's work)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load: unknown"
    return f"load average: {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--long", type=int, default=3, help="number of 50 KB e-mails")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args()
    if args.wall:
        detect_speed.CLOCK = time.perf_counter

    short = [d.text for d in generate(args.docs)]
    longs = [long_mail(50_000, seed=i) for i in range(args.long)]
    detector = Detector()
    for doc in generate(50, seed=1):  # warm-up on other texts than the measured ones
        detector.analyze(doc.text)
    print(f"machine: {machine()}; {load()}")
    if not native.available():
        print("glemsel_native is not installed (pip install ./native): nothing to compare")
        return
    clock = "wall-clock" if args.wall else "CPU"
    print(f"{len(short)} short documents, {len(longs)} e-mails of 50 KB; {clock} time, one core")
    best: dict[tuple[str, bool], tuple[float, float]] = {}
    for _ in range(args.rounds):
        for on in (True, False):
            native.set_enabled(on)
            for name, texts in (("short messages", short), ("e-mails 50 KB", longs)):
                docs_s, mb_s = detect_speed.rate(detector.analyze, texts)
                if docs_s > best.get((name, on), (0.0, 0.0))[0]:
                    best[(name, on)] = (docs_s, mb_s)
    print(f"{'corpus':<22}{'kernels':<10}{'docs/s':>10}{'MB/s':>8}")
    for name in ("short messages", "e-mails 50 KB"):
        for on in (True, False):
            docs_s, mb_s = best[(name, on)]
            print(f"{name:<22}{'native' if on else 'python':<10}{docs_s:>10.1f}{mb_s:>8.2f}")
        ratio = best[(name, True)][0] / best[(name, False)][0]
        print(f"{name}: native / python = {ratio:.2f}x")
    findings = {}
    for on in (True, False):
        native.set_enabled(on)
        findings[on] = [detector.analyze(t) for t in short + longs]
    native.set_enabled(True)
    same = "identical" if findings[True] == findings[False] else "DIFFERENT"
    print(f"findings, native vs python: {same}; {load()}")


if __name__ == "__main__":
    main()
