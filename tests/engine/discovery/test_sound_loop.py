"""The sound loop: whole cycles recorded, underused sounds favoured, Ctrl+C between cycles."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from engine.cli.main import COMMAND_MODULES
from engine.procedural.discovery.sound_loop import (
    SoundUsage,
    choose_mix,
    run_sound_loop,
)
from engine.procedural.registries import query
from engine.procedural.registries.models import (
    CreationJob,
    DiscoveryRun,
    LearningRun,
    RegistrySource,
)
from engine.store.db import open_store

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "sounds.sqlite", create=True)
    yield s
    s.close()


def _rows(store, model) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def _discovered(store):
    with store.read() as s:
        return [e for e in query.entries(s, "pure", "sound") if not e.is_origin]


def test_each_cycle_leaves_a_job_a_learning_and_a_discovery_record_and_named_sounds(store):
    lines = []
    summary = run_sound_loop(store, cycles=3, seed=4, seconds=1.0, progress=lambda r: lines.append(r.line()))
    assert summary.cycles == 3 and not summary.stopped
    assert _rows(store, CreationJob) == _rows(store, LearningRun) == _rows(store, DiscoveryRun) == 3
    sounds = _discovered(store)
    assert sounds and summary.new_components == len([e for e in sounds if "+" not in e.key])
    names = [e.name for e in sounds]
    assert len(set(names)) == len(names) and all(n.strip() for n in names)
    assert all("Growth [frame] sound=" in line and "precision" in line for line in lines)
    # every observed frame-component is counted: 24 frames per cycle, at least one each
    assert sum(e.count for e in sounds if "+" not in e.key) >= 3 * 24


def test_a_second_run_counts_known_sounds_again_instead_of_renaming_them(store):
    run_sound_loop(store, cycles=2, seed=9, seconds=1.0)
    before = {e.key: (e.name, e.count) for e in _discovered(store)}
    run_sound_loop(store, cycles=2, seed=9, seconds=1.0)
    after = {e.key: (e.name, e.count) for e in _discovered(store)}
    for key, (name, count) in before.items():
        assert after[key][0] == name
        assert after[key][1] >= count


def test_combinations_are_recorded_with_their_component_breakdown(store):
    summary = run_sound_loop(store, cycles=4, seed=2, seconds=1.0)
    composites = [e for e in _discovered(store) if "+" in e.key]
    assert composites and summary.new_composites == len(composites)
    plain = {e.key for e in _discovered(store) if "+" not in e.key}
    for e in composites:
        parts = e.key.split("+")
        assert set(parts) <= plain  # each component was recorded on its own too
        amps = [float(p.split("_")[0]) for p in parts]
        assert amps == sorted(amps, reverse=True)  # loudest first
        timbres = [p.split("_")[2] for p in parts]
        assert sorted(e.depth) == sorted(timbres)
        assert sum(e.depth.values()) == 100
        assert e.depth[timbres[0]] == max(e.depth.values())
        assert e.value == {"components": parts}
        assert " with " in e.name and not any(ch.isdigit() for ch in e.name)  # every part named


def test_choice_favours_the_least_seen_origins():
    usage = SoundUsage(by_origin={o: 5000 for o in ("hum", "rumble", "tone", "hiss")}, by_key={})
    rng = np.random.default_rng(0)
    seen = Counter(n for _ in range(300) for n in choose_mix(usage, rng)[0])
    assert sum(seen[o] for o in ("hum", "rumble", "tone", "hiss")) < 0.02 * sum(seen.values())
    assert {"click", "drip", "thump", "whoosh", "rustle"} <= set(seen)


def test_cancel_stops_between_cycles(store):
    done = []
    summary = run_sound_loop(
        store, seed=1, seconds=0.5, progress=done.append, cancel=lambda: len(done) >= 2
    )
    assert summary.stopped and summary.cycles == 2
    assert _rows(store, CreationJob) == 2


def _loop_command(store_path: Path) -> list[str]:
    args = ["sound-loop", "--store", str(store_path), "--seed", "5", "--seconds", "1"]
    if "engine.cli.sound_cmds" in COMMAND_MODULES:
        return [str(Path(sys.executable).with_name("dailies")), *args]
    code = (
        "import sys; from engine.cli.main import main; from engine.cli.sound_cmds import register; "
        "sys.exit(main(sys.argv[1:], extra=[register]))"
    )
    return [sys.executable, "-c", code, *args]


# Generous on purpose: on a loaded machine a cycle can take many times its usual second.
PATIENCE_S = 600


def _pump(stream, sink) -> None:
    for line in stream:
        sink(line)


def test_ctrl_c_leaves_only_whole_cycles(tmp_path):
    path = tmp_path / "loop.sqlite"
    proc = subprocess.Popen(
        _loop_command(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    # Both pipes are read by threads all along: the loop never blocks on a full pipe, and
    # the test waits on lines with a deadline instead of a blocking read.
    out_lines: queue.Queue = queue.Queue()
    err_lines: list[str] = []
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, out_lines.put), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, err_lines.append), daemon=True),
    ]
    for t in readers:
        t.start()
    lines: list[str] = []
    try:
        deadline = time.monotonic() + PATIENCE_S
        while sum(x.startswith("cycle ") for x in lines) < 2:
            try:
                lines.append(out_lines.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                pytest.fail(f"no two cycles within {PATIENCE_S} s: {''.join(lines + err_lines)}")
        assert proc.poll() is None, "the loop ended by itself"
        proc.send_signal(signal.SIGINT)  # lands inside a later cycle (or just before one)
        proc.wait(timeout=PATIENCE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for t in readers:
        t.join(timeout=30)
    while not out_lines.empty():
        lines.append(out_lines.get())
    err = "".join(err_lines)
    assert proc.returncode == 0, err
    assert "stopping after this cycle" in err
    cycles = sum(x.startswith("cycle ") for x in lines)
    assert cycles >= 2 and f"stopped: {cycles} cycles" in lines[-1]
    store = open_store(path)
    try:
        assert _rows(store, CreationJob) == _rows(store, LearningRun) == _rows(store, DiscoveryRun) == cycles
        with store.read() as s:
            refs = set(s.scalars(select(CreationJob.ref)))
            sourced = set(s.scalars(select(RegistrySource.ref).where(RegistrySource.kind == "discovery")))
        assert refs == sourced  # every recorded job's sounds are there, and no orphan sounds
    finally:
        store.close()
