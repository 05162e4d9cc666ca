"""Reading structure: negation scope, intensity, one sense per word, idioms as units, slang and
dialect with sources, spans and rules kept, and `dailies interpret --explain`."""

import pytest

from engine.cli.main import main
from engine.procedural.interpretation.interpret import interpret_text
from engine.procedural.interpretation.service import vocabulary


@pytest.fixture
def vocab(store):
    return vocabulary(store)


def _negs(ins, domain):
    return {n["value"] for n in ins["negations"] if n["domain"] == domain}


@pytest.mark.parametrize("prompt", [
    "don't use blue or green", "anything but blue and green", "everything except blue, green",
    "no more blue or green", "zero blue, zero green", "less blue, less green", "blue-free and green-free",
    "neither blue nor green", "without any blue or green at all", "steer clear of blue and green",
])
def test_negations_never_paint_what_they_name(vocab, prompt):
    ins = interpret_text(prompt, vocab)
    assert not {"blue", "green"} & set(ins["palette"])
    assert {"blue", "green"} <= _negs(ins, "palette")


def test_a_negation_ends_where_the_sentence_turns(vocab):
    ins = interpret_text("not red but orange", vocab)
    assert ins["palette"] == ["orange"] and _negs(ins, "palette") == {"red"}
    ins = interpret_text("no zoom, slow pan", vocab)
    assert ins["camera"] == {"motion": "pan", "speed": "slow"} and _negs(ins, "camera") == {"zoom"}
    ins = interpret_text("nothing but purple", vocab)
    assert ins["palette"] == ["purple"] and not ins["negations"]
    ins = interpret_text("no sound", vocab)
    assert ins["sounds"] == ["silence"]


def test_intensity_moves_the_value(vocab):
    ins = interpret_text("not too bright", vocab)
    assert ins["lighting"] == "moderate" and _negs(ins, "lighting") == {"bright"}
    assert interpret_text("a bit dark", vocab)["lighting"] == "dim"
    assert interpret_text("very dark", vocab)["lighting"] == "noir"
    ins = interpret_text("too bright", vocab)
    assert ins["lighting"] is None and _negs(ins, "lighting") == {"bright"}


def test_one_sense_per_word_by_what_it_attaches_to(vocab):
    ins = interpret_text("warm amber light", vocab)
    assert "orange" in ins["palette"] and ins["lighting"] == "soft" and ins["mood"] is None
    ins = interpret_text("a cold reception in a warm room", vocab)
    assert "cool" not in ins["palette"] and ins["mood"] == "tense"
    ins = interpret_text("feeling a little blue", vocab)
    assert ins["palette"] == [] and ins["mood"] == "melancholic"
    ins = interpret_text("blue light", vocab)
    assert ins["palette"] == ["blue"] and ins["mood"] is None


def test_idioms_are_units_that_never_paint(vocab):
    for prompt, mood in [("he saw red", "intense"), ("over the moon", "joyful"), ("green with envy", "moody"),
                         ("once in a blue moon", None), ("caught red-handed", None), ("tickled pink", "joyful")]:
        ins = interpret_text(prompt, vocab)
        assert ins["palette"] == [] and ins["mood"] == mood, prompt


def test_slang_and_dialect_carry_their_source(vocab):
    ins = interpret_text("a dreich day, that party was lit, the engine hums, golden hour", vocab)
    by_span = {(m["span"], m["domain"]): m for m in ins["mappings"]}
    assert by_span[("dreich", "lighting")]["variant_type"] == "dialect"
    assert "Scots" in by_span[("dreich", "lighting")]["rule"]
    assert ins["mood"] == "energetic" and "hum" in ins["sounds"] and ins["lighting"] in ("dim", "golden_hour")
    assert vocab.config.slang_entries and len(vocab.config.slang_entries) >= 300
    assert all(e.source and e.note for e in vocab.config.slang_entries.values())


def test_every_mapping_keeps_its_span_and_rule(vocab):
    ins = interpret_text("a slow pan over dark blue water, no red", vocab)
    for m in ins["mappings"]:
        assert m["rule"] and ins["normalised"].split()[m["start"]:m["end"]]
    red = next(m for m in ins["mappings"] if m["span"] == "red")
    assert red["negated"] is True


def test_cli_explain_shows_why(store, capsys):
    assert main(["interpret", "--explain", "don't use blue, feeling blue, once in a blue moon",
                 "--store", str(store.location.path)]) == 0
    out = capsys.readouterr().out
    assert "'blue' -> NEGATED palette blue" in out
    assert "'feeling blue' -> mood melancholic  [idiom" in out
    assert "'once in a blue moon' sets nothing" in out
