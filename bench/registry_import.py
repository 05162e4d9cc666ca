"""Import figure: the real 2026-02-21 export into a store that already holds N entries (and
the 2026-02-17 export of the same source, so the import is the realistic next day's one:
new keys added, grown counts updated, the rest skipped). Goal: at most 1 s into a
1,000,000-entry store, and the time must not grow with the store (only the export's own
keys and names are looked up).

    .venv/bin/python bench/registry_import.py                       # --size 100000 1000000
    .venv/bin/python bench/registry_import.py --size 100000 --runs 3

Each run imports into a fresh copy of the same prepared store; medians and p95 over runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.registries.importer import import_export  # noqa: E402
from engine.store.db import open_store  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EARLIER = DATA / "motion-registries-2026-02-17.json"
LATER = DATA / "motion-registries-2026-02-21.json"
GOAL_S = 1.0
GOAL_GROWTH = 1.5
CHUNK = 50_000


def build(path: Path, size: int) -> None:
    """A store with `size` entries (blended motion and blend keys, each with a source row),
    then the earlier export imported."""
    open_store(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=MEMORY")
    have = conn.execute("SELECT COUNT(*) FROM registry_entry").fetchone()[0]
    now = "2026-02-10 12:00:00"
    first = conn.execute("SELECT COALESCE(MAX(id), 0) FROM registry_entry").fetchone()[0] + 1
    todo = max(0, size - have)
    for start in range(0, todo, CHUNK):
        n = min(CHUNK, todo - start)
        conn.executemany(
            "INSERT INTO registry_entry (id, registry, aspect, key, name, is_origin, created_at) VALUES (?,?,?,?,?,0,?)",
            [(first + start + i, "blended", "motion" if (start + i) % 2 else "blends",
              f"{(start + i) / 10:.1f}_steady_none_even" if (start + i) % 2 else json.dumps({"b": start + i}),
              f"Bench Entry {start + i:07d}", now) for i in range(n)],
        )
        conn.executemany(
            "INSERT INTO registry_source (entry_id, registry, aspect, kind, ref, times, created_at) VALUES (?,?,?,?,?,?,?)",
            [(first + start + i, "blended", "motion" if (start + i) % 2 else "blends", "job", f"job-{start + i}", 1, now)
             for i in range(n)],
        )
    conn.commit()
    conn.close()
    store = open_store(path)
    import_export(store, EARLIER)
    store.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(base: Path, tmp: Path, runs: int) -> tuple[list[float], list[float], object]:
    walls, cpus, report = [], [], None
    for i in range(runs):
        copy = tmp / f"run-{i}.sqlite"
        shutil.copyfile(base, copy)
        store = open_store(copy)
        c0, t0 = time.process_time(), time.perf_counter()
        report = import_export(store, LATER)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        store.close()
        copy.unlink()
    return walls, cpus, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, nargs="+", default=[100_000, 1_000_000], help="store sizes in entries")
    ap.add_argument("--runs", type=int, default=5, help="imports per size (default 5)")
    args = ap.parse_args()
    if not EARLIER.exists() or not LATER.exists():
        sys.exit(f"the real exports are not in {DATA}")
    medians: dict[int, float] = {}
    cpu_medians: dict[int, float] = {}
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for size in args.size:
            base = tmp / f"base-{size}.sqlite"
            t0 = time.perf_counter()
            build(base, size)
            print(f"built a {size:,}-entry store with {EARLIER.name} imported in {time.perf_counter() - t0:.1f} s "
                  f"({base.stat().st_size / 2**20:.0f} MiB)", flush=True)
            before = resource.getrusage(resource.RUSAGE_SELF)
            walls, cpus, report = measure(base, tmp, args.runs)
            after = resource.getrusage(resource.RUSAGE_SELF)
            base.unlink()
            medians[size] = statistics.median(walls)
            cpu_medians[size] = statistics.median(cpus)
            print(f"  {LATER.name}: added {len(report.added)}, updated {len(report.updated)}, "
                  f"skipped {report.skipped_total}; wall {', '.join(f'{w:.3f}' for w in walls)} s; "
                  f"CPU median {statistics.median(cpus):.3f} s (process CPU {after.ru_utime - before.ru_utime:.1f} s user); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
            for label, value in (("median", medians[size]), ("p95", pct(walls, 0.95)),
                                 ("CPU median", cpu_medians[size])):
                verdict = "meets" if value <= GOAL_S else "MISSES"
                lines.append(f"RESULT import of a real export into a {size:,}-entry store ({label} of {args.runs}): "
                             f"{value:.3f} s (goal <= {GOAL_S:g} s: {verdict})")
    sizes = sorted(medians)
    if len(sizes) >= 2:
        growth = medians[sizes[-1]] / medians[sizes[0]]
        verdict = "meets" if growth <= GOAL_GROWTH else "MISSES"
        lines.append(f"RESULT import time growth from {sizes[0]:,} to {sizes[-1]:,} entries: {growth:.2f}x "
                     f"(goal <= {GOAL_GROWTH:g}x: {verdict})")
        growth = cpu_medians[sizes[-1]] / cpu_medians[sizes[0]]
        verdict = "meets" if growth <= GOAL_GROWTH else "MISSES"
        lines.append(f"RESULT import CPU time growth from {sizes[0]:,} to {sizes[-1]:,} entries: {growth:.2f}x "
                     f"(goal <= {GOAL_GROWTH:g}x: {verdict})")
    print(f"load average now {os.getloadavg()[0]:.1f}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
