"""`takes find` names the take behind any copy of its picture, and no other take."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PIL import Image, ImageEnhance

from engine.cli.main import main
from engine.core.errors import MediaError
from engine.store.db import open_store
from engine.takes.take_finder import find_take


@pytest.fixture
def demo(demo_store_path, tmp_path) -> Path:
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_store_path, copy)
    shutil.copytree(demo_store_path.with_name("demo.media"), tmp_path / "demo.media")
    return copy


def _frames(store_path: Path) -> list[tuple[Path, str]]:
    """Every demo frame with the take it belongs to (SHOT/take_NNN)."""
    frames = sorted((store_path.with_name("demo.media") / "demo").glob("*.png"))
    assert len(frames) > 40
    return [(f, f"{f.stem[:-9]}/{f.stem[-8:]}") for f in frames]


def _copies(frame: Path, folder: Path) -> dict[str, Path]:
    img = Image.open(frame).convert("RGB")
    made = {
        "jpeg80": (img, "copy.jpg", {"quality": 80}),
        "half": (img.resize((img.width // 2, img.height // 2), Image.LANCZOS), "half.png", {}),
        "png": (img, "resaved.png", {}),
        "webp": (img, "converted.webp", {"quality": 80}),
        "graded": (ImageEnhance.Brightness(img).enhance(1.05), "graded.png", {}),
    }
    out = {}
    for kind, (picture, name, options) in made.items():
        picture.save(folder / name, **options)
        out[kind] = folder / name
    return out


def test_every_copy_of_every_demo_frame_finds_its_own_take(demo_store_path, tmp_path):
    wrong = []
    with open_store(demo_store_path) as store:
        for frame, ref in _frames(demo_store_path):
            for kind, copy in _copies(frame, tmp_path).items():
                try:
                    match = find_take(store, copy)
                except MediaError as exc:
                    wrong.append(f"{frame.name} {kind}: not found ({exc})")
                    continue
                if match.take.ref != ref or match.how != "perceptual":
                    wrong.append(f"{frame.name} {kind}: {match.take.ref} by {match.how}")
    assert wrong == []


def test_the_cli_says_how_far_the_copy_is(demo, tmp_path, capsys):
    frame, ref = _frames(demo)[5]
    copy = _copies(frame, tmp_path)["jpeg80"]
    assert main(["takes", "find", str(copy), "--store", str(demo)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(ref + " (seed ")
    assert lines[1].startswith("perceptual match, distance ") and lines[1].endswith(" of 64")
    assert main(["takes", "find", str(frame), "--store", str(demo)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "exact match, by provenance"


def test_a_sibling_take_no_one_recorded_is_not_claimed(demo, tmp_path, capsys):
    """A new variation of a demo shot hashes like its recorded takes, yet is none of them."""
    from engine.takes.demo.frames import render_frame
    from engine.takes.demo.plans import demo_script

    shot = next(s for s in demo_script(7) if s.code == "EP01_SC02_SH010")
    unrecorded = tmp_path / "take_009.png"
    render_frame(shot, 9, 7).save(unrecorded)
    rc = main(["takes", "find", str(unrecorded), "--store", str(demo)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "no take in store" in err and "no perceptual match within 8 of 64" in err
    noise = tmp_path / "noise.png"
    Image.effect_noise((640, 360), 64).convert("RGB").save(noise)
    assert main(["takes", "find", str(noise), "--store", str(demo)]) == 2
    assert "made this file" in capsys.readouterr().err


def test_a_clip_is_found_from_a_still_of_its_first_frame(demo, tmp_path):
    import av

    clip = sorted((demo.with_name("demo.media") / "demo").glob("*.mp4"))[0]
    with av.open(str(clip)) as container:
        still = next(container.decode(container.streams.video[0])).to_image()
    still.save(tmp_path / "grab.jpg", quality=80)
    with open_store(demo) as store:
        match = find_take(store, tmp_path / "grab.jpg")
    assert match.take.output_path == f"demo/{clip.name}" and match.how == "perceptual"


def test_a_store_from_before_hashes_is_upgraded_and_backfilled(demo, tmp_path, capsys):
    from engine.store.db import _alembic_script

    before = _alembic_script().get_revision("0011_perceptual_hash").down_revision
    conn = sqlite3.connect(demo)
    conn.execute("DROP TABLE take_perceptual_hash")
    conn.execute("DROP TABLE review_week_group")  # a later revision's table (0012_decision_groups)
    # an index a later revision drops (0014_no_takes_by_moment)
    conn.execute("CREATE INDEX ix_take_report ON take (created_at, target, model, system_prompt_version, failed)")
    conn.execute("UPDATE alembic_version SET version_num = ?", (before,))
    conn.commit()
    conn.close()
    frame, ref = _frames(demo)[3]
    copy = _copies(frame, tmp_path)["webp"]
    # The upgrade adds the table; the first find hashes every take's file, then finds.
    assert main(["takes", "find", str(copy), "--store", str(demo), "--json"]) == 0
    assert '"match": "perceptual"' in capsys.readouterr().out
    counts = sqlite3.connect(demo).execute(
        "SELECT COUNT(*), COUNT(phash) FROM take_perceptual_hash").fetchone()
    takes = sqlite3.connect(demo).execute("SELECT COUNT(*) FROM take").fetchone()[0]
    assert counts == (takes, takes)  # every demo take has a readable file


def test_hash_missing_hashes_imported_takes_and_names_unreadable_files(demo, capsys):
    conn = sqlite3.connect(demo)
    conn.execute("DELETE FROM take_perceptual_hash")
    conn.commit()
    conn.close()
    victim = _frames(demo)[0][0]
    victim.write_bytes(b"not a picture any more")
    assert main(["takes", "hash", "--missing", "--store", str(demo)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("hashed ") and out[0].endswith("; 0 without a file; 1 unreadable")
    assert victim.name in out[1]
    assert main(["takes", "hash", "--missing", "--store", str(demo)]) == 0
    assert capsys.readouterr().out.startswith("hashed 0 take(s)")


def test_takes_added_from_elsewhere_are_found_from_copies_on_postgresql(pg_store, pg_url, tmp_path, capsys):
    from engine.takes.demo.frames import render_frame
    from engine.takes.demo.plans import demo_script

    shots = demo_script(7)[:3]
    for shot in shots:
        assert main(["shots", "add", "--store", pg_url, "--episode", "EP01", "--code", shot.code]) == 0
    for n, shot in enumerate(shots):
        frame = tmp_path / f"outside_{n}.png"
        render_frame(shot, 1, 7, size=(960, 540)).save(frame)
        assert main(["takes", "add", "--store", pg_url, "--shot", shot.code, "--output", str(frame),
                     "--prompt", f"prompt {n}", "--seed", str(n), "--model", "gemini-3-pro-image-preview",
                     "--allow-unknown-model"]) == 0
    capsys.readouterr()
    copy = tmp_path / "copy.jpg"
    Image.open(tmp_path / "outside_1.png").resize((480, 270)).save(copy, quality=80)
    assert main(["takes", "find", str(copy), "--store", pg_url, "--json"]) == 0
    out = capsys.readouterr().out
    assert f'"take": "{shots[1].code}/take_001"' in out and '"match": "perceptual"' in out


def test_a_take_recorded_after_a_find_is_found_from_its_copy_too(demo, tmp_path, capsys):
    from engine.takes.demo.frames import render_frame
    from engine.takes.demo.plans import demo_script

    frame, _ = _frames(demo)[0]
    assert main(["takes", "find", str(_copies(frame, tmp_path)["jpeg80"]), "--store", str(demo)]) == 0
    shot = next(s for s in demo_script(7) if s.code == "EP01_SC02_SH010")
    outside = tmp_path / "made-elsewhere.png"
    render_frame(shot, 9, 7).save(outside)  # a sibling of the shot's four recorded takes
    assert main(["takes", "add", "--store", str(demo), "--shot", shot.code, "--output", str(outside),
                 "--prompt", "the same shot again", "--model", "gemini-3-pro-image-preview", "--json"]) == 0
    capsys.readouterr()
    copy = tmp_path / "copy-of-new.jpg"
    Image.open(outside).save(copy, quality=80)
    assert main(["takes", "find", str(copy), "--store", str(demo), "--json"]) == 0
    out = capsys.readouterr().out
    assert f'"take": "{shot.code}/take_005"' in out and '"match": "perceptual"' in out
