"""`dailies export otio`: the demo episode as a timeline an editor's tools read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import opentimelineio as otio
import pytest

from engine.cli.main import main
from engine.core.review_config import review_config
from engine.store.db import open_store
from engine.store.notes import add_note, standing_notes
from engine.store.reviews import standing_decisions
from engine.store.shots import list_shots
from engine.store.takes import list_takes


@pytest.fixture
def demo(demo_store_path, tmp_path) -> Path:
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_store_path, copy)
    shutil.copytree(demo_store_path.with_name("demo.media"), tmp_path / "demo.media")
    return copy


def _expected(store, status="approved"):
    """(shot, chosen take or None) in sequence order, the way a reader of the store sees it."""
    with store.read() as s:
        shots = list_shots(s, "EP01")
        out = []
        for shot in shots:
            takes = [t for t in list_takes(s, shot.code) if t.status == status]
            out.append((shot.code, takes[-1] if takes else None))
        ids = [t.id for _, t in out if t is not None]
        return out, standing_notes(s, ids), standing_decisions(s, ids)


def _note_some_takes(store):
    """A box on a still, a ranged note with a tag on a clip: things an editor must see."""
    with store.write() as s:
        approved = [t for shot in list_shots(s, "EP01") for t in list_takes(s, shot.code)
                    if t.status == "approved"]
        still = next(t for t in approved if t.media_kind == "image")
        add_note(s, still.id, author="ana.ruiz", kind="box", points=(0.1, 0.1, 0.3, 0.2),
                 text="hands merge into the rail")
        clip = next((t for t in approved if t.media_kind == "clip"), None)
        if clip is not None:
            add_note(s, clip.id, author="ben.okafor", kind="arrow", points=(0.2, 0.2, 0.5, 0.5),
                     text="eyeline drifts", tag=review_config().tags[0], frame_start=10, frame_end=20)
        return still, clip


def test_the_timeline_has_one_item_per_shot_with_takes_notes_and_provenance(demo, tmp_path, capsys):
    with open_store(demo) as store:
        still, clip = _note_some_takes(store)
        expected, notes, decisions = _expected(store)
    out = tmp_path / "EP01.otio"
    assert main(["export", "otio", "--store", str(demo), "--episode", "EP01", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    timeline = otio.adapters.read_from_file(str(out))
    [track] = timeline.tracks
    items = list(track)
    assert [i.name for i in items] == [code for code, _ in expected]
    assert any(t is None for _, t in expected) and any(t is not None for _, t in expected)
    for item, (code, take) in zip(items, expected, strict=True):
        if take is None:
            assert isinstance(item, otio.schema.Gap), code
            assert item.duration().to_seconds() == pytest.approx(2.0)
            continue
        assert isinstance(item, otio.schema.Clip), code
        meta = item.metadata["dailies"]
        assert (meta["take"], meta["prompt"], meta["seed"], meta["model"], meta["system_prompt_version"]) == (
            take.ref, take.prompt, take.seed, take.model, take.system_prompt_version)
        target = Path(item.media_reference.target_url.removeprefix("file://"))
        assert target.name == Path(take.output_path).name and target.is_file()
        if take.media_kind == "clip":
            assert item.duration().rate == 24 and item.duration().value == 48  # the demo's clips
        else:
            assert item.duration().to_seconds() == pytest.approx(2.0)
        decision = decisions[take.id].decision
        tags = list(decision.tags) if decision else []
        assert sorted(m.name for m in item.markers) == sorted(
            [f"note: {n.text or n.kind}" + (f" [{n.tag}]" if n.tag else "") for n in notes[take.id]]
            + [f"tag: {t}" for t in tags])
    noted = next(i for i in items if i.name == still.shot)
    assert [m.metadata["dailies"]["text"] for m in noted.markers] == ["hands merge into the rail"]
    if clip is not None:
        [marker] = [m for m in next(i for i in items if i.name == clip.shot).markers
                    if m.name.startswith("note:")]
        assert (marker.marked_range.start_time.value, marker.marked_range.duration.value) == (9, 11)


def test_rejected_takes_carry_one_marker_per_rejection_tag(demo, tmp_path):
    with open_store(demo) as store:
        expected, _, decisions = _expected(store, "rejected")
    out = tmp_path / "rejected.otio"
    assert main(["export", "otio", "--store", str(demo), "--episode", "EP01", "--out", str(out),
                 "--status", "rejected", "--still-duration", "3"]) == 0
    items = list(otio.adapters.read_from_file(str(out)).tracks[0])
    tagged = 0
    for item, (_code, take) in zip(items, expected, strict=True):
        if take is None:
            assert isinstance(item, otio.schema.Gap) and item.duration().to_seconds() == pytest.approx(3.0)
            continue
        tags = decisions[take.id].decision.tags
        assert sorted(m.name for m in item.markers) == sorted(f"tag: {t}" for t in tags)
        tagged += len(tags)
    assert tagged > 0


def test_the_edl_reads_back_with_one_event_per_shot_with_a_take(demo, tmp_path):
    with open_store(demo) as store:
        expected, _, _ = _expected(store)
    out = tmp_path / "EP01.edl"
    assert main(["export", "otio", "--store", str(demo), "--episode", "EP01", "--out", str(out),
                 "--format", "edl"]) == 0
    text = out.read_text()
    assert text.startswith("TITLE: EP01")
    timeline = otio.adapters.read_from_file(str(out), adapter_name="cmx_3600")
    clips = [i for i in timeline.tracks[0] if isinstance(i, otio.schema.Clip)]
    assert [c.name for c in clips] == [code for code, t in expected if t is not None]
    # Every demo item lasts 2 s: stills and gaps by the default, clips are 48 frames at 24 fps.
    total = sum(i.duration().to_seconds() for i in timeline.tracks[0])
    assert total == pytest.approx(2.0 * len(expected))


def test_an_unknown_episode_is_one_line_and_writes_nothing(demo, tmp_path, capsys):
    out = tmp_path / "none.otio"
    assert main(["export", "otio", "--store", str(demo), "--episode", "EP09", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"dailies: error: no episode 'EP09' in store {demo} (episodes: EP01)")
    assert not out.exists()
