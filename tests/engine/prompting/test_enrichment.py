"""Enrichment through the real google-genai client against the loopback fake: every bad
answer ends in a valid final prompt with its reason recorded."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from engine.takes.prompting.batch import enrich_batch
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.enrichment import Options, enrich
from engine.takes.prompting.validation import check_answer
from tests.fakes import Reply

from .conftest import make_plan

GOOD = ("A cinematic 35mm still shot on Arri Alexa Mini LF: Mara, grim resolve in her jaw, strains at the "
        "jammed valve of a flooded engine room under hard sodium light.")


def test_good_answer_is_enriched_with_system_prompt_and_payload(fake_gemini):
    fake_gemini.script(Reply(text=GOOD, input_tokens=1000, output_tokens=200))
    built = build_prompt(make_plan())
    result = enrich(built)
    assert (result.outcome, result.reason, result.text) == ("enriched", None, GOOD)
    assert result.version == "v1.1"
    [req] = fake_gemini.calls()
    assert req.model == load_config().enrichment.model
    assert req.system == result.system_prompt.text
    sent = req.payload
    assert [p["name"] for p in sent["parts"]] == [n for n, _ in built.parts]
    assert sent["locked_terms"] == list(built.locked_terms)
    cfg = load_config().enrichment
    assert result.cost == pytest.approx(1000 * cfg.price_per_1m_input_tokens / 1e6 + 200 * cfg.price_per_1m_output_tokens / 1e6)


def test_dropped_locked_term_is_retried_at_temperature_zero(fake_gemini):
    fake_gemini.script(Reply(text=GOOD.replace("Mara", "the engineer")), Reply(text=GOOD))
    result = enrich(build_prompt(make_plan()))
    assert result.outcome == "enriched" and result.text == GOOD
    temps = [r.generation_config.get("temperature") for r in fake_gemini.calls()]
    assert temps == [load_config().enrichment.temperature, 0.0]
    assert result.attempts[0].check.startswith("locked_term_missing: 'Mara'")


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        (Reply(text=GOOD.replace("Mara", "she")), Reply(text=GOOD.replace("Arri Alexa Mini LF", "a camera")),
         "locked_term_missing: 'Mara'; retry at temperature 0: locked_term_missing: 'Arri Alexa Mini LF'"),
        (Reply(text=""), Reply(text="   "), "empty"),
        (Reply(status=429), Reply(status=429), "http_429"),
        (Reply(status=500), Reply(status=503), "http_500: INTERNAL; retry at temperature 0: http_503"),
        (Reply(status=503), Reply(text=""), "http_503"),
    ],
)
def test_bad_answers_fall_back_to_the_builder(fake_gemini, first, second, reason):
    fake_gemini.script(first, second)
    built = build_prompt(make_plan())
    result = enrich(built)
    assert result.outcome == "fell_back"
    assert result.text == built.text and check_answer(result.text, built) is None
    assert result.reason.startswith(reason)
    assert len(fake_gemini.calls()) == 2


def test_word_limit_is_checked(fake_gemini):
    long = "Mara " + " ".join(["moves"] * 40)
    fake_gemini.script(Reply(text=long), Reply(text="Mara wrenches the valve open, shoulders straining, camera holds."))
    built = build_prompt(make_plan(pipeline="video", target_model="kling_i2v"))
    result = enrich(built)
    assert result.outcome == "enriched"
    assert result.attempts[0].check == "word_limit: 41 words, more than 30"


def test_people_in_an_env_prompt_fall_back(fake_gemini):
    guard = load_config().text("env_only_guard")
    crowded = f"A rainy market square at dawn, a woman crosses the cobbles. {guard}"
    fake_gemini.script(Reply(text=crowded), Reply(text=crowded.replace("woman", "crowd")))
    built = build_prompt(make_plan(pipeline="location_ref", target_model="location_ref", subjects=[]))
    result = enrich(built)
    assert result.outcome == "fell_back"
    assert result.reason == "people_in_env: woman; retry at temperature 0: people_in_env: crowd"
    clean = f"A rainy market square at dawn, no people, wet cobbles. {guard}"
    fake_gemini.script(Reply(text=clean))
    assert enrich(built).outcome == "enriched"


def test_timeout_is_retried_then_falls_back(fake_gemini):
    fake_gemini.script(Reply(text=GOOD, hang_s=1.5), Reply(text=GOOD, hang_s=1.5))
    settings = replace(load_config().enrichment, timeout_s=0.3)
    built = build_prompt(make_plan())
    result = enrich(built, Options(settings=settings))
    assert result.outcome == "fell_back" and result.text == built.text
    assert result.reason.startswith("timeout")


@pytest.mark.parametrize(
    ("changes", "options", "reason"),
    [
        ({"env_only": True, "subjects": []}, Options(), "env"),
        ({"pipeline": "expression_matrix", "target_model": "expression_matrix", "subjects": []}, Options(), "expression"),
        ({"pipeline": "previz", "target_model": "previz"}, Options(), "previz"),
        ({}, Options(skip=True), "switch"),
        ({}, Options(offline=True), "offline"),
    ],
)
def test_bypass_makes_no_call(fake_gemini, changes, options, reason):
    built = build_prompt(make_plan(**changes))
    result = enrich(built, options)
    assert result.outcome == "bypassed" and result.reason.startswith(reason)
    assert result.text == built.text
    assert fake_gemini.calls() == []
    if reason == "previz":
        assert result.version == "v1.0" and "previz" in result.system_prompt.path.name


def test_no_api_key_is_offline(monkeypatch):
    result = enrich(build_prompt(make_plan()))
    assert result.outcome == "bypassed" and result.reason.startswith("offline: no API key")


def test_unreachable_network_is_offline(monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", "k")
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    result = enrich(build_prompt(make_plan()))
    assert result.outcome == "bypassed" and result.reason.startswith("offline: network unreachable")


def test_switch_in_config(fake_gemini, tmp_path, monkeypatch):
    import shutil

    from engine.core import paths
    from engine.takes.prompting.config import clear_cache

    folder = tmp_path / "config"
    shutil.copytree(paths.packaged_config_dir(), folder)
    data = json.loads((folder / "models.json").read_text())
    data["enrichment"]["skip_flash_enrichment"] = True
    (folder / "models.json").write_text(json.dumps(data))
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(folder))
    clear_cache()
    assert enrich(build_prompt(make_plan())).reason.startswith("switch")
    assert fake_gemini.calls() == []


def _block(n=4):
    names = ["Mara", "Ann", "Joss", "Ike", "Bea", "Cal", "Dov", "Eli"]
    return [build_prompt(make_plan(pipeline="video", target_model="seeddance",
                                   subjects=[{"name": names[i]}], action=f"{names[i]} runs"))
            for i in range(n)]


def test_seeddance_block_is_one_json_call_checked_item_by_item(fake_gemini):
    block = _block(4)
    good = [f"{b.locked_terms[0]} sprints along the flooded corridor, camera tracking low." for b in block]
    bad = list(good)
    bad[2] = "Someone sprints along the corridor."
    fake_gemini.script(Reply(text=json.dumps(bad)), Reply(text=json.dumps(good)))
    [results] = enrich_batch([block])
    assert [r.outcome for r in results] == ["enriched"] * 4
    assert [r.text for r in results] == good
    calls = fake_gemini.calls()
    assert len(calls) == 2 and all(c.wants_json for c in calls)
    assert len(calls[0].payload["scene_block"]) == 4


def test_seeddance_item_failing_twice_falls_back_alone(fake_gemini):
    block = _block(3)
    answer = [f"{b.locked_terms[0]} sprints on." for b in block]
    answer[1] = "A runner sprints on."
    fake_gemini.script(Reply(text=json.dumps(answer)), Reply(text=json.dumps(answer)))
    [results] = enrich_batch([block])
    assert [r.outcome for r in results] == ["enriched", "fell_back", "enriched"]
    assert results[1].text == block[1].text and results[1].reason.startswith("locked_term_missing: 'Ann'")


@pytest.mark.parametrize("answer", ["Mara runs. Ann runs.", json.dumps({"a": 1}), json.dumps(["only one"])])
def test_malformed_seeddance_answer_falls_back_for_the_whole_block(fake_gemini, answer):
    block = _block(3)
    fake_gemini.script(Reply(text=answer), Reply(text=answer))
    [results] = enrich_batch([block])
    assert all(r.outcome == "fell_back" and r.reason.startswith("not_json") for r in results)
    assert [r.text for r in results] == [b.text for b in block]


def test_enriched_prompt_cannot_be_enriched_again(fake_gemini):
    result = enrich(build_prompt(make_plan()))
    with pytest.raises(TypeError):
        enrich(result)
