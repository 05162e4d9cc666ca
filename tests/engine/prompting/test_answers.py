"""Writer answers checked as answers, each adversarial answer sent by the loopback server to
the real google-genai client; SeedDance scene blocks through `dailies prompt enrich`."""

from __future__ import annotations

import json

import pytest

from engine.cli.main import main
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.enrichment import enrich
from tests.fakes import Reply

from .conftest import make_plan, plan_dict

GOOD = ("A cinematic 35mm still shot on Arri Alexa Mini LF: Mara, grim resolve in her jaw, strains at the "
        "jammed valve of a flooded engine room under hard sodium light.")
DROID = {"name": "Unit 7", "identity": "non_human", "emotion": "wary", "description": "a scarred service droid"}
DROID_GOOD = ("Arri Alexa Mini LF still: Unit 7, a scarred service droid, wary, wrenches the jammed valve of a "
              "flooded engine room under hard sodium light. " )


def _droid_plan():
    return make_plan(subjects=[DROID], action="Unit 7 wrenches the jammed valve open")


def _lock_answer(extra: str) -> str:
    from engine.takes.prompting.config import load_config

    return DROID_GOOD + extra + " " + load_config().text("non_human_identity_lock")


@pytest.mark.parametrize(
    ("plan", "answer", "check"),
    [
        (make_plan, lambda b: json.dumps({"target": "nbp", "draft": b.text, "locked_terms": list(b.locked_terms)}),
         "not_prose"),
        (make_plan, lambda b: "draft: " + b.text + " locked_terms: Mara", "payload_keys"),
        (make_plan, lambda b: "<!DOCTYPE html><html><body>" + b.text + "</body></html>", "not_prose"),
        (make_plan, lambda b: "```\n" + b.text + "\n```", "not_prose"),
        (_droid_plan, lambda b: _lock_answer("A man and a woman watch from the gantry."), "people_added"),
        (_droid_plan, lambda b: _lock_answer("Warm skin, freckles and soft lips catch the light."),
         "human_traits_added"),
    ],
)
def test_adversarial_answers_are_refused_retried_and_fall_back(fake_gemini, plan, answer, check):
    built = build_prompt(plan())
    bad = answer(built)
    fake_gemini.script(Reply(text=bad), Reply(text=bad))
    result = enrich(built)
    assert result.outcome == "fell_back" and result.text == built.text
    assert [a.check.split(":")[0] for a in result.attempts] == [check, check]
    assert [r.generation_config.get("temperature") for r in fake_gemini.calls()][1] == 0.0


def test_a_clean_droid_answer_is_enriched(fake_gemini):
    built = build_prompt(_droid_plan())
    fake_gemini.script(Reply(text=_lock_answer("Steam curls off its chassis.")))
    assert enrich(built).outcome == "enriched"


def test_people_painted_into_a_location_reference_are_refused(fake_gemini):
    plan = make_plan(pipeline="location_ref", target_model="location_ref", subjects=[],
                     environment="a ferry terminal at dawn, benches bolted to the floor")
    built = build_prompt(plan)
    fake_gemini.script(Reply(text=built.text + " A ticket clerk yawns behind the glass."), Reply(text=built.text))
    result = enrich(built)
    assert result.outcome == "enriched" and result.attempts[0].check == "people_in_env: clerk"


def test_html_body_with_status_200_is_a_failed_attempt_not_a_traceback(fake_gemini):
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    fake_gemini.script(Reply(raw=page, content_type="text/html"), Reply(text=GOOD))
    result = enrich(build_prompt(make_plan()))
    assert result.outcome == "enriched" and result.text == GOOD
    assert result.attempts[0].check.startswith("not_json_body")


def test_html_body_twice_falls_back_with_the_reason(fake_gemini):
    page = b"<html>maintenance</html>"
    fake_gemini.script(Reply(raw=page, content_type="text/html"), Reply(raw=page, content_type="text/html"))
    built = build_prompt(make_plan())
    result = enrich(built)
    assert result.outcome == "fell_back" and result.text == built.text
    assert result.reason.startswith("not_json_body") and "retry at temperature 0: not_json_body" in result.reason


def test_single_seeddance_shot_never_takes_a_json_array(fake_gemini):
    built = build_prompt(make_plan(pipeline="video", target_model="seeddance"))
    fake_gemini.script(Reply(text=json.dumps([built.text])), Reply(text=json.dumps([built.text])))
    result = enrich(built)
    assert result.outcome == "fell_back" and not result.text.startswith("[")
    assert not fake_gemini.calls()[0].wants_json


