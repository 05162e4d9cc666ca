"""The discovery loop: diverse runs, growth by focus, and a learning and a discovery record
for every run (or a Missing ... line when one cannot be written)."""

import numpy as np
from sqlalchemy import text

from engine.cli.main import main
from engine.procedural.discovery.loop import run_loop
from engine.procedural.registries.health import diagnostics
from engine.procedural.registries.query import entry_total

SMALL = {"size": (320, 180), "seconds": 1.0, "save": False}


def test_pure_per_frame_creation_does_not_collapse(store):
    summary = run_loop(store, 8, seed=3, environ={}, **SMALL)
    assert summary.runs == 8
    assert summary.distinct_palettes >= 7
    assert summary.distinct_motions >= 6
    assert summary.distinct_cameras >= 6
    assert summary.distinct_sound_pairings >= 5
    assert summary.distinct_colours_found >= 12  # many colours, not one
    assert summary.distinct_cameras_found >= 3
    for o in summary.outcomes:
        assert len(o.extracted.colours) >= 2  # every clip holds several colours
        assert o.growth_line.startswith("Growth [all] ")
    # palette colours are found again by extraction in most runs
    found = sum(bool(set(o.palette) & set(o.extracted.colours)) for o in summary.outcomes)
    assert found >= 6
    d = diagnostics(store)
    assert d.jobs == 8 and d.missing == () and d.precision_pct == 100.0 and d.discovery_rate_pct == 100.0


def test_frame_focus_grows_only_pure_values(store):
    with store.read() as s:
        cameras_before = entry_total(s, "blended", "camera")
    summary = run_loop(store, 2, seed=1, environ={"LOOP_EXTRACTION_FOCUS": "frame"}, **SMALL)
    assert summary.focus == "frame"
    assert all(o.growth_line.startswith("Growth [frame] ") for o in summary.outcomes)
    assert set(summary.new_entries) <= {"colour", "sound"}
    with store.read() as s:
        assert entry_total(s, "blended", "camera") == cameras_before
        focuses = s.execute(text("SELECT DISTINCT focus FROM discovery_run")).scalars().all()
    assert focuses == ["frame"]


def test_window_focus_grows_only_blended_values(store):
    summary = run_loop(store, 2, seed=2, environ={"LOOP_EXTRACTION_FOCUS": "window"}, **SMALL)
    assert all(o.growth_line.startswith("Growth [window] ") for o in summary.outcomes)
    assert not {"colour", "sound"} & set(summary.new_entries)
    assert summary.new_entries.get("camera", 0) >= 1


def test_a_learning_record_that_cannot_be_written_is_reported(store):
    with store.write() as s:
        s.execute(text(
            "CREATE TRIGGER refuse_learning BEFORE INSERT ON learning_run "
            "BEGIN SELECT RAISE(ABORT, 'learning refused'); END"))
    summary = run_loop(store, 1, seed=4, environ={}, **SMALL)
    ref = summary.outcomes[0].ref
    assert summary.missing == (f"Missing learning (job_id={ref})",)
    d = diagnostics(store)
    assert d.missing == (f"Missing learning (job_id={ref})",)


def test_cli_loop_then_diagnostics_shows_nothing_missing(store, capsys):
    path = str(store.location.path)
    assert main(["loop", "--store", path, "--runs", "2", "--seed", "7", "--seconds", "1", "--no-save"]) == 0
    out = capsys.readouterr().out
    assert out.count("Growth [") == 2
    assert "Diversity over 2 runs: 2 palettes" in out
    assert main(["diagnostics", "--store", path]) == 0
    out = capsys.readouterr().out
    assert "Missing" not in out and "precision 100.0%" in out


def test_same_seed_same_choices(store, tmp_path):
    from engine.store.db import open_store

    a = run_loop(store, 2, seed=11, environ={}, **SMALL)
    with open_store(tmp_path / "other.sqlite", create=True) as other:
        b = run_loop(other, 2, seed=11, environ={}, **SMALL)
    assert [o.palette for o in a.outcomes] == [o.palette for o in b.outcomes]
    assert [o.camera for o in a.outcomes] == [o.camera for o in b.outcomes]
    assert np.isfinite(a.seconds)
