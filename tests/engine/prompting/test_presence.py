"""People out of empty rooms: the labelled corpus of environment texts, and the builder's
ENV-only and location-reference prompts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.core.plans import parse_plan
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.presence import people_in, strip_people

CORPUS = json.loads((Path(__file__).parent / "data" / "presence_corpus.json").read_text(encoding="utf-8"))


def judge(entry: dict) -> list[str]:
    """What is wrong with the stripped text of one labelled entry (empty: right)."""
    names = entry.get("names", ())
    out = strip_people(entry["text"], names)
    if not entry["people"]:
        return [] if out == entry["text"] else [f"a text without people was changed to {out!r}"]
    wrong = [f"kept {w!r}" for w in entry["people"] if re.search(rf"\b{re.escape(w)}\b", out, re.IGNORECASE)]
    wrong += [f"lost {k!r}" for k in entry["keep"] if k.lower() not in out.lower()]
    left = people_in(out, names=names)
    return wrong + ([f"still has people {left}"] if left else [])


def test_corpus_is_large_and_covers_both_sides():
    assert len(CORPUS) >= 150
    assert sum(1 for e in CORPUS if e["people"]) >= 100
    assert sum(1 for e in CORPUS if not e["people"]) >= 50


def test_every_corpus_text_is_stripped_right():
    failures = {e["text"]: why for e in CORPUS if (why := judge(e))}
    assert not failures, failures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a nurse's trolley", "a trolley"),
        ("the old lady's gloves", "the gloves"),
        ("a keeper's cottage", "a cottage"),
        ("an officer's desk by the window", "a desk by the window"),
        ("an abandoned fish market where a lone fisherman once worked", "an abandoned fish market"),
        ("dockers unloading crates on the quay", "crates on the quay"),
    ],
)
def test_possessions_lose_their_owners_and_places_stay(text, expected):
    assert strip_people(text) == expected


def test_character_names_of_the_episode_are_people():
    assert strip_people("the cabin where Ilse hid the radio", ["Ilse Brandt"]) == "the cabin"
    assert strip_people("the cabin where Ilse hid the radio") == "the cabin where Ilse hid the radio"


def _env_plan(**changes):
    data = {"pipeline": "keyframe", "target_model": "nbp", "shot_size": "wide", "env_only": True,
            "environment": "a sailor's bunk below deck, the crew asleep in hammocks, a lamp swinging",
            "lighting": "a single lamp the bosun left burning"}
    data.update(changes)
    return parse_plan(data)


def test_env_only_prompt_keeps_things_and_drops_people():
    built = build_prompt(_env_plan(), names=["Bosun Hale"])
    guard = load_config().text("env_only_guard")
    assert people_in(built.text, allowed=(guard,)) == []
    assert "a bunk below deck" in built.text.lower() and "a lamp swinging" in built.text.lower()


def test_location_reference_drops_the_episode_characters():
    plan = _env_plan(pipeline="location_ref", target_model="location_ref", env_only=False,
                     environment="Mara's workshop, lathes under dust sheets", lighting="grey daylight")
    built = build_prompt(plan, names=["Mara Voss"])
    assert "Mara" not in built.text and "workshop, lathes under dust sheets" in built.text


def test_a_depiction_word_that_is_no_noun_is_refused_naming_file_and_key(tmp_path, monkeypatch):
    from engine.core.errors import ConfigError
    from engine.takes.prompting.presence_config import PRESENCE_FILE, presence_words

    (tmp_path / PRESENCE_FILE).write_text(json.dumps({"depiction_nouns": ["poster", "Xqzv"],
                                                      "record_nouns_lexfiles": [10]}), encoding="utf-8")
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(tmp_path))
    with pytest.raises(ConfigError, match=r"presence\.json: key 'depiction_nouns\[1\]': expected a lower-case WordNet noun, got \"Xqzv\""):
        presence_words()
