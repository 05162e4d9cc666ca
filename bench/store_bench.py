"""Execution-store figures: appends, bulk import, one shot's takes, two writers at once.

    python bench/store_bench.py [--appends 5000] [--bulk 100000] [--workers-takes 5000]
                                [--pg URL]

Prints what it measured. Goals: one-commit appends >= 2,000 takes/s on SQLite; bulk import
>= 50,000 takes/s; one shot's takes in a 100,000-take / 1,800-shot store: median <= 10 ms;
two processes appending 5,000 takes each: 10,000 present, no error seen by either.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from engine.store.db import open_store  # noqa: E402
from engine.store.models import Episode, Shot, Take  # noqa: E402
from engine.store.takes import NewTake, append_take, bulk_append_takes, list_takes  # noqa: E402

PROMPT = (
    "A cinematic 35mm film still, medium shot, shot on Arri Alexa Mini LF with Kodak Vision3 "
    "500T, visible grain, photorealistic. Mara Quell, wary, runs along the quay."
)
SYSTEM = "Universal rules...\n" * 40


def _shots(store, count: int) -> list[str]:
    codes = [f"EP01_SH{i:05d}" for i in range(count)]
    with store.write() as s:
        ep = Episode(code="EP01", title="bench")
        s.add(ep)
        s.flush()
        s.execute(insert(Shot), [{"code": c, "episode_id": ep.id, "position": i + 1}
                                 for i, c in enumerate(codes)])
    return codes


def _new(code: str, i: int) -> NewTake:
    return NewTake(shot=code, model="gemini-3-pro-image-preview", pipeline="keyframe",
                   prompt=f"{PROMPT} attempt {i}", seed=i, system_prompt_version="v1.0",
                   system_prompt_text=SYSTEM, cost=0.134, output_path=f"frames/{code}_{i}.png",
                   enrichment_outcome="enriched", target="nbp")


def bench_appends(folder: Path, n: int) -> float:
    with open_store(folder / "append.sqlite", create=True) as store:
        codes = _shots(store, 100)
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            with store.write() as s:
                append_take(s, _new(codes[i % len(codes)], i))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = n / elapsed
    print(f"append, one commit each (SQLite): {n} takes in {elapsed:.2f} s = {rate:,.0f} takes/s; "
          f"by this process's CPU time {n / cpu:,.0f} takes/s (goal >= 2,000)")
    return rate


def bench_bulk(folder: Path, n: int, shots: int) -> Path:
    path = folder / "bulk.sqlite"
    with open_store(path, create=True) as store:
        codes = _shots(store, shots)
        takes = [_new(codes[i % shots], i) for i in range(n)]
        start, cpu = time.perf_counter(), time.process_time()
        with store.write() as s:
            for chunk in range(0, n, 20_000):
                bulk_append_takes(s, takes[chunk:chunk + 20_000])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"bulk import (SQLite): {n:,} takes in {elapsed:.2f} s = {n / elapsed:,.0f} takes/s; "
          f"by CPU time {n / cpu:,.0f} takes/s (goal >= 50,000)")
    return path


def bench_lookup(path: Path, samples: int = 300) -> None:
    with open_store(path) as store:
        with store.read() as s:
            total = s.scalar(select(func.count()).select_from(Take))
            codes = list(s.scalars(select(Shot.code)))
        times = []
        for i in range(samples):
            code = codes[(i * 7919) % len(codes)]
            start = time.perf_counter()
            with store.read() as s:
                takes = list_takes(s, code)
            times.append((time.perf_counter() - start) * 1000)
            assert takes
    times.sort()
    print(f"one shot's takes ({total:,} takes over {len(codes):,} shots): median "
          f"{statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms "
          f"(goal: median <= 10 ms)")


WORKER = """
import sys, time
sys.path.insert(0, {root!r})
from engine.store.db import open_store
from engine.store.takes import NewTake, append_take
store = open_store(sys.argv[1])
errors = 0
for i in range(int(sys.argv[3])):
    with store.write() as s:
        append_take(s, NewTake(shot="EP01_SH%05d" % (i % 50), model="m", pipeline="keyframe",
                               prompt=sys.argv[2] + " %d" % i, seed=i))
store.close()
"""


def bench_two_writers(spec: str, per_worker: int, label: str) -> None:
    with open_store(spec, create=True) as store:
        with store.read() as s:
            fresh = s.scalar(select(func.count()).select_from(Shot)) == 0
        if fresh:
            _shots(store, 50)
        with store.read() as s:
            before = s.scalar(select(func.count()).select_from(Take))
    script = WORKER.format(root=str(ROOT))
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", script, spec, name, str(per_worker)],
                              stderr=subprocess.PIPE, text=True) for name in ("ana", "ben")]
    errs = [p.communicate()[1] for p in procs]
    elapsed = time.perf_counter() - start
    with open_store(spec) as store, store.read() as s:
        after = s.scalar(select(func.count()).select_from(Take))
    failed = [e.strip().splitlines()[-1] for p, e in zip(procs, errs, strict=True) if p.returncode]
    print(f"two processes x {per_worker:,} appends ({label}): {after - before:,} takes present "
          f"(expected {2 * per_worker:,}), errors: {failed or 'none'}, {elapsed:.1f} s")


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"machine load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=5000)
    parser.add_argument("--bulk", type=int, default=100_000)
    parser.add_argument("--shots", type=int, default=1800)
    parser.add_argument("--workers-takes", type=int, default=5000)
    parser.add_argument("--pg", help="a PostgreSQL URL to run the two-writer race on as well")
    args = parser.parse_args()
    print(load_note())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_appends(folder, args.appends)
        path = bench_bulk(folder, args.bulk, args.shots)
        bench_lookup(path)
        bench_two_writers(str(folder / "race.sqlite"), args.workers_takes, "SQLite")
        if args.pg:
            bench_two_writers(args.pg, args.workers_takes, "PostgreSQL")


if __name__ == "__main__":
    main()
