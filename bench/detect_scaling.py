"""Detection time against text size on adversarial inputs: 1 MB and 10 MB of each.

    python -m bench.detect_scaling [--sizes 1000000 10000000] [--only digits ...]

Prints CPU seconds per input and size, and the ratio of the largest to the smallest
(linear: the ratio of the sizes, 10.0 for 1 MB and 10 MB). The inputs are those of
bench.adversarial: long digit and hex runs, text without whitespace, one long line of
repeated names, many short labelled lines, CSV rows, streets.
"""

from __future__ import annotations

import argparse
import time

from glemsel.detectors import Detector

from bench.adversarial import UNITS, adversarial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--only", nargs="+", choices=list(UNITS), default=list(UNITS))
    args = parser.parse_args()
    detector = Detector()
    detector.analyze("oppvarming")
    sizes = sorted(args.sizes)
    header = "".join(f"{f'{s / 1e6:g} MB (s)':>14}" for s in sizes)
    print(f"{'input':<18}{header}{'ratio':>8}{'entities':>10}")
    for name in args.only:
        seconds, found = [], 0
        for size in sizes:
            text = adversarial(name, size)
            start = time.process_time()
            found = len(detector.analyze(text))
            seconds.append(time.process_time() - start)
        ratio = seconds[-1] / seconds[0] if seconds[0] else float("nan")
        row = "".join(f"{s:>14.2f}" for s in seconds)
        print(f"{name:<18}{row}{ratio:>8.1f}{found:>10}", flush=True)
    print(f"linear: ratio {sizes[-1] / sizes[0]:.1f}")


if __name__ == "__main__":
    main()
