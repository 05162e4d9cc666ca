"""Bad input through the real entry point: one line naming what and where, exit 2, and the
store exactly as it was. Media checked for what it is; numbers and text bounded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from engine.cli.main import main
from engine.core.errors import MediaError
from engine.core.media import probe_media
from engine.core.review_config import review_config
from engine.store.shots import add_shot
from engine.takes.thumbnails import thumbnail
from tests.engine.store.helpers import PLAN, image
from tests.engine.store.template import copied_store, template_store  # noqa: F401  (fixtures)


def store_digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def shot_store(store):
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH010", plan=PLAN)
    return str(store.location.path)


def refused(argv: list[str], capsys, spec: str, *words: str) -> str:
    before = store_digest(Path(spec))
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    assert store_digest(Path(spec)) == before
    return err


def _take_args(spec, tmp_path, **over):
    args = {"--shot": "SH010", "--output": str(image(tmp_path / "ok.png")), "--prompt": "a lamp",
            "--model": "gemini-3-pro-image-preview", "--seed": "1", "--cost": "0.1"}
    args.update(over)
    return ["takes", "add", "--store", spec, *[x for kv in args.items() for x in kv]]


@pytest.mark.parametrize("field, value, word", [
    ("--prompt", "a lamp \udcff\udcfe", "--prompt"),
    ("--model", "m\udc80", "--model"),
    ("--seed", str(2**63), "seed"),
    ("--seed", "-1", "seed"),
    ("--seed", "9" * 400, "seed"),
    ("--cost", "inf", "cost"),
    ("--cost", "nan", "cost"),
    ("--cost", "-0.5", "cost"),
    ("--cost", "1e300", "cost"),
    ("--model", "m" * 129, "model"),
    ("--version", "v" * 40, "system-prompt version"),
])
def test_takes_add_refuses_out_of_range_and_undecodable_input(shot_store, tmp_path, capsys, field, value, word):
    refused(_take_args(shot_store, tmp_path, **{field: value}), capsys, shot_store, word)


def test_a_system_prompt_file_that_is_not_utf8_is_one_line(shot_store, tmp_path, capsys):
    sp = tmp_path / "sp.txt"
    sp.write_bytes(b"be exact \xff\xfe")
    refused([*_take_args(shot_store, tmp_path), "--system-prompt-file", str(sp)], capsys, shot_store, "UTF-8")


@pytest.mark.parametrize("content, word", [
    (b'{"pipeline": "keyframe", "environment": "\xff"}', "UTF-8"),
    (json.dumps({**PLAN, "environment": "flooded\u0000"}).encode(), "NUL"),
    (b"[" * 5000 + b"]" * 5000, "nested"),
    (b'{"n": ' + b"9" * 5000 + b"}", "cannot be read"),
])
def test_a_plan_file_that_cannot_be_read_is_one_line(shot_store, tmp_path, capsys, content, word):
    plan = tmp_path / "plan.json"
    plan.write_bytes(content)
    refused(["shots", "add", "--store", shot_store, "--episode", "EP01", "--code", "SH020", "--plan", str(plan)],
            capsys, shot_store, str(plan), word)


REVIEW_ERRORS = [
    "{", "[]", "", '{"taxonomy": 5, "keys": {}}', '{"taxonomy": [7], "keys": {}}',
    '{"taxonomy": [{"tag": "x"}], "keys": {}}', '{"taxonomy": [], "keys": {"approve": 1}}',
    '{"taxonomy": [], "keys": {}, "extra": 1}', '{"taxonomy": [], "keys": {"a": "\\u0000"}}',
    '{"taxonomy": [], "keys": {"a": "\\udc80"}}', "[" * 5000,
]


@pytest.mark.parametrize("content", [
    *REVIEW_ERRORS, b'{"taxonomy": [], "keys": {"a": "\xff"}}', None,
])
def test_a_broken_review_config_stops_a_review_in_one_line_and_help_still_works(
        shot_store, tmp_path, monkeypatch, capsys, content):
    from engine.core import paths

    assert main(_take_args(shot_store, tmp_path)) == 0
    config = tmp_path / "config"
    config.mkdir()
    for f in paths.config_dir().iterdir():
        (config / f.name).write_bytes(f.read_bytes())
    review = config / "review.json"
    if content is None:
        review.unlink()
    else:
        review.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(config))
    review_config.cache_clear()
    try:
        for argv in (["--help"], ["review", "add", "--help"]):
            assert main(argv) == 0
            assert "usage: dailies" in capsys.readouterr().out
        refused(["review", "add", "--store", shot_store, "--take", "SH010/take_001", "--reject",
                 "--tag", "anatomy_failure", "--reviewer", "ana"], capsys, shot_store, "review.json")
    finally:
        review_config.cache_clear()


def _export(tmp_path, entry: dict | None = None, raw: bytes | None = None) -> Path:
    path = tmp_path / "motion-registries-2026-02-17.json"
    if raw is None:
        doc = {"registries": {"pure_static": {"discoveries": {"sound": [
            {"key": "low_hum", "name": "Low hum", "count": 3, **(entry or {})}]}}}}
        raw = json.dumps(doc).encode()
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize("entry, raw, word", [
    ({"count": 10**400}, None, "401 digits"),
    (None, b'{"registries": {"pure_static": {"discoveries": {"sound": [{"key": "k", "name": "n", "count": 1e999}]}}}}',
     "finite"),
    ({"name": "Low\u0000hum"}, None, "NUL"),
    ({"name": "x" * 5000}, None, "5,000 characters"),
    ({"key": "low\udc80"}, None, "UTF-8"),
    (None, b'{"registries": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested"),
    (None, b'{"registries": {"pure_static": "\xff\xfe"}}', "UTF-8"),
])
def test_a_registry_export_with_junk_imports_nothing(shot_store, tmp_path, capsys, entry, raw, word):
    path = _export(tmp_path, entry, raw)
    refused(["registries", "import", str(path), "--store", shot_store], capsys, shot_store, path.name, word)


def test_an_oversized_export_is_refused_before_it_is_read(shot_store, tmp_path, capsys, monkeypatch):
    from engine.procedural.registries import export_checks

    monkeypatch.setattr(export_checks, "MAX_EXPORT_BYTES", 1000)
    path = _export(tmp_path, {"name": "y" * 2000})
    refused(["registries", "import", str(path), "--store", shot_store], capsys, shot_store, "MB")


def test_the_real_exports_pass_the_file_checks(shared_data):
    from engine.procedural.registries.export_checks import check_export_file

    for path in sorted(shared_data.glob("*.json")):
        check_export_file(path)


def _legacy(path: Path, takes) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE shots (shot_id TEXT, episode TEXT, sequence, takes TEXT)")
    conn.execute("INSERT INTO shots VALUES ('SH500', 'EP02', 1, ?)", (takes,))
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("take, word", [
    ('{"take_id": "take_001", "seed": 9223372036854775808}', "seed"),
    ('{"take_id": "take_001", "seed": -5}', "seed"),
    ('{"take_id": "take_001", "seed": ' + "9" * 400 + "}", "takes"),
    ('{"take_id": "take_001", "cost": -1}', "cost"),
    ('{"take_id": "take_001", "cost": Infinity}', "cost"),
    ('{"take_id": "take_001", "cost": 1e400}', "cost"),
    ('{"take_id": "take_001", "timestamp": 1e30}', "timestamp"),
    ('{"take_id": "take_001", "timestamp": -1e20}', "timestamp"),
    ('{"take_id": "take_99999999999999"}', "take"),
    ('{"take_id": "take_' + "1" * 5000 + '"}', "take_id"),
    ('{"take_id": "take_001", "prompt": "a\\u0000b"}', "NUL"),
    ('{"take_id": "take_001", "prompt": 42}', "prompt"),
    ('{"take_id": "take_001", "model": "' + "m" * 200 + '"}', "model"),
    ("[" * 5000, "nested"),
])
def test_legacy_rows_with_huge_negative_or_junk_values_import_nothing(shot_store, tmp_path, capsys, take, word):
    takes = take if take.startswith("[") else f"[{take}]"
    legacy = _legacy(tmp_path / "legacy.db", takes)
    refused(["import-legacy", str(legacy), "--store", shot_store], capsys, shot_store, "row 1", word)


def test_a_legacy_sequence_too_large_for_the_store_is_refused(shot_store, tmp_path, capsys):
    legacy = tmp_path / "legacy.db"
    conn = sqlite3.connect(legacy)
    conn.execute("CREATE TABLE shots (shot_id TEXT, sequence, takes TEXT)")
    conn.execute("INSERT INTO shots VALUES ('SH500', 1e30, '[]')")
    conn.commit()
    conn.close()
    refused(["import-legacy", str(legacy), "--store", shot_store], capsys, shot_store, "sequence")


def _clip(path: Path, frames: int = 24) -> Path:
    import av
    import numpy as np

    with av.open(str(path), "w", options={"movflags": "faststart"}) as c:
        s = c.add_stream("mpeg4", rate=24)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        rng = np.random.default_rng(1)
        for _ in range(frames):
            frame = av.VideoFrame.from_ndarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8), format="rgb24")
            for p in s.encode(frame):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    return path


def test_clips_are_checked_for_what_they_are(tmp_path):
    good = _clip(tmp_path / "good.mp4")
    assert probe_media(good).frames == 24
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    with pytest.raises(MediaError, match="cut short"):
        probe_media(cut)
    renamed = tmp_path / "still.mp4"
    renamed.write_bytes(image(tmp_path / "still.png").read_bytes())
    with pytest.raises(MediaError, match="not a clip"):
        probe_media(renamed)


def test_takes_add_refuses_a_cut_clip_and_a_renamed_png(shot_store, tmp_path, capsys):
    good = _clip(tmp_path / "good.mp4")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(good.read_bytes()[:-4000])
    renamed = tmp_path / "still.mp4"
    renamed.write_bytes(image(tmp_path / "still.png").read_bytes())
    for bad in (cut, renamed):
        refused(_take_args(shot_store, tmp_path, **{"--output": str(bad)}), capsys, shot_store, bad.name)


def test_an_image_cut_short_is_refused(tmp_path):
    path = image(tmp_path / "whole.png", size=(640, 360))
    Image.effect_noise((640, 360), 60).convert("RGB").save(path)
    cut = tmp_path / "cut.png"
    cut.write_bytes(path.read_bytes()[:-2000])
    with pytest.raises(MediaError):
        probe_media(cut)


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims width x height (its pixels are never compressed, so it is tiny)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                     + chunk(b"IEND", b""))
    return path


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_over_the_pixel_budget_is_refused_before_decoding(tmp_path, store):
    big = _png_header_only(tmp_path / "big.png", 16384, 10240)
    with pytest.raises(MediaError, match="pixels"):
        probe_media(big)
    with pytest.raises(MediaError, match="pixels"):
        thumbnail(store.media_dir, big)


def test_csv_cells_that_would_be_formulas_are_escaped():
    import csv
    import io

    from engine.takes.reports.export import _SafeWriter

    out = io.StringIO()
    cells = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tx", "plain", 7, -3, 0.5]
    _SafeWriter(out).writerow(cells)
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row[:6] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "plain"]
    assert row[6:] == ["7", "-3", "0.5"]


@pytest.mark.parametrize("field, value", [
    ("seed", 2**63), ("seed", -1), ("cost", float("inf")), ("cost", float("nan")), ("cost", -1.0),
    ("prompt", "a\x00b"), ("prompt", "a\udcffb"), ("model", "m" * 129), ("system_prompt_version", "v" * 33),
    ("system_prompt_text", "be\x00exact"),
])
def test_the_store_refuses_takes_it_cannot_keep_on_postgresql_as_on_sqlite(pg_store, field, value):
    from sqlalchemy import func, select

    from engine.core.errors import StoreError
    from engine.store.models import SystemPromptText, Take
    from engine.store.takes import NewTake, append_take

    with pg_store.write() as s:
        add_shot(s, episode="EP01", code="SH010")
    with pytest.raises(StoreError, match=field.split("_")[0]), pg_store.write() as s:
        append_take(s, NewTake(shot="SH010", pipeline="keyframe", **{"model": "m", field: value}))
    with pg_store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0
        assert s.scalar(select(func.count()).select_from(SystemPromptText)) == 0
