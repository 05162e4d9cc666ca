"""Running loop workers as separate processes against one store, and reading the store back."""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from engine.procedural.discovery.loop import run_loop
from engine.store.db import open_store
from tests.engine.workers.worker_proc import SMALL, work

FORK = multiprocessing.get_context("fork")


def spawn(store: str, focus: str, runs: int, seed: int, out: Path, hang: Path | None = None):
    """A worker process (forked: it starts with this process's imports, not from nothing)."""
    proc = FORK.Process(target=work, args=(store, focus, runs, seed, str(out), str(hang) if hang else None))
    proc.start()
    return proc


def finish(proc) -> None:
    proc.join(timeout=300)
    assert proc.exitcode == 0, f"worker {proc.pid} ended with {proc.exitcode} (its traceback is above)"


def wait_for_file(path: Path, proc) -> str:
    deadline = time.monotonic() + 300
    while not path.exists() or not path.read_text():
        if not proc.is_alive():
            pytest.fail(f"the worker ended ({proc.exitcode}) before its run was under way")
        if time.monotonic() > deadline:
            pytest.fail("the worker never reached its run's commit")
        time.sleep(0.05)
    return path.read_text()


def registry_counts(store) -> Counter:
    """{(registry, aspect, key): count} of every observed entry, from the source rows."""
    with store.read() as s:
        rows = s.execute(text(
            "SELECT e.registry, e.aspect, e.key, SUM(s.times) FROM registry_entry e "
            "JOIN registry_source s ON s.entry_id = e.id GROUP BY e.registry, e.aspect, e.key")).all()
    return Counter({(r, a, k): int(n) for r, a, k, n in rows})


def extracted(results: list[dict]) -> Counter:
    """The observations the workers' runs made, as they saw them in memory."""
    total: Counter = Counter()
    for result in results:
        for by_aspect in result["runs"].values():
            for where, counts in by_aspect.items():
                reg, aspect = where.split("/")
                total.update({(reg, aspect, k): n for k, n in counts.items()})
    return total


def duplicate_names(store) -> list:
    with store.read() as s:
        return s.execute(text(
            "SELECT name, COUNT(*) FROM registry_entry GROUP BY name HAVING COUNT(*) > 1")).all()


def runs_not_recorded_once(store, worker_refs: list[str]) -> list:
    """Loop jobs without exactly one learning and one discovery record, and the workers' runs
    not credited to exactly one worker."""
    with store.read() as s:
        rows = s.execute(text(
            "SELECT j.ref, "
            "(SELECT COUNT(*) FROM learning_run l WHERE l.job_ref = j.ref) AS learned, "
            "(SELECT COUNT(*) FROM discovery_run d WHERE d.job_ref = j.ref) AS discovered, "
            "(SELECT COUNT(*) FROM worker_run w WHERE w.job_ref = j.ref) AS workers "
            "FROM creation_job j WHERE j.ref LIKE 'loop-%'")).all()
    mine = set(worker_refs)
    return [tuple(r) for r in rows
            if (r.learned, r.discovered, r.workers) != (1, 1, 1 if r.ref in mine else 0)]


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request, tmp_path):
    """(spec, store) of a store that already holds some discoveries, as a team's would."""
    if request.param == "sqlite":
        spec = str(tmp_path / "shared.sqlite")
    else:
        spec = request.getfixturevalue("pg_url")
    store = open_store(spec, create=True)
    run_loop(store, 1, seed=99, environ={}, **SMALL)
    yield spec, store
    store.close()


def load(path: Path) -> dict:
    return json.loads(path.read_text())
