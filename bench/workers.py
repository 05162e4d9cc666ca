"""Workers figure: 1, 2 and 4 discovery-loop workers (separate processes; focus all, or with
--mixed frame, frame, window, all) growing one PostgreSQL store that holds a real registry
export, each for a fixed time: runs per second, the scaling factor against one worker, run times (median, p95), and a
check that the registry's counts equal the observations the runs recorded (and that no name
is used twice, and every run left its learning and discovery records).

    .venv/bin/python bench/workers.py [--pg-url URL] [--seconds 20] [--clip 1.0] [--mixed]

URL is a PostgreSQL server (default $DAILIES_TEST_PG_URL); the bench creates its own database
for each worker count and drops it afterwards. Each run is a 640x360 clip of --clip seconds,
created from the registry, extracted and recorded (no mp4 is written: the figure is about the
shared store, not the encoder). On a machine with C cores, more than C workers cannot run
faster than C: beyond that the factor shows whether workers get in each other's way (it
should stay flat, not fall), not whether they scale. The runs-per-second factors are only
as good as the cores that are free: the load average is printed beside them. CPU time per
run (summed over the workers, in the timed window) does not depend on the load: if sharing
the store cost work (retries, contention), it would grow with the number of workers.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from engine.procedural.discovery.loop import run_loop  # noqa: E402
from engine.procedural.registries.health import diagnostics  # noqa: E402
from engine.procedural.registries.importer import import_export  # noqa: E402
from engine.store.db import open_store  # noqa: E402
from engine.workers.worker import as_worker  # noqa: E402

EXPORT = Path(__file__).resolve().parents[2] / "shared" / "data" / "motion-registries-2026-02-21.json"
MIXED = ("frame", "frame", "window", "all")  # the registry document's explorer, exploiter, balanced
COUNTS = (1, 2, 4)


def worker(url: str, focus: str, seed: int, clip: float, ready, go, window, out: str) -> None:
    store = open_store(url)
    warm = run_loop(store, 1, seed=seed + 10_000, seconds=clip, save=False, focus=focus)  # not timed
    ready.wait(timeout=600)
    go.wait(timeout=600)  # every worker warmed up; the window's times are set
    start_at, stop_at = window[0], window[1]
    cpu0 = time.process_time()
    with as_worker(store, "loop", focus) as (handle, stop):
        summary = run_loop(store, 5_000, seed=seed, seconds=clip, save=False, focus=focus, worker=handle,
                           cancel=lambda: stop() or time.time() >= stop_at)
    ended, cpu = time.time(), time.process_time() - cpu0
    observed: Counter = Counter()
    for o in warm.outcomes + summary.outcomes:
        for (reg, aspect), counts in o.extracted.by_aspect().items():
            observed.update({f"{reg}|{aspect}|{k}": n for k, n in counts.items()})
    with open(out, "w") as f:
        json.dump({"seconds": [o.seconds for o in summary.outcomes], "observed": observed,
                   "start": start_at, "ended": ended, "cpu": cpu, "missing": list(summary.missing)}, f)
    store.close()


def registry_counts(store) -> Counter:
    with store.read() as s:
        rows = s.execute(text(
            "SELECT e.registry, e.aspect, e.key, SUM(s.times) FROM registry_entry e "
            "JOIN registry_source s ON s.entry_id = e.id GROUP BY e.registry, e.aspect, e.key")).all()
    return Counter({f"{r}|{a}|{k}": int(n) for r, a, k, n in rows})


def make_template(admin, clip: float) -> str:
    """A database holding the real export (else two loop runs), copied for each worker count."""
    name = f"dailies_bench_workers_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    with open_store(admin.set(database=name).render_as_string(hide_password=False), create=True) as store:
        if EXPORT.is_file():
            import_export(store, EXPORT)
        else:
            run_loop(store, 2, seed=99, seconds=clip, save=False)
    return name


def drop(admin, name: str) -> None:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


def one_count(admin, template: str, n: int, seconds: float, clip: float, focuses: tuple[str, ...]) -> dict:
    name = f"{template}_{n}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    engine.dispose()
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        with open_store(url) as store:
            before = registry_counts(store)
        fork = multiprocessing.get_context("fork")
        ready, go = fork.Barrier(n + 1), fork.Barrier(n + 1)
        window = fork.Array("d", 2)
        with tempfile.TemporaryDirectory() as tmp:
            outs = [str(Path(tmp) / f"w{i}.json") for i in range(n)]
            procs = [fork.Process(target=worker, args=(url, focuses[i], i + 1, clip, ready, go, window, outs[i]))
                     for i in range(n)]
            for p in procs:
                p.start()
            ready.wait(timeout=600)
            window[0] = time.time()
            window[1] = window[0] + seconds
            go.wait(timeout=60)
            for p in procs:
                p.join()
            if any(p.exitcode != 0 for p in procs):
                raise SystemExit(f"a worker failed: exit codes {[p.exitcode for p in procs]}")
            results = [json.loads(Path(o).read_text()) for o in outs]
        start_at = window[0]
        with open_store(url) as store:
            after = registry_counts(store)
            d = diagnostics(store)
            with store.read() as s:
                dupes = s.scalar(text("SELECT COUNT(*) FROM (SELECT name FROM registry_entry "
                                      "GROUP BY name HAVING COUNT(*) > 1) d"))
        observed = sum((Counter(r["observed"]) for r in results), Counter())
        expected = before + observed
        mismatched = sum(1 for k in set(expected) | set(after) if expected[k] != after[k])
        times = sorted(t for r in results for t in r["seconds"])
        runs = len(times)
        elapsed = max(r["ended"] for r in results) - start_at  # the last run started before stop_at
        return {
            "workers": n, "runs": runs, "rps": runs / elapsed,
            "cpu_per_run": sum(r["cpu"] for r in results) / max(runs, 1),
            "median": statistics.median(times) if times else float("nan"),
            "p95": times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan"),
            "mismatched": mismatched, "observations": sum(observed.values()), "dupes": int(dupes),
            "precision": d.precision_pct, "discovery": d.discovery_rate_pct,
            "missing": sum(len(r["missing"]) for r in results),
        }
    finally:
        drop(admin, name)


def measure(admin, template: str, n: int, args) -> dict:
    load0 = os.getloadavg()[0]
    f = one_count(admin, template, n, args.seconds, args.clip, MIXED if args.mixed else ("all",) * 4)
    print(f"{n} worker(s), {args.seconds:g} s: {f['runs']} runs, {f['rps']:.2f} runs/s, run time median "
          f"{f['median']:.2f} s p95 {f['p95']:.2f} s; {f['observations']:,} observations; "
          f"registry entries off: {f['mismatched']}; duplicate names: {f['dupes']}; diagnostics "
          f"{f['precision']}% learning {f['discovery']}% discovery; load average {load0:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; workers' CPU time in the window "
          f"{f['cpu_per_run']:.2f} s per run", flush=True)
    return f


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg-url", default=os.environ.get("DAILIES_TEST_PG_URL"))
    ap.add_argument("--seconds", type=float, default=20.0, help="how long each worker count runs")
    ap.add_argument("--clip", type=float, default=1.0, help="each run's clip length in seconds")
    ap.add_argument("--mixed", action="store_true",
                    help="focus frame, frame, window, all (default: all for every worker, so that the "
                    "worker counts do the same work per run and compare fairly)")
    args = ap.parse_args()
    if not args.pg_url:
        print("workers bench skipped: it needs a PostgreSQL server (--pg-url URL or DAILIES_TEST_PG_URL)")
        return 0
    admin = make_url(args.pg_url).set(drivername="postgresql+psycopg")
    figures = []
    template = make_template(admin, args.clip)
    try:
        for n in COUNTS:
            figures.append(measure(admin, template, n, args))
    finally:
        drop(admin, template)
    one = figures[0]["rps"] or float("nan")
    cores = os.cpu_count() or 1
    print(f"RESULT loop runs per second, 1 worker: {figures[0]['rps']:.2f} runs/s (goal >= 0.25: "
          f"{verdict(figures[0]['rps'] >= 0.25)})")
    print(f"RESULT loop run time p95, 1 worker: {figures[0]['p95']:.2f} s (goal <= 4: "
          f"{verdict(figures[0]['p95'] <= 4)})")
    for f in figures[1:]:
        n = f["workers"]
        factor = f["rps"] / one
        goal = 0.8 * min(n, cores)  # more workers than cores cannot add speed, only must not lose it
        print(f"RESULT scaling factor, {n} workers vs 1 ({cores} cores): {factor:.2f} x "
              f"(goal >= {goal:.1f}: {verdict(factor >= goal)})")
    cpu_ratio = figures[2]["cpu_per_run"] / figures[0]["cpu_per_run"]
    print(f"RESULT CPU time per run, 4 workers vs 1 (what sharing one store costs, whatever the "
          f"load): {cpu_ratio:.2f} x (goal <= 1.25: {verdict(cpu_ratio <= 1.25)})")
    bad = sum(f["mismatched"] + f["dupes"] + f["missing"] for f in figures)
    bad += sum(f["precision"] != 100.0 or f["discovery"] != 100.0 for f in figures)
    print(f"RESULT registry counts off from the recorded observations, duplicate names and runs "
          f"missing a record, all worker counts: {bad} (goal <= 0: {verdict(bad == 0)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
