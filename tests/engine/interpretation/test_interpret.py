"""Interpretation: dialect, slang, words of several senses, negations, durations, registry
names, and the linguistic registry's most frequent canonical value."""

import json

import pytest

from engine.cli.main import main
from engine.core.errors import ConfigError
from engine.procedural.interpretation import config as icfg
from engine.procedural.interpretation.service import interpret_prompt
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.query import interpretations, linguistic
from engine.procedural.registries.record import observe, record_linguistic


def _ins(store, prompt):
    return interpret_prompt(store, prompt).instruction


def test_dialect_is_applied_and_learnt(store):
    ins = _ins(store, "a grey colour wash")
    assert "gray color" in ins["normalised"]
    assert ins["palette"] == ["gray"]
    assert ins["palette_keys"] == ["125,125,125_1.0"]
    with store.read() as s:
        rows = {(r.domain, r.span): r for r in linguistic(s)}
    assert rows[("palette", "grey")].canonical == "gray"
    assert rows[("palette", "grey")].variant_type == "dialect"
    assert rows[("spelling", "colour")].canonical == "color"


def test_a_word_of_several_senses_has_one_sense_by_what_it_attaches_to(store):
    ins = _ins(store, "a dark forest")
    assert (ins["lighting"], ins["mood"], ins["palette"]) == ("noir", None, [])
    ins = _ins(store, "dark humour in a dark blue kitchen")
    assert (ins["lighting"], ins["mood"], ins["palette"]) == (None, "dark", ["blue"])
    assert ins["shades"] == {"blue": "dark"}


def test_a_word_naming_one_domain_beats_a_multi_sense_word(store):
    ins = _ins(store, "dark humour, high key")
    assert ins["lighting"] == "bright"  # 'high key' names lighting directly
    assert ins["mood"] == "dark"


def test_slang_is_understood(store):
    ins = _ins(store, "something chill and spooky")
    assert ins["mood"] == "calm"
    variants = {(m["span"], m["variant_type"]) for m in ins["mappings"]}
    assert ("chill", "slang") in variants


def test_negations_remove_and_are_listed(store):
    ins = _ins(store, "teal waves, no red or blue, avoid handheld, without thunder")
    negs = {(n["domain"], n["value"]) for n in ins["negations"]}
    assert {("palette", "red"), ("palette", "blue"), ("camera", "handheld"), ("sound", "rumble")} <= negs
    assert ins["palette"] == ["teal"]
    assert ins["camera"] is None
    assert ins["sounds"] == []


def test_a_negation_ends_at_the_clause_and_keeps_words_it_does_not_know(store):
    ins = _ins(store, "no people, red sky")
    assert ins["palette"] == ["red"]
    assert [(n["domain"], n["value"], n["span"]) for n in ins["negations"]] == [("other", "people", "people")]
    assert ins["negations"][0]["rule"] == "'no'"
    assert "," not in ins["unmatched"] and "people" not in ins["unmatched"]


@pytest.mark.parametrize(
    "prompt, seconds",
    [("ocean for 5 seconds", 5.0), ("a 10s teal clip", 10.0), ("two minutes of rain", 120.0),
     ("teal, 2.5 sec", 2.5), ("teal", None)],
)
def test_durations(store, prompt, seconds):
    assert _ins(store, prompt)["duration_s"] == seconds


def test_camera_speed_only_before_a_camera_move(store):
    ins = _ins(store, "slow pan over olive")
    assert ins["camera"] == {"motion": "pan", "speed": "slow"}
    assert ins["motion"] is None
    ins = _ins(store, "slow drifting shapes")
    assert ins["camera"] is None
    assert ins["motion"] == "slow"