def _scene_file(tmp_path, n=4):
    plans = [plan_dict(pipeline="video", target_model="seeddance", scene="SC04",
                       action=f"Mara strains at valve {i + 1} as the water rises") for i in range(n)]
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(plans), encoding="utf-8")
    return path


def _block_answer(req, n=4):
    return [f"Beat {i + 1}: Mara strains at valve {i + 1} in the flooded engine room, sodium light." for i in range(n)]


def test_prompt_enrich_sends_a_four_shot_scene_as_one_json_request(tmp_path, fake_gemini, capsys):
    fake_gemini.script(Reply(text=json.dumps(_block_answer(None))))
    assert main(["prompt", "enrich", str(_scene_file(tmp_path)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    [req] = fake_gemini.calls()
    assert req.wants_json and len(req.payload["scene_block"]) == 4
    assert [r["outcome"] for r in rows] == ["enriched"] * 4
    assert [r["final"] for r in rows] == _block_answer(None)


def test_prompt_enrich_prints_four_results_for_a_four_shot_scene(tmp_path, fake_gemini, capsys):
    fake_gemini.script(Reply(text=json.dumps(_block_answer(None))))
    assert main(["prompt", "enrich", str(_scene_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert out.count("== seeddance (enriched") == 4 and len(fake_gemini.calls()) == 1
    for text in _block_answer(None):
        assert text in out


@pytest.mark.parametrize(
    "bad",
    [json.dumps(["only one prompt"]), json.dumps({"prompts": ["a", "b", "c"]}), "Mara strains at the valve."],
)
def test_a_bad_block_retries_once_at_zero_then_falls_back_shot_by_shot(tmp_path, fake_gemini, capsys, bad):
    fake_gemini.script(Reply(text=bad), Reply(text=bad))
    assert main(["prompt", "enrich", str(_scene_file(tmp_path)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    calls = fake_gemini.calls()
    assert len(calls) == 2 and all(c.wants_json for c in calls)
    assert [c.generation_config.get("temperature") for c in calls][1] == 0.0
    assert len(rows) == 4 and {r["outcome"] for r in rows} == {"fell_back"}
    assert all(r["attempts"][0]["check"].startswith(("not_json", "empty")) for r in rows)


def test_a_block_item_that_fails_its_checks_is_retried(tmp_path, fake_gemini, capsys):
    first = _block_answer(None)
    first[2] = "A man and a woman in a flooded engine room."  # Mara, a locked term, is missing
    fake_gemini.script(Reply(text=json.dumps(first)), Reply(text=json.dumps(_block_answer(None))))
    assert main(["prompt", "enrich", str(_scene_file(tmp_path)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(fake_gemini.calls()) == 2
    assert [r["outcome"] for r in rows] == ["enriched"] * 4
    assert rows[2]["attempts"][0]["check"].startswith("locked_term_missing")


def test_generate_for_a_seeddance_shot_enriches_its_scene_block(store, fake_gemini):
    from engine.store.shots import add_shot
    from engine.takes.generation import generate

    with store.write() as s:
        for i in range(3):
            add_shot(s, episode="EP02", scene="SC07", code=f"EP02_SC07_SH{i + 1:03d}",
                     plan=plan_dict(pipeline="video", target_model="seeddance",
                                    action=f"Mara strains at valve {i + 1}"))
    fake_gemini.script(Reply(text=json.dumps(_block_answer(None, 3))))
    result = generate(store, "EP02_SC07_SH002", seed=5)
    [req] = fake_gemini.calls()
    assert req.wants_json and len(req.payload["scene_block"]) == 3
    assert result.enriched.outcome == "enriched" and result.take.prompt == _block_answer(None, 3)[1]


def test_an_html_body_for_a_scene_block_is_a_failed_attempt(tmp_path, fake_gemini, capsys):
    page = b"<!doctype html><title>503</title>"
    fake_gemini.script(Reply(raw=page, content_type="text/html"), Reply(text=json.dumps(_block_answer(None))))
    assert main(["prompt", "enrich", str(_scene_file(tmp_path)), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(fake_gemini.calls()) == 2 and [r["outcome"] for r in rows] == ["enriched"] * 4
    assert all(r["attempts"][0]["check"].startswith("not_json_body") for r in rows)
