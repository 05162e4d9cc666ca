"""The `dailies` command, through its real entry point where it matters."""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli.main import build_parser, main

DAILIES = str(Path(sys.executable).with_name("dailies"))


def _walk(parser: argparse.ArgumentParser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield path + (name,), helps.get(name), sub
                yield from _walk(sub, path + (name,))


def test_every_command_has_help_text():
    commands = list(_walk(build_parser()))
    assert len(commands) > 10
    missing = [" ".join(p) for p, help_text, _ in commands if not help_text]
    assert missing == []


def run(*args, check=True):
    result = subprocess.run([DAILIES, *args], capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def demo(demo_store_path, tmp_path):
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_store_path, copy)
    shutil.copytree(demo_store_path.with_name("demo.media"), tmp_path / "demo.media")
    return str(copy)


def test_shots_and_takes_listings_on_the_demo_store(demo):
    shots = json.loads(run("shots", "list", "--store", demo, "--json").stdout)
    assert len(shots) >= 24
    assert len({s["scene"] for s in shots}) >= 3
    takes = json.loads(run("takes", "list", "--store", demo, "--shot", shots[1]["code"], "--json").stdout)
    assert 1 <= len(takes) <= 4
    for field in ("take_name", "created_at", "prompt", "seed", "model", "pipeline",
                  "system_prompt_version", "system_prompt_text", "enrichment_outcome", "cost",
                  "output_path", "status"):
        assert field in takes[0]
    text = run("takes", "list", "--store", demo, "--shot", shots[1]["code"]).stdout
    assert takes[0]["prompt"] in text


def test_a_decision_from_the_cli_changes_the_status(demo):
    shot = json.loads(run("shots", "list", "--store", demo, "--json").stdout)[0]["code"]
    ref = f"{shot}/take_001"
    run("review", "add", "--store", demo, "--take", ref, "--reject", "--tag", "style_lighting",
        "--note", "too warm", "--reviewer", "ana")
    (first, *_) = json.loads(run("takes", "export", "--store", demo, "--shot", shot).stdout)
    assert first["status"] == "rejected"
    run("review", "undo", "--store", demo, "--take", ref, "--reviewer", "ana")
    history = json.loads(run("review", "history", "--store", demo, "--take", ref, "--json").stdout)
    assert history[-1]["action"] == "retract"


def test_failures_exit_non_zero_with_one_line_naming_what_and_where(tmp_path):
    missing = tmp_path / "nope.sqlite"
    result = run("shots", "list", "--store", str(missing), check=False)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"dailies: error: no store at {missing} (make one with 'dailies demo --store {missing}')"]


def test_a_rejection_needs_a_tag(demo):
    result = run("review", "add", "--store", demo, "--take", "EP01_SC01_SH010/take_001",
                 "--reject", check=False)
    assert result.returncode != 0
    assert "a rejection needs at least one tag: anatomy_failure" in result.stderr


def test_store_check_reports_revision_and_counts(demo):
    report = json.loads(run("store", "check", "--store", demo, "--json").stdout)
    assert report["ok"] and report["up_to_date"]
    assert report["counts"]["shots"] >= 24


def test_store_check_names_takes_whose_files_are_gone(demo):
    media = Path(demo).with_name("demo.media") / "demo"
    victim = sorted(media.glob("*.png"))[0]
    victim.unlink()
    out = run("store", "check", "--store", demo).stdout
    assert victim.name in out and "no file on disk" in out


def test_takes_add_records_an_external_image(demo, tmp_path):
    from PIL import Image

    frame = tmp_path / "external.png"
    Image.new("RGB", (320, 180), (10, 20, 30)).save(frame)
    out = json.loads(run("takes", "add", "--store", demo, "--shot", "EP01_SC01_SH010",
                         "--output", str(frame), "--prompt", "exact words", "--seed", "11",
                         "--model", "gemini-3-pro-image-preview", "--target", "nbp",
                         "--version", "v1.1", "--json").stdout)
    assert out["prompt"] == "exact words" and out["seed"] == 11
    assert out["take_name"].startswith("take_") and isinstance(out["id"], int)


def test_the_demo_is_deterministic_from_its_seed(demo_store_path, tmp_path):
    other = tmp_path / "again.sqlite"
    assert main(["demo", "--store", str(other), "--seed", "7"]) == 0

    def fingerprint(path):
        shots = json.loads(run("shots", "list", "--store", str(path), "--json").stdout)
        takes = [json.loads(run("takes", "export", "--store", str(path), "--shot", s["code"]).stdout)
                 for s in shots[:6]]
        return [(t["prompt"], t["seed"], t["system_prompt_version"], t["status"])
                for shot in takes for t in shot]

    assert fingerprint(other) == fingerprint(demo_store_path)
    first = sorted((demo_store_path.with_name("demo.media") / "demo").glob("*.png"))[0]
    assert (tmp_path / "again.media" / "demo" / first.name).read_bytes() == first.read_bytes()


def test_a_demo_frame_names_its_take_even_with_its_metadata_stripped(demo, tmp_path):
    from engine.takes import provenance

    frame = Path(demo).with_name("demo.media") / "demo" / "EP01_SC01_SH020_take_001.png"
    found = run("takes", "find", str(frame), "--store", demo).stdout
    assert found.startswith("EP01_SC01_SH020/take_001")
    bare = tmp_path / "exported-from-an-editor.png"
    bare.write_bytes(provenance.strip(frame.read_bytes()))
    assert provenance.read(bare.read_bytes()) == {}
    assert run("takes", "find", str(bare), "--store", demo).stdout.startswith("EP01_SC01_SH020/take_001")


def test_a_store_that_stays_locked_gets_one_line_and_keeps_everything(demo, monkeypatch):
    import sqlite3

    before = json.loads(run("review", "history", "--store", demo, "--take",
                            "EP01_SC01_SH010/take_001", "--json").stdout)
    holder = sqlite3.connect(demo, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        monkeypatch.setenv("DAILIES_BUSY_TIMEOUT_MS", "300")
        result = run("review", "add", "--store", demo, "--take", "EP01_SC01_SH010/take_001",
                     "--approve", check=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"dailies: error: store {demo} did not take the command (database is locked); nothing was written"]
    after = json.loads(run("review", "history", "--store", demo, "--take",
                           "EP01_SC01_SH010/take_001", "--json").stdout)
    assert after == before
