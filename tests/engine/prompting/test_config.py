"""The prompt config files load, and every kind of broken file is refused with file and key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.core import paths
from engine.core.errors import ConfigError
from engine.takes.prompting.config import clear_cache, load_config

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    shutil.copytree(paths.packaged_config_dir(), folder)
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(folder))
    clear_cache()
    return folder


def edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    clear_cache()


def test_shipped_config_loads_with_both_cameras_and_every_target():
    cfg = load_config()
    assert cfg.text("camera_body") == "Arri Alexa Mini LF"
    assert cfg.text("casting_camera") == "Arri Alexa 65, 85mm f/2.8"
    assert cfg.profile("kling_i2v").limits.max_words == 30
    assert (cfg.profile("kling_t2v").limits.min_words, cfg.profile("kling_t2v").limits.max_words) == (75, 100)
    assert cfg.profile("veo").limits.max_chars == 1500
    assert cfg.profile("seeddance").limits.json_array
    assert len(cfg.kinetic) >= 14
    assert len(cfg.constants["expression_emotions"]) == 9


@pytest.mark.parametrize(
    "action",
    ["she strains against the door", "he runs for the exit", "the pilot falls from the ledge",
     "they fight in the corridor", "she reaches for the rope", "he climbs the ladder",
     "she turns toward the noise", "he collapses onto the deck", "she pushes the cart"],
)
def test_kinetic_map_covers_the_main_actions(action):
    from engine.takes.prompting.kinetic import kinetic_entry

    assert kinetic_entry(action, load_config()) is not None, action


@pytest.mark.parametrize(
    ("name", "change", "key"),
    [
        ("prompt_constants.json", lambda d: d["production"].pop("quality_guard"), "production.quality_guard"),
        ("prompt_constants.json", lambda d: d["casting"].update(casting_fog="x"), "casting.casting_fog"),
        ("prompt_constants.json", lambda d: d["production"].update(camera_body=35), "production.camera_body"),
        ("lexicon.json", lambda d: d["kinetic_map"][3].update(verbs=["fight(|punch"]), "kinetic_map[3].verbs[0]"),
        ("lexicon.json", lambda d: d["kinetic_map"][3].update(verbs=["run"]), "kinetic_map[3].verbs[0]"),
        ("lexicon.json", lambda d: d["kinetic_map"][3].update(pattern="fight"), "kinetic_map[3].pattern"),
        ("lexicon.json", lambda d: d["kinetic_map"][0].pop("descriptor"), "kinetic_map[0].descriptor"),
        ("models.json", lambda d: d["profiles"]["veo"]["limits"].update(max_chars="lots"), "profiles.veo.limits.max_chars"),
        ("models.json", lambda d: d["profiles"]["nbp"].update(version="v9.9"), "profiles.nbp.system_prompt"),
        ("models.json", lambda d: d["profiles"].pop("kling_t2v"), "profiles.kling_t2v"),
        ("models.json", lambda d: d["enrichment"].update(skip_flash_enrichment="no"), "enrichment.skip_flash_enrichment"),
    ],
)
def test_broken_config_names_file_and_key(config_copy, name, change, key):
    edit(config_copy, name, change)
    with pytest.raises(ConfigError) as err:
        load_config()
    assert name in str(err.value) and key in str(err.value)


def test_missing_and_malformed_files_are_named(config_copy):
    (config_copy / "lexicon.json").write_text("{ not json")
    clear_cache()
    with pytest.raises(ConfigError, match=r"lexicon.json: not valid JSON \(line 1"):
        load_config()
    (config_copy / "lexicon.json").unlink()
    clear_cache()
    with pytest.raises(ConfigError, match="lexicon.json: the config file is missing"):
        load_config()


def _config_texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _config_texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _config_texts(v)


def test_no_config_text_is_written_again_in_engine_code():
    texts = set()
    for name in ("prompt_constants.json", "lexicon.json"):
        texts |= {t for t in _config_texts(json.loads((paths.packaged_config_dir() / name).read_text())) if len(t) >= 12}
    texts |= {"Alexa Mini LF", "Alexa 65", "Vision3 500T", "18% neutral gray"}
    offenders = []
    for path in (REPO / "engine").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(REPO)}: {t[:40]}" for t in texts if t in source]
    assert not offenders, offenders
