"""Detection quality on the generated corpus: precision, recall and F1 per entity type.

    python -m bench.detect_quality [--docs 2000] [--seed N] [--misses 15]

A prediction matches a labelled span of the same type when they overlap with IoU >= 0.5.
Also prints micro scores per style (crm, support, mail, chat) when the documents carry one,
and documents per second of the same run.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from glemsel.detectors import ENTITY_TYPES, Detector

from bench.corpus import Doc, generate


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def score(docs: list[Doc], predictions: list[list[tuple[str, int, int]]]):
    tp, fp, fn = Counter(), Counter(), Counter()
    misses: list[tuple[str, str, str]] = []  # (kind, type, snippet)
    for doc, predicted in zip(docs, predictions, strict=True):
        gold = list(doc.spans)
        used = set()
        for p_type, p_start, p_end in predicted:
            match = next(
                (
                    i
                    for i, (g_type, g_start, g_end) in enumerate(gold)
                    if i not in used
                    and g_type == p_type
                    and iou((p_start, p_end), (g_start, g_end)) >= 0.5
                ),
                None,
            )
            if match is None:
                fp[p_type] += 1
                misses.append(("false positive", p_type, _snippet(doc.text, p_start, p_end)))
            else:
                used.add(match)
                tp[p_type] += 1
        for i, (g_type, g_start, g_end) in enumerate(gold):
            if i not in used:
                fn[g_type] += 1
                misses.append(("missed", g_type, _snippet(doc.text, g_start, g_end)))
    return tp, fp, fn, misses


def _snippet(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 25) : start].replace("\n", "⏎")
    after = text[end : end + 15].replace("\n", "⏎")
    return f"…{before}[{text[start:end]}]{after}…"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--misses", type=int, default=15)
    args = parser.parse_args()

    docs = generate(args.docs, args.seed)
    detector = Detector()
    detector.analyze("oppvarming")  # warm-up: first call loads lazily built parts
    start = time.perf_counter()
    predictions = [[(e.type, e.start, e.end) for e in detector.analyze(d.text)] for d in docs]
    elapsed = time.perf_counter() - start
    tp, fp, fn, misses = score(docs, predictions)

    size = sum(len(d.text.encode()) for d in docs)
    print(
        f"{len(docs)} documents, {size / 1e6:.2f} MB: {len(docs) / elapsed:.0f} docs/s, "
        f"{size / 1e6 / elapsed:.2f} MB/s"
    )
    print(f"{'type':<18}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
    for etype in ENTITY_TYPES:
        p, r, f = prf(tp[etype], fp[etype], fn[etype])
        print(f"{etype:<18}{tp[etype] + fn[etype]:>8}{p:>11.3f}{r:>8.3f}{f:>7.3f}")
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"{'micro':<18}{sum(tp.values()) + sum(fn.values()):>8}{p:>11.3f}{r:>8.3f}{f:>7.3f}")
    styles = list(dict.fromkeys(s for d in docs if (s := getattr(d, "style", None))))
    if styles:
        print(f"\n{'style (micro)':<18}{'support':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
        for style in styles:
            chosen = [i for i, d in enumerate(docs) if getattr(d, "style", None) == style]
            s_tp, s_fp, s_fn, _ = score([docs[i] for i in chosen], [predictions[i] for i in chosen])
            tps, fps, fns = sum(s_tp.values()), sum(s_fp.values()), sum(s_fn.values())
            p, r, f = prf(tps, fps, fns)
            print(f"{style:<18}{tps + fns:>8}{p:>11.3f}{r:>8.3f}{f:>7.3f}")
    if misses and args.misses:
        print(f"\nworst misses (most frequent kinds first, up to {args.misses}):")
        kinds = Counter((kind, etype) for kind, etype, _ in misses)
        for (kind, etype), count in kinds.most_common(args.misses):
            example = next(s for k, t, s in misses if k == kind and t == etype)
            print(f"  {count:>4} {kind:<15} {etype:<18} e.g. {example}")


if __name__ == "__main__":
    main()