def test_registry_names_are_recognised(store):
    with store.write() as s:
        observe(s, "pure", "colour", "100,100,150_1.0", source=SourceRef("manual", "t"), name="Slate")
    ins = _ins(store, "slate and golden hour")
    assert "gray" in ins["palette"]  # the colour family a keyword gives it, with the colour's own key
    assert "100,100,150_1.0" in ins["palette_keys"]
    with store.write() as s:
        observe(s, "pure", "colour", "100,50,125_1.0", source=SourceRef("manual", "t"), name="Grapevine")
    ins = _ins(store, "grapevine and golden hour")
    assert "grapevine" in ins["palette"] and "100,50,125_1.0" in ins["palette_keys"]


def test_canonical_value_is_the_most_frequent_mapping_not_the_first(store):
    with store.write() as s:
        record_linguistic(s, "zappy", "fast", "motion", variant_type="slang")
    assert _ins(store, "zappy shapes")["motion"] == "fast"
    with store.write() as s:
        record_linguistic(s, "zappy", "pulsing", "motion", variant_type="slang")
        record_linguistic(s, "zappy", "pulsing", "motion", variant_type="slang")
    with store.read() as s:
        rec = next(r for r in linguistic(s, "motion") if r.span == "zappy")
    assert rec.canonical == "pulsing"
    assert _ins(store, "zappy shapes")["motion"] == "pulsing"


def test_cli_interpret_records_and_prints_json(store, capsys):
    assert main(["interpret", "grey slow pan, for 4 seconds", "--store", str(store.location.path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["instruction"]["camera"]["motion"] == "pan"
    assert out["instruction"]["duration_s"] == 4.0
    with store.read() as s:
        assert any(r.id == out["id"] for r in interpretations(s))


def _write_config(tmp_path, monkeypatch, mutate, file=icfg.FILE):
    src = icfg.paths.packaged_config_dir()
    for name in (icfg.FILE, *icfg.TABLES):
        data = json.loads((src / name).read_text())
        if name == file:
            mutate(data)
        (tmp_path / name).write_text(json.dumps(data))
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(tmp_path))
    icfg.clear_cache()


@pytest.mark.parametrize("file, mutate, message", [
    (icfg.FILE, lambda d: d["keywords"]["camera"].update(orbit="arcs"),
     r"interpretation\.json: key 'keywords\.camera\.orbit': expected a camera value \(.*\), got \"arcs\""),
    (icfg.FILE, lambda d: d.pop("keywords"), r"interpretation\.json: key 'keywords': expected a value, got nothing"),
    ("senses.json", lambda d: d["words"]["dark"].update(default={"smell": "noir"}),
     r"senses\.json: key 'words\.dark\.default\.smell': expected a domain \(.*\), got \"smell\""),
    ("slang.json", lambda d: d["entries"]["dreich"].pop("source"),
     r"slang\.json: key 'entries\.dreich\.source': expected a value, got nothing"),
    ("idioms.json", lambda d: d["entries"]["saw red"].update(means={"mood": "angry"}),
     r"idioms\.json: key 'entries\.saw red\.means\.mood': expected a mood value \(.*\), got \"angry\""),
    ("grammar.json", lambda d: d.pop("negate_before"), r"grammar\.json: key 'negate_before': expected a value, got nothing"),
])
def test_config_errors_name_the_file_and_key(tmp_path, monkeypatch, file, mutate, message):
    try:
        _write_config(tmp_path, monkeypatch, mutate, file)
        with pytest.raises(ConfigError, match=message):
            icfg.load_config()
    finally:
        icfg.clear_cache()


def test_a_table_entry_twice_is_refused(tmp_path, monkeypatch):
    src = icfg.paths.packaged_config_dir()
    for name in (icfg.FILE, *icfg.TABLES):
        (tmp_path / name).write_text((src / name).read_text())
    text = (tmp_path / "slang.json").read_text()
    (tmp_path / "slang.json").write_text(text.replace('"entries": {', '"entries": {"dreich": {}, ', 1))
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(tmp_path))
    icfg.clear_cache()
    try:
        with pytest.raises(ConfigError, match=r"slang\.json: key 'dreich': expected each key once, got it twice"):
            icfg.load_config()
    finally:
        icfg.clear_cache()
