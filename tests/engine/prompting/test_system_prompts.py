"""System prompts: base + target file, versions, diffs, and released files never edited."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from engine.core import paths
from engine.core.errors import ConfigError
from engine.takes.prompting.config import clear_cache
from engine.takes.prompting.system_prompts import manifest, prompt_versions, system_prompt

D4_FILES = [
    "flash_base_instructions.txt", "flash_to_nbp_v1.0.txt", "flash_to_kling_i2v_v1.0.txt",
    "flash_to_kling_t2v_v1.0.txt", "flash_to_seeddance_v1.0.txt", "flash_to_veo_v1.0.txt",
    "flash_previz_v1.0.txt", "flash_casting_grid_v1.0.txt", "flash_casting_turnaround_v1.0.txt",
    "flash_screen_test_v1.0.txt", "flash_location_ref_v1.0.txt",
    "flash_to_nbp_v1.1.txt", "flash_to_kling_t2v_v1.1.txt",
]


def test_every_d4_file_exists_and_is_released_unchanged():
    folder = paths.prompts_dir()
    released = manifest(folder)
    for name in D4_FILES:
        path = folder / name
        assert path.is_file(), name
        assert released.get(name) == hashlib.sha256(path.read_bytes()).hexdigest(), f"{name} was edited after release"


def test_runtime_prompt_is_base_plus_target():
    folder = paths.prompts_dir()
    sp = system_prompt("nbp", "v1.0")
    base = (folder / "flash_base_instructions.txt").read_text()
    assert sp.text.startswith(base.rstrip("\n")) and sp.text.endswith((folder / "flash_to_nbp_v1.0.txt").read_text())
    assert sp.sha256 == hashlib.sha256(sp.text.encode()).hexdigest()
    assert system_prompt("nbp").version == "v1.1"
    assert system_prompt("kling_t2v", "v1.0").text != system_prompt("kling_t2v", "v1.1").text


def test_versions_list_and_unknown_version():
    rows = {(r.target, r.version): r for r in prompt_versions()}
    assert rows[("nbp", "v1.1")].current and not rows[("nbp", "v1.0")].current
    assert rows[("kling_t2v", "v1.1")].released
    with pytest.raises(ConfigError, match="no version v7.0 of nbp"):
        system_prompt("nbp", "v7.0")


def test_edited_released_file_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "prompts"
    shutil.copytree(paths.prompts_dir(), folder)
    monkeypatch.setenv("DAILIES_PROMPTS_DIR", str(folder))
    clear_cache()
    with (folder / "flash_to_nbp_v1.0.txt").open("a") as f:
        f.write("one more rule\n")
    with pytest.raises(ConfigError, match="released version was edited"):
        system_prompt("nbp", "v1.0")
    system_prompt("nbp", "v1.1")  # the others still load
