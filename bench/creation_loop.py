"""Creation loop figure: create-extract-record runs of a 3 s 640x360 clip at 24 fps (render,
mix, write the H.264+AAC mp4, extract colours per frame, sounds per 1/24 s and blended
values per second, record everything with a learning and a discovery record).
Goal: at least one run per 2 s.

    .venv/bin/python bench/creation_loop.py --seed 1 [--runs 6]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.procedural.discovery.loop import run_loop  # noqa: E402
from engine.store.db import open_store  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=6)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.sqlite", create=True) as store:
        run_loop(store, 1, seed=args.seed + 1000, environ={})  # warm-up: imports, first encoder
        t0, c0 = time.perf_counter(), time.process_time()
        summary = run_loop(store, args.runs, seed=args.seed, environ={})
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    per_run = [o.seconds for o in summary.outcomes]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"creation loop: {args.runs} runs of a 3 s 640x360 clip in {wall:.2f} s: "
          f"{args.runs / wall:.2f} runs/s, {wall / args.runs:.2f} s per run "
          f"(fastest {min(per_run):.2f} s, slowest {max(per_run):.2f} s); "
          f"goal <= 2.00 s per run: {'met' if wall / args.runs <= 2.0 else 'NOT met'} "
          f"(load average {load:.1f} on {os.cpu_count()} cores)")
    print(f"CPU time: {cpu / args.runs:.2f} s per run (all threads of this process)")
    print(summary.diversity_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
