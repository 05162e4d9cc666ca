"""Nothing outside its room: shot codes are safe folder names, take files stay inside the
store's media folder whatever recorded them, and only a recorded take leaves a file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from engine.cli.main import main
from engine.core.errors import MediaError, StoreError
from engine.store.models import Shot, Take
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take, list_takes
from tests.engine.store.template import copied_store, template_store  # noqa: F401  (fixtures)
from tests.fakes.fixtures import fake_gemini  # noqa: F401  (a fixture)

from .helpers import PLAN, add_shots, image

BAD_CODES = ["/some/dir/victim", "../../..", "..", "a/b", "a\\b", "", "   ", "sh 010", "SH..010",
             ".hidden", "-rf", "SH\x00010", "SH\u2028", "x" * 129, "C:evil", "SH010/../../x"]


@pytest.mark.parametrize("code", BAD_CODES)
def test_shots_add_refuses_a_code_that_is_not_a_safe_folder_name(store, code, capsys):
    spec = str(store.location.path)
    assert main(["shots", "add", "--store", spec, "--episode", "EP01", f"--code={code}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "code" in err
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Shot)) == 0


@pytest.mark.parametrize("code", ["EP01_SC01_SH010", "SH010", "sh-010.v2", "A", "x" * 128])
def test_ordinary_codes_are_accepted(store, code):
    add_shots(store, code)
    with store.read() as s:
        assert s.scalar(select(Shot.code)) == code


def test_appending_to_a_shot_whose_code_is_unsafe_is_refused(store):
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH010")
        s.execute(text("UPDATE shot SET code = '../../victim'"))  # as an old store may hold
    with pytest.raises(StoreError, match="shot code"), store.write() as s:
        append_take(s, NewTake(shot="../../victim", model="m", pipeline="keyframe"))


def test_generate_never_writes_outside_the_media_folder(store, fake_gemini, tmp_path, capsys):  # noqa: F811
    from tests.fakes import Reply

    victim = tmp_path / "victim"
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH010", plan=PLAN)
        s.execute(text("UPDATE shot SET code = :c"), {"c": str(victim)})
    fake_gemini.script(Reply(text="Arri Alexa Mini LF still: a flooded platform, Mara runs."))
    assert main(["generate", "--store", str(store.location.path), "--shot", str(victim)]) == 2
    assert not victim.exists()
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0


def test_a_seed_out_of_range_is_refused_before_any_image_is_paid_for(store, fake_gemini, capsys):  # noqa: F811
    add_shots(store, "SH010")
    code = main(["generate", "--store", str(store.location.path), "--shot", "SH010", "--seed", str(2**63)])
    assert code == 2 and "seed" in capsys.readouterr().err
    assert not any(r.wants_image for r in fake_gemini.requests)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0


def test_a_take_the_store_refuses_leaves_no_file(store, fake_gemini, capsys, monkeypatch):  # noqa: F811
    from engine.takes import generation
    from tests.fakes import Reply

    def refuse(*_args, **_kw):  # as when a racing writer made the insert fail
        raise StoreError("the store refused the take")

    add_shots(store, "SH010")
    monkeypatch.setattr(generation, "append_take", refuse)
    fake_gemini.script(Reply(text="Arri Alexa Mini LF still: a flooded platform, Mara runs."))
    assert main(["generate", "--store", str(store.location.path), "--shot", "SH010", "--seed", "5"]) == 2
    assert any(r.wants_image for r in fake_gemini.requests)  # the image was made ...
    assert [p for p in store.media_dir.rglob("*") if p.is_file()] == []  # ... and not left behind


def test_staged_files_appear_on_commit_and_vanish_on_rollback(store):
    from engine.store.media_files import stage_bytes

    kept, dropped = store.media_dir / "a" / "kept.png", store.media_dir / "a" / "dropped.png"
    with store.write() as s:
        stage_bytes(s, kept, b"kept")
        assert not kept.exists()
    assert kept.read_bytes() == b"kept"
    with pytest.raises(RuntimeError), store.write() as s:
        stage_bytes(s, dropped, b"dropped")
        raise RuntimeError("the take was not recorded")
    assert sorted(p.name for p in kept.parent.iterdir()) == ["kept.png"]


def test_reads_outside_the_media_folder_are_refused(store, tmp_path):
    add_shots(store, "SH010")
    outside = image(tmp_path / "outside.png")
    with store.write() as s:
        append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", output_path=str(outside)))
        append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", output_path="../../etc/shadow"))
        append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", output_path="SH010/ok.png"))
    assert store.resolve_media("/etc/shadow") is None
    assert store.resolve_media(str(outside)) is None
    assert store.resolve_media("../../etc/shadow") is None
    assert store.resolve_media("SH010/ok.png") == store.media_dir.resolve() / "SH010" / "ok.png"
    with pytest.raises(MediaError, match="outside the store's media folder"):
        store.media_file("/etc/shadow")
    store.media_dir.mkdir(parents=True, exist_ok=True)
    (store.media_dir / "link.png").symlink_to(outside)
    assert store.resolve_media("link.png") is None  # a link out of the folder is outside too
    from engine.store.check import check_store

    report = check_store(store.location.path)
    assert any("outside the media folder" in w and "take_001" in w and "take_002" in w for w in report.warnings)


def test_takes_add_copies_a_file_from_elsewhere_into_the_media_folder(store, tmp_path, capsys):
    add_shots(store, "SH010")
    source = image(tmp_path / "render.png")
    args = ["takes", "add", "--store", str(store.location.path), "--shot", "SH010", "--prompt", "p",
            "--model", "gemini-3-pro-image-preview", "--seed", "3"]
    assert main([*args, "--output", str(source)]) == 0
    with store.read() as s:
        [take] = list_takes(s, "SH010")
    assert not Path(take.output_path).is_absolute()
    placed = store.resolve_media(take.output_path)
    assert placed.read_bytes() == source.read_bytes()
    source.write_bytes(b"changed later by the other pipeline")
    assert placed.read_bytes() != source.read_bytes()
    capsys.readouterr()
    assert main([*args, "--output", "/etc/shadow"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _legacy(path: Path, code: str, takes: list[dict]) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE shots (shot_id TEXT, episode TEXT, takes TEXT)")
    conn.execute("INSERT INTO shots VALUES (?, 'EP01', ?)", (code, json.dumps(takes)))
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("code, output", [
    ("../../victim", None), ("/some/dir/victim", None), ("  ", None),
    ("SH010", "/etc/shadow"), ("SH010", "../../outside.png"), ("SH010", "frames/\x00.png"),
])
def test_legacy_import_refuses_codes_and_outputs_outside_the_room(store, tmp_path, code, output, capsys):
    take = {"take_id": "take_001", "prompt": "p", "seed": 1}
    if output is not None:
        take["output_path"] = output
    legacy = _legacy(tmp_path / "legacy.db", code, [take])
    assert main(["import-legacy", str(legacy), "--store", str(store.location.path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "row 1" in err
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Shot)) == 0
