"""Interpretation accuracy on the labelled corpus (tests/engine/interpretation/corpus.txt) and
on the held-out prompts written before tuning (holdout.txt), by category; and the time to
interpret one prompt (median and p95 over the corpus, vocabulary built once).

A case passes when every expectation holds: what must be present and what must be absent
(a negated colour never in the palette). Goal: >= 97% overall on the corpus.

    .venv/bin/python bench/interpretation_accuracy.py              # figures
    .venv/bin/python bench/interpretation_accuracy.py --failures   # and each failing case
    .venv/bin/python bench/interpretation_accuracy.py --with-exports   # the real exports imported first
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.procedural.interpretation.corpus import accuracy, failures, read_corpus  # noqa: E402
from engine.procedural.interpretation.interpret import interpret_text  # noqa: E402
from engine.procedural.interpretation.service import vocabulary  # noqa: E402
from engine.store.db import open_store  # noqa: E402

CORPUS = ROOT / "tests" / "engine" / "interpretation"
GOAL = 97.0


def run(store, path: Path, show: bool) -> tuple[dict, list[float]]:
    vocab = vocabulary(store)
    t0 = time.perf_counter()
    interpret_text("a warm-up prompt: the lemma tables load on first use", vocab)
    if show:
        print(f"first prompt (loads the lemma tables): {1000 * (time.perf_counter() - t0):.0f} ms")
    results, times = [], []
    for case in read_corpus(path):
        t0 = time.perf_counter()
        ins = interpret_text(case.prompt, vocab)
        times.append(time.perf_counter() - t0)
        bad = failures(ins, case)
        results.append((case, bad))
        if bad and show:
            got = {k: ins[k] for k in ("palette", "sounds", "motion", "camera", "lighting", "mood", "duration_s") if ins[k]}
            negs = [(n["domain"], n["value"]) for n in ins["negations"]]
            print(f"FAIL {case.where} [{case.category}] {case.prompt!r}: {' '.join(bad)}; got {got} neg {negs}")
    return accuracy(results), times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--with-exports", action="store_true", help="import ../shared/data exports first")
    args = ap.parse_args()
    cpu0 = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store.sqlite", create=True)
        if args.with_exports:
            from engine.procedural.registries.importer import import_export

            for f in sorted((ROOT.parent / "shared" / "data").glob("*.json")):
                import_export(store, f)
        try:
            corpus, times = run(store, CORPUS / "corpus.txt", args.failures)
            held, _ = run(store, CORPUS / "holdout.txt", args.failures)
        finally:
            store.close()
    print(f"machine load average {os.getloadavg()[0]:.2f}; CPU time {time.process_time() - cpu0:.2f} s")
    for cat, (ok, n) in sorted(corpus.items()):
        if cat != "overall":
            print(f"  {cat:<11} {ok}/{n} = {100 * ok / n:.1f}%")
    ok, n = corpus["overall"]
    pct = 100 * ok / n
    hok, hn = held["overall"]
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    for cat, (c_ok, c_n) in sorted(corpus.items()):
        if cat != "overall":
            print(f"RESULT interpretation accuracy [{cat}]: {100 * c_ok / c_n:.1f} % ({c_ok}/{c_n} prompts)")
    print(f"RESULT interpretation accuracy held-out: {100 * hok / hn:.1f} % ({hok}/{hn} prompts, goal >= {GOAL:g}: "
          f"{'meets' if 100 * hok / hn >= GOAL else 'MISSES'})")
    print(f"RESULT interpretation time per prompt: median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms "
          f"(goal <= 20: {'meets' if p95 <= 20 else 'MISSES'})")
    print(f"RESULT interpretation accuracy overall: {pct:.1f} % ({ok}/{n} prompts, goal >= {GOAL:g}: "
          f"{'meets' if pct >= GOAL else 'MISSES'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
