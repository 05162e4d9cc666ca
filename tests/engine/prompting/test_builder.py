"""The deterministic builder: D5 order, ENV sanitising, identity locks, pre-production
builders, fallbacks within the target's limits, same plan -> same bytes."""

from __future__ import annotations

import pytest

from engine.core.errors import PlanError
from engine.core.plans import ShotPlan, Subject
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.presence import people_in
from engine.takes.prompting.validation import check_answer

from .conftest import make_plan


def test_keyframe_follows_the_d5_order():
    cfg = load_config()
    built = build_prompt(make_plan())
    names = [n for n, _ in built.parts]
    assert names == ["format", "subject", "action", "environment", "lighting", "quality", "footer", "camera_guard"]
    opening = built.part("format")
    for key in ("camera_body", "film_stock", "film_style_suffix"):
        assert cfg.text(key) in opening
    assert built.part("subject").startswith("Mara") and "grim resolve" in built.part("subject")
    assert "muscles taut" in built.part("action")  # the straining descriptor
    text = built.text
    order = [cfg.text("camera_body"), "Mara,", "grim resolve", "muscles taut", "flooded engine room",
             "sodium light", cfg.text("quality_guard"), cfg.text("medium_shot_footer"), cfg.text("camera_direction_guard")]
    positions = [text.index(t) for t in order]
    assert positions == sorted(positions)
    assert built.locked_terms == ("Mara", cfg.text("camera_body"))


def test_unmatched_action_gets_the_fallback_descriptor():
    built = build_prompt(make_plan(action="Mara considers the gauge"))
    assert load_config().kinetic_fallback in built.part("action")


def test_same_plan_gives_the_same_bytes():
    a = build_prompt(make_plan()).text.encode()
    b = build_prompt(make_plan()).text.encode()
    assert a == b


@pytest.mark.parametrize("size", ["wide", "medium", "close"])
def test_shot_size_footer(size):
    cfg = load_config()
    built = build_prompt(make_plan(shot_size=size))
    assert built.part("footer") == cfg.text(f"{size}_shot_footer")


def test_env_only_removes_people_and_adds_the_guard():
    cfg = load_config()
    built = build_prompt(make_plan(
        env_only=True, subjects=[],
        environment="an empty station platform, a man waits by the bench, cracked tiles",
        lighting="dawn light, a woman's shadow on the wall",
        action="rain falls on the tracks"))
    names = [n for n, _ in built.parts]
    assert "subject" not in names and "camera_guard" not in names and "quality" not in names
    assert cfg.text("non_human_identity_lock") not in built.text
    assert built.text.endswith(cfg.text("env_only_guard"))
    assert people_in(built.text, allowed=(cfg.text("env_only_guard"),)) == []
    assert "cracked tiles" in built.text.lower() and "rain falls" in built.text.lower()
    assert cfg.text("env_only_guard") in built.locked_terms


def test_non_human_subject_carries_the_identity_lock():
    cfg = load_config()
    built = build_prompt(make_plan(subjects=[{"name": "UNIT-7", "identity": "non_human", "emotion": "calm"}]))
    lock = cfg.text("non_human_identity_lock")
    assert built.part("subject").startswith("UNIT-7") and lock in built.part("subject")
    assert lock in built.locked_terms
    human = build_prompt(make_plan())
    assert lock not in human.text


def test_non_env_plan_without_subject_is_refused():
    plan = ShotPlan(pipeline="keyframe", target_model="nbp", shot_size="wide", env_only=False,
                    environment="a hall", lighting="noon")
    with pytest.raises(PlanError, match="subjects"):
        build_prompt(plan)


def test_unknown_model_is_refused():
    plan = ShotPlan(pipeline="keyframe", target_model="dalle9", shot_size="wide", env_only=False,
                    environment="a hall", lighting="noon", subjects=(Subject("Ann"),))
    with pytest.raises(PlanError, match="dalle9.*models.json"):
        build_prompt(plan)


@pytest.mark.parametrize("target", ["kling_i2v", "kling_t2v", "veo", "seeddance"])
@pytest.mark.parametrize("subjects", [
    [{"name": "Mara", "description": "engineer in coveralls", "emotion": "grim resolve"}],
    [{"name": "UNIT-7", "identity": "non_human", "emotion": "calm"}, {"name": "Ann"}],
    [{"name": "Ann"}],
])
def test_deterministic_text_respects_video_limits(target, subjects):
    built = build_prompt(make_plan(pipeline="video", target_model=target, subjects=subjects))
    assert check_answer(built.text, built) is None, built.text


def test_casting_builders_use_casting_constants():
    cfg = load_config()
    grid = build_prompt(make_plan(pipeline="casting_grid", target_model="casting_grid"))
    assert grid.text.lower().startswith(cfg.text("grid_diegetic_framing").lower())
    assert cfg.text("casting_background") in grid.text and "18%" in grid.text
    assert cfg.text("casting_camera") in grid.text and cfg.text("camera_body") not in grid.text
    assert cfg.text("casting_anti_airbrush") in grid.locked_terms
    turn = build_prompt(make_plan(pipeline="casting_turnaround", target_model="casting_turnaround"))
    for angle in cfg.constants["turnaround_angles"]:
        assert angle in turn.text
    assert len(cfg.constants["turnaround_angles"]) == 4
    screen = build_prompt(make_plan(pipeline="screen_test", target_model="screen_test"))
    assert "9:16" in screen.text and "Full-body" in screen.text


def test_location_ref_has_no_people():
    cfg = load_config()
    built = build_prompt(make_plan(pipeline="location_ref", target_model="location_ref", subjects=[],
                                   environment="a market square, a crowd of traders, wet cobbles"))
    assert built.env_only and "subject" not in dict(built.parts)
    assert people_in(built.text, allowed=(cfg.text("env_only_guard"),)) == []
    assert "wet cobbles" in built.text.lower()


def test_expression_matrix_is_nine_by_three_on_the_generic_subject():
    cfg = load_config()
    built = build_prompt(make_plan(pipeline="expression_matrix", target_model="expression_matrix", subjects=[]))
    assert built.part("subject") == cfg.text("universal_expression_subject")
    grid = built.part("grid")
    for emotion, levels in cfg.constants["expression_emotions"]:
        assert emotion in grid and all(level in grid for level in levels)
    assert grid.count("row ") + grid.count("Row ") == 9


def test_turnarounds_and_screen_tests_carry_the_wardrobe_phase():
    subject = {"name": "Mara", "identity": "human", "emotion": "calm",
               "wardrobe": "act-two storm coat, torn at the left sleeve"}
    for pipeline in ("casting_turnaround", "screen_test"):
        built = build_prompt(make_plan(pipeline=pipeline, target_model=pipeline, subjects=[subject]))
        assert "wearing act-two storm coat, torn at the left sleeve" in built.text
