"""`dailies generate`, `takes find` and `costs` through the real entry point, with the real
google-genai client against the loopback fake."""

from __future__ import annotations

import json

from engine.cli.main import main
from engine.store.shots import add_shot
from engine.store.takes import list_takes
from engine.takes.provenance import read, strip

from .conftest import plan_dict

GOOD = "Arri Alexa Mini LF still: Mara, grim resolve, strains at the jammed valve under sodium light."


def _shot(store, code="EP01_SC01_SH010", **changes):
    with store.write() as s:
        add_shot(s, episode="EP01", scene="SC01", code=code, plan=plan_dict(**changes))
    return code


def test_generate_records_the_take_and_calls_flash_once(store, fake_gemini, capsys):
    from tests.fakes import Reply

    code = _shot(store)
    fake_gemini.script(Reply(text=GOOD, input_tokens=1000, output_tokens=100))
    assert main(["generate", "--store", str(store.location.path), "--shot", code, "--seed", "42", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["take"] == f"{code}/take_001" and out["enrichment_outcome"] == "enriched"
    flash = [r for r in fake_gemini.requests if not r.wants_image]
    images = [r for r in fake_gemini.requests if r.wants_image]
    assert len(flash) == 1 and len(images) == 1  # the keyframe went through Flash exactly once
    assert images[0].text == GOOD and images[0].generation_config["seed"] == 42
    with store.read() as s:
        [take] = list_takes(s, code)
    assert (take.prompt, take.seed, take.system_prompt_version, take.target) == (GOOD, 42, "v1.1", "nbp")
    assert take.system_prompt_text == flash[0].system and take.builder_prompt != GOOD
    path = store.resolve_media(take.output_path)
    meta = read(path.read_bytes())
    assert meta["take"] == take.ref and meta["prompt"] == GOOD and meta["seed"] == "42"
    assert meta["system_prompt_version"] == "v1.1"

    # takes find: by metadata, then by content hash once the metadata is stripped
    assert main(["takes", "find", str(path), "--store", str(store.location.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["take"] == take.ref
    bare = path.with_name("stripped.png")
    bare.write_bytes(strip(path.read_bytes()))
    assert read(bare.read_bytes()) == {}
    assert main(["takes", "find", str(bare), "--store", str(store.location.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["take"] == take.ref

    assert main(["costs", "--store", str(store.location.path), "--shot", code, "--json"]) == 0
    costs = json.loads(capsys.readouterr().out)
    assert costs["by_pass"]["prompt_enrichment"] > 0 and costs["by_pass"]["generation"] == 0.134
    assert costs["tokens"]["prompt_enrichment"] == 1100


def test_every_attempt_is_a_take_and_the_key_is_never_stored(store, fake_gemini, capsys, caplog):
    from tests.fakes import Reply

    code = _shot(store)
    fake_gemini.script(Reply(text="no names here"), Reply(status=503), Reply(status=500), Reply(status=500))
    assert main(["generate", "--store", str(store.location.path), "--shot", code]) == 1
    captured = capsys.readouterr()
    with store.read() as s:
        [take] = list_takes(s, code)
    assert take.status == "failed" and take.enrichment_outcome == "fell_back"
    assert take.enrichment_reason.startswith("locked_term_missing: 'Mara'; retry at temperature 0: http_503")
    assert take.prompt == take.builder_prompt and take.extra["error"].startswith("http_500")
    key = "test-key-not-secret"
    store.close()
    for f in store.location.path.parent.iterdir():
        if f.is_file():
            assert key.encode() not in f.read_bytes(), f
    assert key not in captured.out + captured.err + caplog.text


def test_generate_without_key_keeps_a_failed_take(store, capsys):
    code = _shot(store)
    assert main(["generate", "--store", str(store.location.path), "--shot", code]) == 1
    with store.read() as s:
        [take] = list_takes(s, code)
    assert take.enrichment_outcome == "bypassed" and take.enrichment_reason.startswith("offline: no API key")
    assert take.status == "failed" and take.prompt == take.builder_prompt


def test_env_shot_is_generated_without_flash(store, fake_gemini):
    from engine.takes.generation import generate

    code = _shot(store, env_only=True, subjects=[])
    result = generate(store, code, seed=1)
    assert result.take.enrichment_outcome == "bypassed" and result.take.enrichment_reason.startswith("env")
    assert [r.wants_image for r in fake_gemini.requests] == [True]


def test_batch_generation_makes_one_take_per_shot(store, fake_gemini):
    from engine.takes.generation import generate_shots

    codes = [_shot(store, code=f"EP01_SC01_SH{i:03d}") for i in range(1, 7)]
    fake_gemini.error_rate = 0.3
    results = generate_shots(store, codes, concurrency=3)
    assert len(results) == 6
    with store.read() as s:
        for code in codes:
            [take] = list_takes(s, code)
            assert take.prompt and take.enrichment_outcome in ("enriched", "fell_back")


def test_prompt_build_and_enrich_cli(tmp_path, fake_gemini, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps([plan_dict(), plan_dict(env_only=True, subjects=[])]))
    assert main(["prompt", "build", str(plan), "--json"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert len(built) == 2 and built[0]["locked_terms"][0] == "Mara"
    assert main(["prompt", "enrich", str(plan), "--json"]) == 0
    enriched = json.loads(capsys.readouterr().out)
    assert [e["outcome"] for e in enriched] == ["enriched", "bypassed"]
    assert enriched[0]["version"] == "v1.1" and enriched[0]["attempts"][0]["check"] == "passed"
    assert main(["prompt", "enrich", str(plan), "--offline", "--model", "kling_i2v"]) == 2  # keyframe plan, video target
    assert "serves video" in capsys.readouterr().err
    assert main(["prompts", "diff", "nbp", "v1.0", "v1.1"]) == 0
    assert "+++ flash_to_nbp_v1.1.txt" in capsys.readouterr().out
