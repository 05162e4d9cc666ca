"""Config and prompts ship inside the package, and every config file is refused the same way:
one line `<file>: key '<path>': expected <what>, got <value>`, exit 2 through the CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.core import paths
from engine.core.errors import ConfigError
from engine.core.review_config import load_review_config, review_config
from engine.procedural.interpretation import config as interpretation_config
from engine.procedural.registries import density
from engine.takes.prompting import config as prompt_config
from engine.takes.prompting import presence_config, system_prompts

CONFIG_FILES = ("grammar.json", "idioms.json", "interpretation.json", "lexicon.json", "models.json",
                "presence.json", "prompt_constants.json", "registries.json", "review.json",
                "senses.json", "slang.json")


def test_the_config_files_and_prompts_ship_inside_the_engine_package(monkeypatch):
    monkeypatch.delenv("DAILIES_CONFIG_DIR", raising=False)
    monkeypatch.delenv("DAILIES_PROMPTS_DIR", raising=False)
    engine_dir = Path(paths.__file__).resolve().parents[1]  # the engine package: engine/core/paths.py
    assert paths.config_dir().resolve().is_relative_to(engine_dir)
    assert paths.prompts_dir().resolve().is_relative_to(engine_dir)
    assert sorted(p.name for p in paths.config_dir().glob("*.json")) == sorted(CONFIG_FILES)
    released = system_prompts.manifest(paths.prompts_dir())
    assert released and all((paths.prompts_dir() / name).is_file() for name in released)


def test_the_folder_overrides_still_win(tmp_path, monkeypatch):
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("DAILIES_PROMPTS_DIR", str(tmp_path / "p"))
    assert paths.config_dir() == tmp_path / "c" and paths.prompts_dir() == tmp_path / "p"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    config, prompts = tmp_path / "config", tmp_path / "prompts"
    shutil.copytree(paths.packaged_config_dir(), config)
    shutil.copytree(paths.packaged_prompts_dir(), prompts)
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(config))
    monkeypatch.setenv("DAILIES_PROMPTS_DIR", str(prompts))
    _forget()
    yield config, prompts
    _forget()


def _forget():
    prompt_config.clear_cache()
    interpretation_config.clear_cache()
    presence_config._load.cache_clear()
    density._load.cache_clear()
    review_config.cache_clear()


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _first_sense(d):
    return next(iter(d["words"].values()))["senses"][0]


# file, change, the loader that reads it, the key path and the start of what was expected
CASES = [
    ("review.json", lambda d: d["taxonomy"][1].update(key=3), lambda c, p: load_review_config(),
     "taxonomy[1].key", "text", "3"),
    ("presence.json", lambda d: d["record_nouns_lexfiles"].append(40), lambda c, p: presence_config.presence_words(),
     "record_nouns_lexfiles[2]", "a number <= 28", "40"),
    ("registries.json", lambda d: d["density"].update(stagnant_max_growth="none"), lambda c, p: density.thresholds(),
     "density.stagnant_max_growth", "a whole number", '"none"'),
    ("registries.json", lambda d: d["prompt_generator"]["templates"].append("a {smell} scene"),
     lambda c, p: __import__("engine.procedural.interpretation.prompt_gen", fromlist=["x"]).prompt_templates(),
     "prompt_generator.templates[8]", "a sentence whose slots are", '"a {smell} scene"'),
    ("prompt_constants.json", lambda d: d["casting"]["expression_emotions"][2].update(intensities=["a"]),
     lambda c, p: prompt_config.load_config(), "casting.expression_emotions[2].intensities", "at least 3", '["a"]'),
    ("lexicon.json", lambda d: d["kinetic_map"][2]["verbs"].append("Sprints"), lambda c, p: prompt_config.load_config(),
     "kinetic_map[2].verbs[", "a base form", '"Sprints"'),
    ("models.json", lambda d: d["profiles"]["veo"].update(version="v1"), lambda c, p: prompt_config.load_config(),
     "profiles.veo.version", "a version like v1.0", '"v1"'),
    ("models.json", lambda d: d["profiles"]["nbp"]["locked"].append("no_such_text"),
     lambda c, p: prompt_config.load_config(), "profiles.nbp.locked[", "a text key of prompt_constants.json",
     '"no_such_text"'),
    ("interpretation.json", lambda d: d["numbers"].update(dozen=-12), lambda c, p: interpretation_config.load_config(),
     "numbers.dozen", "a number > 0", "-12"),
    ("slang.json", lambda d: next(iter(d["entries"].values())).update(kind="argot"),
     lambda c, p: interpretation_config.load_config(), "entries.", "one of 'slang', 'dialect', 'film' or 'jargon'",
     '"argot"'),
    ("idioms.json", lambda d: d["entries"].update({"* red": {"means": {}, "note": "n", "source": "s"}}),
     lambda c, p: interpretation_config.load_config(), "entries.* red", "a pattern that starts and ends", '"* red"'),
    ("senses.json", lambda d: _first_sense(d).update(when="beside:colour"),
     lambda c, p: interpretation_config.load_config(), ".senses[0].when", "a context", '"beside:colour"'),
    ("grammar.json", lambda d: d["intensity"].update(extreme=["very"]), lambda c, p: interpretation_config.load_config(),
     "intensity.extreme", "one of 'strong', 'weak' or 'moderate'", '"extreme"'),
]


@pytest.mark.parametrize("name, change, read, key, what, got", CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES])
def test_every_config_file_is_refused_in_one_uniform_line(folders, name, change, read, key, what, got):
    config, prompts = folders
    _edit(config / name, change)
    with pytest.raises(ConfigError) as err:
        read(config, prompts)
    message = str(err.value)
    assert "\n" not in message
    m = re.fullmatch(r"(.+): key '([^']+)': expected (.+), got (.+)", message)
    assert m, message
    assert m.group(1) == str(config / name)
    assert key in m.group(2) and m.group(3).startswith(what) and m.group(4) == got, message


def test_the_prompt_manifest_is_refused_the_same_way(folders):
    _config, prompts = folders
    _edit(prompts / "manifest.json", lambda d: d.update({"flash_to_nbp_v1.0.txt": "edited"}))
    with pytest.raises(ConfigError) as err:
        system_prompts.manifest(prompts)
    assert str(err.value) == (f"{prompts / 'manifest.json'}: key 'flash_to_nbp_v1.0.txt': "
                              'expected a SHA-256 (64 lower-case hex digits), got "edited"')


def test_a_bad_config_stops_the_command_with_exit_2_and_help_still_works(folders, tmp_path, capsys):
    config, _prompts = folders
    _edit(config / "models.json", lambda d: d["profiles"]["nbp"].update(media_kind="film"))
    for name in ("review.json", "registries.json", "presence.json", "interpretation.json"):
        (config / name).write_text("{", encoding="utf-8")
    assert main(["--help"]) == 0
    assert "usage: dailies" in capsys.readouterr().out
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"pipeline": "keyframe", "target_model": "nbp", "shot_size": "wide",
                                "env_only": True, "environment": "an empty harbour at dusk",
                                "lighting": "amber dusk light", "subjects": [], "action": ""}))
    assert main(["prompt", "build", str(plan)]) == 2
    err = capsys.readouterr().err
    assert err == (f"dailies: error: {config / 'models.json'}: key 'profiles.nbp.media_kind': "
                   "expected one of 'image' or 'clip', got \"film\"\n")
