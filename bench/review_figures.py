"""How long the weekly review's per-tag figures, cost per approved take and reviewer agreement
add to the report, on the weekly bench's store with its cost entries.

Builds (or reuses) bench/out/review_figures_N.sqlite: the weekly report bench's store of N
takes (bench/weekly_report.py builds it), plus what a real store has beside it: one
generation cost entry per take and a prompt-enrichment entry for about 70 % of them, and a
10 % sample of 2026-W47's reviewed takes marked for a second review, most of them reviewed
again. Then times `with_review_figures` for 2026-W47 (runs 1 to 7: median and p95 reported)
and prints the machine's load and this process's CPU time. Goal: at most 0.5 s added.

    .venv/bin/python bench/review_figures.py [--rebuild] [--takes N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import weekly_report as weekly_bench  # noqa: E402
from bench_common import built_before, mark_built  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from engine.store.db import open_store  # noqa: E402
from engine.store.models import CostEntry, ReviewDecision, Take, utcnow  # noqa: E402
from engine.store.review_weeks import counting  # noqa: E402
from engine.takes.reports.agreement import mark_sample  # noqa: E402
from engine.takes.reports.review_figures import with_review_figures  # noqa: E402
from engine.takes.reports.weekly import weekly_report  # noqa: E402

OUT = weekly_bench.OUT
WEEK = weekly_bench.WEEK
GOAL_S = 0.5
RUNS = 7


def build(path: Path, total: int) -> None:
    weekly_bench.build(path, total)
    store = open_store(path)
    rng = random.Random(16)
    with store.read() as s:
        ids = list(s.scalars(select(Take.id).order_by(Take.id)))
    with store.write() as s:
        for start in range(0, len(ids), 50_000):
            chunk = ids[start : start + 50_000]
            rows = [{"pass_type": "generation", "take_id": t, "amount": 0.134, "model": "", "input_tokens": 0,
                     "output_tokens": 0} for t in chunk]
            rows += [{"pass_type": "prompt_enrichment", "take_id": t, "amount": 0.00021, "model": "flash",
                      "input_tokens": 900, "output_tokens": 120} for t in chunk if rng.random() < 0.7]
            with counting(s, chunk):  # costs of reviewed takes count in their weeks, as add_cost books them
                s.execute(insert(CostEntry), rows)
    sample = mark_sample(store, WEEK, 0.1, seed=16, made_by="bench")
    now = utcnow()
    seconds = [
        {"take_id": t, "reviewer": "dana", "created_at": now, "note": "", "retracts_id": None,
         "action": "approve" if rng.random() < 0.7 else "reject"}
        for t in sample.take_ids if rng.random() < 0.9
    ]
    with store.write() as s, counting(s, (d["take_id"] for d in seconds)):  # as every decision is written
        s.execute(insert(ReviewDecision), seconds)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--takes", type=int, default=1_000_000, help="takes in the store")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"review_figures_{args.takes}.sqlite"
    if args.rebuild or not built_before(path):
        print(f"building {path} with {args.takes:,} takes ...", flush=True)
        build(path, args.takes)
        mark_built(path)
    store = open_store(path)
    with store.read() as s:
        takes = s.scalar(select(func.count()).select_from(Take))
        costs = s.scalar(select(func.count()).select_from(CostEntry))
    report = weekly_report(store, WEEK, trend_weeks=1)
    # The week's landed cost of each group, as the report read it with the weekly counts and
    # hands it to with_review_figures.
    landed = {(v.target, v.model, v.version): v.landed_cost for v in report.tag_rates}
    walls, cpus = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        figures = with_review_figures(store, WEEK, report, landed)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    store.close()
    walls.sort()
    median, p95 = statistics.median(walls), walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    agreement = figures.agreement
    print(f"store {path.name}: {takes:,} takes, {costs:,} cost entries; {len(figures.tag_rates)} versions "
          f"reviewed in {WEEK}; {agreement.sampled:,} sampled, {agreement.second_reviewed:,} reviewed again")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU per run median "
          f"{statistics.median(cpus):.3f} s; wall per run {', '.join(f'{w:.3f}' for w in walls)} s")
    for label, value in (("median", median), ("p95", p95)):
        verdict = "meets" if value <= GOAL_S else "MISSES"
        print(f"RESULT per-tag figures and agreement added to the weekly report on {takes:,} takes, {label}: "
              f"{value:.3f} s (goal <= {GOAL_S} s: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
