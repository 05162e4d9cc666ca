"""Four loop workers growing one store at once (SQLite and PostgreSQL), and a worker killed
in the middle of recording a run."""

from __future__ import annotations

import os
import signal

from sqlalchemy import text

from engine.procedural.registries.health import diagnostics
from engine.workers.heartbeat import worker_status
from engine.workers.runs import diagnostics_by_worker
from tests.engine.workers.conftest import (
    duplicate_names,
    extracted,
    finish,
    load,
    registry_counts,
    runs_not_recorded_once,
    spawn,
    wait_for_file,
)

FOCUSES = ("frame", "frame", "window", "all")
RUNS = 2


def test_four_workers_record_every_run_once_on_one_registry(shared_store, tmp_path):
    spec, store = shared_store
    before = registry_counts(store)
    outs = [tmp_path / f"worker{i}.json" for i in range(len(FOCUSES))]
    procs = [spawn(spec, focus, RUNS, seed=i, out=out) for i, (focus, out) in enumerate(zip(FOCUSES, outs, strict=True))]
    for p in procs:
        finish(p)
    results = [load(o) for o in outs]

    refs = [ref for r in results for ref in r["runs"]]
    assert len(refs) == len(set(refs)) == len(FOCUSES) * RUNS
    assert all(r["missing"] == [] for r in results)
    assert runs_not_recorded_once(store, refs) == []
    with store.read() as s:
        stored_refs = set(s.scalars(text("SELECT ref FROM creation_job WHERE ref LIKE 'loop-%'")))
    assert set(refs) <= stored_refs and len(stored_refs) == len(refs) + 1  # + the store's own first run

    # Two workers that found the same value share one entry, and its count is the sum of
    # what every run saw: the store holds exactly what was there plus what the runs extracted.
    assert registry_counts(store) == before + extracted(results)
    assert duplicate_names(store) == []

    d = diagnostics(store)
    assert (d.precision_pct, d.discovery_rate_pct, d.missing) == (100.0, 100.0, ())
    per_worker = {w.worker: w for w in diagnostics_by_worker(store)}
    for r, focus in zip(results, FOCUSES, strict=True):
        w = per_worker[r["worker"]]
        assert (w.jobs, w.focus, w.precision_pct, w.discovery_rate_pct) == (RUNS, focus, 100.0, 100.0)
    workers = {w.id: w for w in worker_status(store, include_gone=True)}
    assert {r["worker"] for r in results} <= set(workers)
    assert all(workers[r["worker"]].runs == RUNS and workers[r["worker"]].stopped_at for r in results)
    assert worker_status(store) == []  # all stopped: none live


def test_a_worker_killed_mid_run_leaves_no_partial_run_and_the_others_go_on(shared_store, tmp_path):
    spec, store = shared_store
    before = registry_counts(store)
    hang = tmp_path / "hang.txt"
    victim = spawn(spec, "all", 1, seed=7, out=tmp_path / "victim.json", hang=hang)
    ref = wait_for_file(hang, victim)  # its run is written, not yet committed
    outs = [tmp_path / f"worker{i}.json" for i in range(2)]
    others = [spawn(spec, focus, 2, seed=20 + i, out=out) for i, (focus, out) in enumerate(zip(FOCUSES[:2], outs, strict=True))]
    os.kill(victim.pid, signal.SIGKILL)
    victim.join(timeout=60)
    assert victim.exitcode == -signal.SIGKILL
    for p in others:
        finish(p)
    results = [load(o) for o in outs]

    with store.read() as s:
        for table, column in (("creation_job", "ref"), ("learning_run", "job_ref"), ("discovery_run", "job_ref"),
                              ("registry_source", "ref"), ("worker_run", "job_ref")):
            n = s.scalar(text(f"SELECT COUNT(*) FROM {table} WHERE {column} = :r"), {"r": ref})
            assert n == 0, f"{table} kept {n} rows of the killed run {ref}"
        victim_row = s.execute(text("SELECT runs, stopped_at FROM worker WHERE pid = :p"), {"p": victim.pid}).one()
    assert tuple(victim_row) == (0, None)  # it never said it stopped: its heartbeat just ends
    assert sum(len(r["runs"]) for r in results) == 2 * 2
    assert runs_not_recorded_once(store, [ref for r in results for ref in r["runs"]]) == []
    assert registry_counts(store) == before + extracted(results)
    assert duplicate_names(store) == []
    d = diagnostics(store)
    assert (d.precision_pct, d.discovery_rate_pct) == (100.0, 100.0)
