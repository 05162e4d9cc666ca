"""What every bench prints the same way: machine load, CPU time, the sizes it runs at, the
growth between them, and the closing RESULT line of each figure."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"  # stores that take long to build are kept here (git-ignored)
SIZES = (100_000, 1_000_000)


def size_args(parser: argparse.ArgumentParser, what: str = "rows") -> None:
    parser.add_argument("--size", type=int, action="append",
                        help=f"{what} in the store; give it twice for two sizes "
                             f"(default {SIZES[0]:,} and {SIZES[1]:,}, with the growth between them)")


def sizes(args) -> list[int]:
    return sorted(set(args.size)) if args.size else list(SIZES)


def built_before(path: Path) -> bool:
    """Whether a kept store at `path` was built to the end (mark_built was called after it):
    a build cut short leaves a store that must not be measured."""
    return path.exists() and path.with_name(path.name + ".built").exists()


def mark_built(path: Path) -> None:
    path.with_name(path.name + ".built").write_text("built to the end\n")


def unmark_built(path: Path) -> None:
    path.with_name(path.name + ".built").unlink(missing_ok=True)


def reference_work_s() -> float:
    """CPU seconds of a fixed piece of work (a Python loop and 100,000 SQLite inserts in
    memory), median of three: figures from machines of different speeds compare through it."""
    import sqlite3

    times = []
    for _ in range(3):
        start = time.process_time()
        sum(i * i for i in range(1_000_000))
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE t (a INTEGER, b TEXT)")
        db.executemany("INSERT INTO t VALUES (?, ?)", ((i, f"row {i}") for i in range(100_000)))
        db.close()
        times.append(time.process_time() - start)
    return statistics.median(times)


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return (f"machine load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores; "
            f"reference work {reference_work_s():.3f} s CPU (lower is a faster machine)")


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def growth(label: str, by_size: dict[int, float]) -> None:
    """How the cost grew from the smallest to the largest size."""
    if len(by_size) < 2:
        return
    small, big = min(by_size), max(by_size)
    if by_size[small] > 0:
        print(f"growth of {label}: {by_size[big] / by_size[small]:.1f}x for {big / small:.0f}x the size "
              f"({small:,} -> {big:,})")


def result(figure: str, value: float, unit: str, goal: float, *, at_least: bool = False, fmt: str = ".3f") -> bool:
    """The closing line of a figure; True when it meets the goal."""
    ok = value >= goal if at_least else value <= goal
    sign = ">=" if at_least else "<="
    print(f"RESULT {figure}: {value:{fmt}} {unit} (goal {sign} {goal:g} {unit}: {'meets' if ok else 'MISSES'})",
          flush=True)
    return ok
