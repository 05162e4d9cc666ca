"""The operator's view: `dailies loop` stopped by SIGTERM between runs, `dailies workers
status`, `diagnostics` per worker, and `sound-loop` / `interpret-loop` as workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from engine.cli.main import main
from engine.store.db import open_store
from engine.workers.claims import claim
from engine.workers.heartbeat import register

REPO = Path(__file__).resolve().parents[3]


def _count(store, sql: str, **params) -> int:
    with store.read() as s:
        return int(s.scalar(text(sql), params))


def test_sigterm_stops_a_loop_worker_between_runs(store, capsys):
    path = str(store.location.path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "engine.cli.main", "loop", "--store", path, "--runs", "500",
         "--seconds", "0.5", "--no-save", "--focus", "frame"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 300
        while _count(store, "SELECT COUNT(*) FROM worker_run") < 1:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker recorded no run: {proc.communicate()[1][-2000:]}")
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping after this run" in err
    runs = out.count("Growth [frame]")
    assert 1 <= runs < 500 and f"Diversity over {runs} runs" in out
    assert _count(store, "SELECT COUNT(*) FROM creation_job") == runs
    assert _count(store, "SELECT COUNT(*) FROM learning_run") == _count(store, "SELECT COUNT(*) FROM discovery_run") == runs
    assert _count(store, "SELECT runs FROM worker WHERE stopped_at IS NOT NULL") == runs

    assert main(["workers", "status", "--store", path]) == 0
    assert capsys.readouterr().out.strip() == "no live workers"
    assert main(["workers", "status", "--store", path, "--all", "--json"]) == 0
    (w,) = json.loads(capsys.readouterr().out)["workers"]
    assert (w["command"], w["focus"], w["runs"], w["live"], w["pid"]) == ("loop", "frame", runs, False, proc.pid)

    assert main(["diagnostics", "--store", path]) == 0
    out = capsys.readouterr().out
    assert f"worker {w['id']} [frame]: {runs} jobs, learning 100.0%, discovery 100.0%, missing 0" in out
    assert main(["diagnostics", "--store", path, "--json"]) == 0
    (per,) = json.loads(capsys.readouterr().out)["by_worker"]
    assert (per["worker"], per["jobs"], per["precision_pct"]) == (w["id"], runs, 100.0)


def test_workers_status_lists_live_workers_and_their_claims(store, capsys):
    path = str(store.location.path)
    live = register(store, "loop", "window")
    gone = register(store, "loop", "frame")
    with store.write() as s:  # a worker that went silent long ago (killed, or its machine lost)
        s.execute(text("UPDATE worker SET heartbeat_at = '2000-01-01 00:00:00' WHERE id = :w"), {"w": gone.id})
    assert claim(store, "backfill", live.id)
    assert main(["workers", "status", "--store", path]) == 0
    out = capsys.readouterr().out
    assert live.id in out and "window" in out and "live" in out and gone.id not in out
    assert f"claim backfill: held by {live.id}" in out
    assert main(["workers", "status", "--store", path, "--all"]) == 0
    assert "silent" in capsys.readouterr().out


def test_sound_loop_and_interpret_loop_run_as_workers(store, capsys):
    path = str(store.location.path)
    assert main(["sound-loop", "--store", path, "--cycles", "1", "--seconds", "0.5", "--seed", "3"]) == 0
    assert main(["interpret-loop", "--store", path, "--cycles", "2", "--generate", "2", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert out.count("[cycle] interpreted") == 2
    with open_store(path) as again, again.read() as s:
        rows = s.execute(text("SELECT command, focus, runs, stopped_at IS NOT NULL FROM worker ORDER BY started_at")).all()
        credited = s.scalar(text("SELECT COUNT(*) FROM worker_run r JOIN creation_job j ON j.ref = r.job_ref"))
    assert [tuple(r) for r in rows] == [("sound-loop", "frame", 1, True), ("interpret-loop", "interpret", 2, True)]
    assert credited == 1
