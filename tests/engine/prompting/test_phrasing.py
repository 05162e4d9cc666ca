"""What the builder's words mean: the kinetic lexicon by word, fitting that keeps meaning,
the medium of the opening clause, and the phrasing of emotions, guards and identity locks."""

from __future__ import annotations

import re

import pytest

from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.fitting import word_count
from engine.takes.prompting.kinetic import kinetic_descriptor

from .conftest import make_plan

DROID = {"name": "Unit 7", "identity": "non_human", "emotion": "lonely", "description": "a scarred service droid"}


def _entry_of(verb: str) -> str:
    cfg = load_config()
    return next(e.descriptor for e in cfg.kinetic if (verb,) in e.verbs)


@pytest.mark.parametrize(
    ("action", "verb"),
    [("Mara ran for the exit", "run"), ("he runs down the pier", "run"), ("running through the rain", "run"),
     ("she bolts down the corridor", "bolt"), ("the boy ducks under the beam", "duck"),
     ("he held his daughter close", "hold"), ("she paced the ward all night", "pace"),
     ("the old man keels over", "keel over"), ("they scaled the north face", "scale")],
)
def test_inflected_verbs_match_their_entry(action, verb):
    cfg = load_config()
    expected = next(e.descriptor for e in cfg.kinetic if tuple(verb.split()) in e.verbs)
    assert kinetic_descriptor(action, cfg) == expected


@pytest.mark.parametrize(
    "action",
    ["holds a pistol", "a package from the Pacific", "picks up the scalpel", "feeds a duck by the pond",
     "bolts the door", "loses his hold on the rope", "studies the map", "the runner's number"],
)
def test_nouns_prefixes_and_other_senses_do_not_match(action):
    cfg = load_config()
    assert kinetic_descriptor(action, cfg) == cfg.kinetic_fallback


def test_kling_i2v_keeps_subject_and_action_for_a_non_human_subject():
    built = build_prompt(make_plan(pipeline="video", target_model="kling_i2v", subjects=[DROID],
                                   action="Unit 7 strains to wrench the jammed valve open"))
    assert built.text.startswith("Unit 7 strains to wrench the jammed valve open")
    assert _entry_of("strain") in built.text and word_count(built.text) <= 30


@pytest.mark.parametrize("target", ["kling_t2v", "seeddance", "veo", "kling_i2v"])
@pytest.mark.parametrize("subject", [DROID, {"name": "Mara", "emotion": "grim resolve"}])
def test_cuts_fall_on_clause_boundaries(target, subject):
    plan = make_plan(pipeline="video", target_model=target, subjects=[subject],
                     environment="a flooded engine room, rust on every pipe, water knee deep and rising",
                     lighting="hard sodium light from above, steam catching the beams in long diagonal shafts")
    built = build_prompt(plan)
    source = " ".join(t for _, t in built.parts) + " " + " ".join(load_config().constants["video_padding"])
    for sentence in re.findall(r"[^.!?]+[.!?]", built.text):
        body = sentence.strip()[:-1]
        # every sentence of the final text is a whole sentence of the parts, or one cut after a clause
        assert re.search(re.escape(body) + r"[,;:.!?]", source, re.IGNORECASE), body


@pytest.mark.parametrize("target", ["kling_t2v", "kling_i2v", "seeddance", "veo"])
def test_video_prompts_do_not_open_as_a_film_still(target):
    built = build_prompt(make_plan(pipeline="video", target_model=target))
    assert "film still" not in built.text.lower()
    assert build_prompt(make_plan()).text.startswith(load_config().text("medium_clause"))


def test_adjective_emotion_reads_as_an_expression_and_noun_emotion_keeps_its_clause():
    cfg = load_config()
    droid = build_prompt(make_plan(subjects=[DROID], action="Unit 7 waits")).part("subject")
    assert "a lonely expression" in droid.lower() and f"{cfg.text('emotion_clause')} lonely" not in droid
    mara = build_prompt(make_plan()).part("subject")
    assert f"{cfg.text('emotion_clause')} grim resolve" in mara


def test_identity_lock_comes_right_after_the_subject_and_before_the_emotion():
    cfg = load_config()
    subject = build_prompt(make_plan(subjects=[DROID], action="Unit 7 waits")).part("subject")
    lock = subject.index(cfg.text("non_human_identity_lock"))
    assert subject.index("Unit 7, a scarred service droid.") < lock < subject.lower().index("lonely")


def test_skin_texture_only_for_human_subjects():
    cfg = load_config()
    skin = cfg.text("human_texture_guard")
    for size in ("wide", "medium", "close"):
        droid = build_prompt(make_plan(subjects=[DROID], action="Unit 7 waits", shot_size=size)).text
        assert skin not in droid and "skin texture" not in droid.replace("no human skin", "")
    assert skin in build_prompt(make_plan()).text
