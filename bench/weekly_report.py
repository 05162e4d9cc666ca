"""How long the supervisor's weekly review takes on a store of 1,000,000 takes.

Builds (or reuses) bench/out/weekly_<size>.sqlite for each --size: 20,000 shots, 1,000,000 takes over 12
weeks (2026-W36 to 2026-W47) on five targets with two or three system-prompt versions each,
about 85 % reviewed a few days after generation, rejections tagged, some decisions undone and
made again, each chunk written as Dailies writes takes and decisions (the weekly counts kept
beside them, engine.store.review_weeks). Gives the store the report indexes the schema
declares, then times `weekly_report` for 2026-W47 with its 8-week trend: first in this
process with the store's pages evicted from the operating system's file cache, and again;
then `dailies report weekly` in a new process, once as it finds the machine and three times
with the store file's pages evicted first (posix_fadvise DONTNEED), so they read the store
from disk; one page of rejected takes, and the HTML and CSV exports. The report keeps
nothing between runs, so every new process is a first report. Each figure is printed with
the process's CPU time beside the wall time: the machine may be shared, and CPU time shows
how much of the wall time was this work. Goal: `dailies report weekly` in a new process with
nothing cached, at most 1.5 s at 1M takes.

    .venv/bin/python bench/weekly_report.py [--rebuild] [--size 100000 --size 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import (  # noqa: E402
    built_before,
    growth,
    load_note,
    mark_built,
    median,
    p95,
    result,
    size_args,
    sizes,
    unmark_built,
)
from sqlalchemy import func, insert, select  # noqa: E402

from engine.store.db import open_store  # noqa: E402
from engine.store.models import Episode, ReviewDecision, ReviewTag, Shot, Take  # noqa: E402
from engine.store.review_weeks import count_new_takes, counting  # noqa: E402
from engine.takes.reports.export import export_report  # noqa: E402
from engine.takes.reports.rejected import rejected_takes  # noqa: E402
from engine.takes.reports.weekly import weekly_report  # noqa: E402
from engine.takes.reports.weeks import IsoWeek, weeks_ending  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# Whatever a run keeps goes under the bench's own data folder, never the user's.
os.environ["DAILIES_DATA_DIR"] = str(OUT / "user-data")
WEEK = IsoWeek(2026, 47)
WEEKS = 12
SHOTS = 20_000
CHUNK = 50_000
TAGS = ("anatomy_failure", "continuity_error", "camera_composition", "style_lighting")
# target -> (model, [(version, first week index, last week index, rejection rate)])
PROFILES = {
    "nbp": ("gemini-3-pro-image-preview", [("v1.0", 0, 6, 0.34), ("v1.1", 4, 11, 0.29), ("v1.2", 9, 11, 0.26)]),
    "kling_t2v": ("kling-v2.1", [("v1.0", 0, 11, 0.41), ("v1.1", 5, 11, 0.40)]),
    "kling_i2v": ("kling-v2.1", [("v1.0", 0, 11, 0.38)]),
    "veo": ("veo-3.0", [("v1.0", 0, 11, 0.31), ("v1.1", 6, 11, 0.24)]),
    "seeddance": ("seedance-1.0-pro", [("v1.0", 0, 11, 0.45)]),
}
WORDS = (
    "cinematic 35mm film close-up of a weathered courier in a rain-soaked alley, neon signage "
    "reflecting off wet asphalt, Arri Alexa Mini LF, Kodak Vision3 500T, visible grain, "
    "photorealistic, muscles taut, unbalanced dynamic pose, off-axis framing, sodium-vapour "
    "practicals, shallow depth of field, anatomically flawless hands, exactly five fingers per "
    "hand, natural body proportions, subject does not look directly into the lens"
).split()


def _prompt(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(45, 70)))


def build(path: Path, total: int) -> None:
    rng = random.Random(47)
    unmark_built(path)
    if path.exists():
        path.unlink()
    weeks = weeks_ending(WEEK, WEEKS)
    store = open_store(path, create=True)
    started = time.perf_counter()
    with store.write() as s:
        s.execute(insert(Episode), [{"id": e + 1, "code": f"EP{e + 1:02d}", "title": ""} for e in range(20)])
        s.execute(
            insert(Shot),
            [
                {"id": i + 1, "code": f"EP{i % 20 + 1:02d}_SH{i // 20 + 1:04d}", "episode_id": i % 20 + 1,
                 "position": i // 20 + 1}
                for i in range(SHOTS)
            ],
        )
    choices = [(t, m, v, lo, hi, rate) for t, (m, vs) in PROFILES.items() for v, lo, hi, rate in vs]
    numbers = [0] * SHOTS
    take_id = decision_id = 0
    done = 0
    while done < total:
        n = min(CHUNK, total - done)
        takes, decisions, tags = [], [], []
        for _ in range(n):
            take_id += 1
            w = rng.randrange(WEEKS)
            live = [c for c in choices if c[3] <= w <= c[4]]
            target, model, version, _lo, _hi, rate = rng.choice(live)
            shot = rng.randrange(SHOTS)
            numbers[shot] += 1
            made = weeks[w].starts + timedelta(seconds=rng.randrange(7 * 86400))
            failed = rng.random() < 0.02
            takes.append(
                {"id": take_id, "shot_id": shot + 1, "number": numbers[shot], "created_at": made,
                 "prompt": _prompt(rng), "seed": rng.randrange(2**31), "model": model,
                 "pipeline": "keyframe" if target == "nbp" else "video", "target": target,
                 "system_prompt_version": version, "cost": 0.134, "media_kind": "image",
                 "failed": failed}
            )
            if failed or rng.random() > 0.85:
                continue
            at = made + timedelta(seconds=rng.randrange(4 * 86400))
            reject = rng.random() < rate
            decision_id += 1
            decisions.append(
                {"id": decision_id, "take_id": take_id, "reviewer": rng.choice(("ana", "ben", "chloe")),
                 "created_at": at, "action": "reject" if reject else "approve", "note": ""}
            )
            if reject:
                for tag in rng.sample(TAGS, rng.choice((1, 1, 1, 2))):
                    tags.append({"decision_id": decision_id, "tag": tag})
            if rng.random() < 0.03:  # undone a minute later and decided again
                first = decision_id
                decision_id += 1
                decisions.append(
                    {"id": decision_id, "take_id": take_id, "reviewer": "ana",
                     "created_at": at + timedelta(seconds=60), "action": "retract", "note": "",
                     "retracts_id": first}
                )
                decision_id += 1
                decisions.append(
                    {"id": decision_id, "take_id": take_id, "reviewer": "ana",
                     "created_at": at + timedelta(seconds=90), "action": "approve", "note": ""}
                )
        with store.write() as s:
            s.execute(insert(Take), takes)
            # As Dailies writes takes and decisions: the weekly counts follow them.
            count_new_takes(s, [(t["created_at"], t.get("target"), t.get("model"), t.get("system_prompt_version"),
                                 t.get("failed")) for t in takes])
            with counting(s, (d["take_id"] for d in decisions)):
                s.execute(insert(ReviewDecision), [{"retracts_id": None, **d} for d in decisions])
                if tags:
                    s.execute(insert(ReviewTag), tags)
        done += n
        print(f"  built {done:,} takes ({time.perf_counter() - started:.0f} s)", flush=True)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()


def _timed(label: str, work):
    """Run `work`, print its wall and CPU time (the machine is shared: CPU time tells how
    much of the wall time was this process's own work), return (result, wall seconds)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = work()
    wall = time.perf_counter() - t0
    print(f"{label}: {wall:.3f} s wall (CPU {time.process_time() - c0:.3f} s)", flush=True)
    return result, wall


def _ensure_schema_indexes(store) -> None:
    """The store may have been built or measured by an older bench: give it exactly the
    report indexes the schema declares."""
    with store.engine.begin() as conn:
        for table in (Take.__table__, ReviewDecision.__table__):
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        conn.exec_driver_sql("ANALYZE")


def _cold(path: Path) -> None:
    """Nothing kept anywhere: the store file's pages are evicted from the operating system's
    file cache, so a new process reads the store from disk (other files on the machine keep
    theirs). The report keeps nothing of its own between runs."""
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _cli(path: Path) -> float:
    """`dailies report weekly` as a user runs it: a new process, Python start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli.main", "report", "weekly", "--store", str(path), "--week", str(WEEK)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"CLI `dailies report weekly --week {WEEK}` in a new process: {wall:.3f} s wall "
          f"(CPU {cpu:.3f} s), {len(done.stdout.splitlines())} lines printed", flush=True)
    return wall, cpu


def _measure(store, path: Path) -> tuple[float, float, float, float]:
    _cold(path)
    _timed(f"{WEEK} figures alone (no trend), store evicted", lambda: weekly_report(store, WEEK, trend_weeks=1))
    report, first = _timed(f"weekly_report({WEEK}, 8-week trend), first in this process",
                           lambda: weekly_report(store, WEEK, trend_weeks=8))
    _, again = _timed(f"weekly_report({WEEK}, 8-week trend), again in this process",
                      lambda: weekly_report(store, WEEK, trend_weeks=8))
    reviewed = sum(g.reviewed for g in report.groups)
    print(f"  {len(report.groups)} groups, {reviewed:,} takes reviewed in {WEEK}, "
          f"{len(report.comparisons)} comparisons, {len(report.trend)} trend points")
    _cli(path)
    fresh, cpus = [], []
    for _ in range(3):
        _cold(path)
        wall, cpu = _cli(path)
        fresh.append(wall)
        cpus.append(cpu)
    print(f"  (the last three CLI runs started with nothing kept, the store's pages evicted from the "
          f"OS file cache: median {median(fresh):.3f} s, p95 {p95(fresh):.3f} s; CPU median "
          f"{median(cpus):.3f} s, p95 {p95(cpus):.3f} s)")
    biggest = max(report.groups, key=lambda g: g.rejected)
    page, _ = _timed(f"rejected_takes({biggest.key.label}) first page, counted",
                     lambda: rejected_takes(store, WEEK, biggest.key))
    print(f"  {len(page.takes)} takes of {page.total:,}")
    _timed("  next page, total known from the report",
           lambda: rejected_takes(store, WEEK, biggest.key, after=page.next_after, total=biggest.rejected))
    html, _ = _timed("HTML export with rejected prompts",
                     lambda: export_report(store, report, OUT / "weekly.html"))
    print(f"  {html.stat().st_size / 1024:.0f} KiB")
    _timed("CSV export", lambda: export_report(store, report, OUT / "weekly.csv"))
    return first, again, median(fresh), median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the stores again")
    size_args(parser, "takes")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    print(load_note())
    fresh, fresh_cpu = {}, {}
    for size in sizes(args):
        path = OUT / f"weekly_{size}.sqlite"
        if args.rebuild or not built_before(path):
            print(f"building {path} with {size:,} takes ...")
            build(path, size)
            mark_built(path)
        store = open_store(path)
        _ensure_schema_indexes(store)
        with store.read() as s:
            takes = s.scalar(select(func.count()).select_from(Take))
            decisions = s.scalar(select(func.count()).select_from(ReviewDecision))
        print(f"store {path}: {takes:,} takes, {decisions:,} review decisions, "
              f"{path.stat().st_size / 2**20:.0f} MiB; {load_note()}")
        first, again, fresh[size], fresh_cpu[size] = _measure(store, path)
        print(f"in-process weekly_report on {takes:,} takes: first {first:.3f} s, again {again:.3f} s")
        store.close()
    growth("the weekly report in a new process, nothing kept (median, wall)", fresh)
    growth("the weekly report in a new process, nothing kept (median, CPU time)", fresh_cpu)
    print(load_note())
    big = max(fresh)
    result(f"weekly report, new process, {big:,} takes, nothing cached (median)", fresh[big], "s", 1.5)
    # The wall clock of a shared machine is its neighbours' too: the same figure by CPU time.
    result(f"weekly report, new process, {big:,} takes, nothing cached (median, by CPU time)",
           fresh_cpu[big], "s", 1.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
