"""One loop worker for the tests, run in its own process: `dailies loop`'s own engine calls
(a registered worker with a heartbeat, stopped by SIGINT/SIGTERM between runs) on small
frames, writing what it extracted per run to a JSON file so a test can check the store
against it. The tests fork it (no second interpreter start-up); it also runs on its own:

    python -m tests.engine.workers.worker_proc STORE FOCUS RUNS SEED OUT.json [--hang FILE]

hang: in the last run's transaction, once everything is written but before the commit, write
the run's job ref to that file and wait (the test then kills the process: a run killed
mid-transaction).
"""

from __future__ import annotations

import argparse
import json
import time

from engine.procedural.discovery.loop import run_loop
from engine.store.db import open_store
from engine.workers.heartbeat import WorkerHandle
from engine.workers.worker import as_worker

SMALL = {"size": (160, 90), "seconds": 0.5, "save": False}


def work(spec: str, focus: str, runs: int, seed: int, out: str, hang: str | None = None) -> None:
    store = open_store(spec)
    if hang:
        done = {"n": 0}
        attribute = WorkerHandle.attribute

        def attribute_then_hang(self, session, job_ref):
            attribute(self, session, job_ref)
            done["n"] += 1
            if done["n"] == runs:
                with open(hang, "w") as f:
                    f.write(job_ref)
                time.sleep(600)

        WorkerHandle.attribute = attribute_then_hang
    with as_worker(store, "loop", focus, interval=0.5) as (worker, stop):
        summary = run_loop(store, runs, seed=seed, focus=focus, worker=worker, cancel=stop, **SMALL)
    result = {
        o.ref: {f"{reg}/{aspect}": dict(counts) for (reg, aspect), counts in o.extracted.by_aspect().items()}
        for o in summary.outcomes
    }
    with open(out, "w") as f:
        json.dump({"worker": worker.id, "runs": result, "missing": list(summary.missing)}, f)
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    for name in ("store", "focus"):
        ap.add_argument(name)
    ap.add_argument("runs", type=int)
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--hang")
    a = ap.parse_args()
    work(a.store, a.focus, a.runs, a.seed, a.out, a.hang)


if __name__ == "__main__":
    main()
