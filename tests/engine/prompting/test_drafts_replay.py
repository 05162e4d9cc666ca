"""Drafts, releases and replays of system-prompt versions: a draft never makes a take and a
release is never edited; a replay lists exactly the takes of the target rejected in the week
under other versions, with the prompt sent then and the one the version writes now (the real
google-genai client against the loopback server), and is saved to be opened again."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from engine.cli.main import main
from engine.core import paths
from engine.core.errors import ConfigError, DailiesError
from engine.store.reviews import add_decision, retract_latest
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take
from engine.takes.generation import generate
from engine.takes.prompting.config import clear_cache
from engine.takes.prompting.drafts import draft, is_draft, release, save_draft
from engine.takes.prompting.enrichment import Options
from engine.takes.prompting.replay import replay
from engine.takes.prompting.replay_export import replay_html
from engine.takes.prompting.replay_store import list_replays, load_replay
from engine.takes.prompting.system_prompts import manifest, system_prompt
from engine.takes.reports.weeks import IsoWeek

from .conftest import plan_dict

W47 = IsoWeek(2026, 47)
MON = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
RULE = "Keep every named subject's wardrobe exactly as the plan gives it.\n"


@pytest.fixture
def prompts(tmp_path, monkeypatch):
    folder = tmp_path / "prompts"
    shutil.copytree(paths.prompts_dir(), folder)
    monkeypatch.setenv("DAILIES_PROMPTS_DIR", str(folder))
    clear_cache()
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request):
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def test_a_draft_is_edited_then_released_and_never_edited_again(prompts):
    d = draft("nbp", "v1.0")
    assert (d.version, d.path.name) == ("v1.2", "flash_to_nbp_v1.2.txt")
    assert d.path.read_bytes() == (prompts / "flash_to_nbp_v1.0.txt").read_bytes()
    assert is_draft("nbp", "v1.2") and not is_draft("nbp", "v1.1")
    with pytest.raises(DailiesError, match="already has a draft, v1.2"):
        draft("nbp", "v1.1")
    save_draft("nbp", "v1.2", d.path.read_text() + RULE)
    assert system_prompt("nbp", "v1.2").text.endswith(RULE)

    sha = release("nbp", "v1.2")
    assert manifest(prompts)["flash_to_nbp_v1.2.txt"] == sha and not is_draft("nbp", "v1.2")
    before = (prompts / "flash_to_nbp_v1.2.txt").read_bytes()
    with pytest.raises(DailiesError, match="is released .* never edited"):
        save_draft("nbp", "v1.2", "something else")
    with pytest.raises(DailiesError, match="is released .* never edited"):
        save_draft("nbp", "v1.1", "something else")
    with pytest.raises(DailiesError, match="released already"):
        release("nbp", "v1.2")
    assert (prompts / "flash_to_nbp_v1.2.txt").read_bytes() == before
    with (prompts / "flash_to_nbp_v1.2.txt").open("a") as f:
        f.write("sneaked in\n")
    with pytest.raises(ConfigError, match="released version was edited"):
        system_prompt("nbp", "v1.2")
    assert draft("nbp", "v1.1").version == "v1.3"  # the next one goes above the newest


def test_the_cli_drafts_and_releases_and_refuses_a_second_release(prompts, capsys):
    assert main(["prompts", "draft", "kling_t2v", "--from", "v1.1"]) == 0
    assert "kling_t2v v1.2" in capsys.readouterr().out
    assert main(["prompts", "release", "kling_t2v", "v1.2"]) == 0
    assert main(["prompts", "release", "kling_t2v", "v1.2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "released already" in err


def test_a_draft_never_makes_a_take(prompts, tmp_path, monkeypatch, store):
    config = tmp_path / "config"
    shutil.copytree(paths.config_dir(), config)
    draft("nbp", "v1.1")
    models = json.loads((config / "models.json").read_text())
    models["profiles"]["nbp"]["version"] = "v1.2"
    (config / "models.json").write_text(json.dumps(models))
    monkeypatch.setenv("DAILIES_CONFIG_DIR", str(config))
    clear_cache()
    with store.write() as s:
        add_shot(s, episode="EP01", code="EP01_SH001", plan=plan_dict())
    with pytest.raises(DailiesError, match="nbp v1.2 is a draft and never makes a take"):
        generate(store, "EP01_SH001", seed=1, options=Options(offline=True))
    with store.read() as s:
        from engine.store.takes import list_takes

        assert list_takes(s, "EP01_SH001") == []


def _take(store, n: int, version: str, *, target="nbp", at=MON, plan=True) -> int:
    code = f"EP01_SH{n:03d}"
    with store.write() as s:
        add_shot(s, episode="EP01", code=code, plan=plan_dict(target_model=target if target == "nbp" else "nbp") if plan else None)
        return append_take(s, NewTake(shot=code, model="nbp-model", pipeline="keyframe", target=target,
                                      system_prompt_version=version, prompt=f"prompt sent for {code}",
                                      seed=n, created_at=at)).id


def _decide(store, take, approve, tags=(), note="", at=MON + timedelta(hours=2)):
    with store.write() as s:
        add_decision(s, take, reviewer="ana", approve=approve, tags=tags, note=note, at=at)


def _week(store) -> dict[str, int]:
    t = {
        "v10": _take(store, 1, "v1.0"), "v11": _take(store, 2, "v1.1"), "v11_light": _take(store, 3, "v1.1"),
        "approved": _take(store, 4, "v1.1"), "other_target": _take(store, 5, "v1.0", target="kling_t2v"),
        "last_week": _take(store, 6, "v1.1"), "undone": _take(store, 7, "v1.1"), "same": _take(store, 8, "v1.2"),
        "no_plan": _take(store, 9, "v1.0", plan=False),
    }
    _decide(store, t["v10"], False, ("anatomy_failure",), note="six fingers")
    _decide(store, t["v11"], False, ("anatomy_failure", "style_lighting"))
    _decide(store, t["v11_light"], False, ("style_lighting",))
    _decide(store, t["approved"], True)
    _decide(store, t["other_target"], False, ("anatomy_failure",))
    _decide(store, t["last_week"], False, ("anatomy_failure",), at=MON - timedelta(days=3))
    _decide(store, t["undone"], False, ("anatomy_failure",))
    with store.write() as s:
        retract_latest(s, t["undone"], reviewer="ana")
    _decide(store, t["same"], False, ("anatomy_failure",))
    _decide(store, t["no_plan"], False, ("camera_composition",))
    return t


def test_replay_lists_exactly_the_weeks_rejected_takes_with_both_prompts(prompts, any_store, fake_gemini):
    d = draft("nbp", "v1.1")
    save_draft("nbp", "v1.2", d.path.read_text() + RULE)
    t = _week(any_store)

    result = replay(any_store, "nbp", "v1.2", W47)
    by_take = {i.take_id: i for i in result.items}
    assert set(by_take) == {t["v10"], t["v11"], t["v11_light"], t["no_plan"]}
    assert not result.released and result.writer_called
    first = by_take[t["v10"]]
    assert (first.sent_version, first.sent_prompt) == ("v1.0", "prompt sent for EP01_SH001")
    assert first.outcome == "enriched" and first.new_prompt and first.new_prompt != first.sent_prompt
    assert (first.tags, first.note) == (("anatomy_failure",), "six fingers")
    assert first.diff.changed
    assert by_take[t["no_plan"]].outcome == "no_plan"
    calls = [r for r in fake_gemini.requests if not r.wants_image]
    assert len(calls) == 3 and all(r.system.endswith(RULE) for r in calls)  # v1.2's text went out

    only = replay(any_store, "nbp", "v1.2", W47, tag="style_lighting")
    assert {i.take_id for i in only.items} == {t["v11"], t["v11_light"]}
    again = load_replay(any_store, result.id)
    assert again.items == result.items and again.version == "v1.2"
    assert [r.id for r in list_replays(any_store, target="nbp")] == [only.id, result.id]
    page = replay_html(again)
    assert "prompt sent for EP01_SH001" in page and first.new_prompt[:40] in page


def test_offline_replay_says_it_cannot_call_the_writer(prompts, store, tmp_path, capsys):
    t = _week(store)
    assert main(["prompts", "replay", "nbp", "v1.1", "--week", "2026-W47", "--store", str(store.location.path),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert not data["writer_called"]
    assert {i["take_id"] for i in data["items"]} == {t["v10"], t["same"], t["no_plan"]}
    enriched = next(i for i in data["items"] if i["take_id"] == t["v10"])
    assert enriched["outcome"] == "bypassed" and "cannot be called" in enriched["reason"]
    assert enriched["new_prompt"] == enriched["builder_prompt"]
    page = tmp_path / "replay.html"
    assert main(["prompts", "replays", "--store", str(store.location.path), "--open", str(data["id"]),
                 "--html", str(page)]) == 0
    assert "cannot be called" in page.read_text()
    assert main(["prompts", "replay", "nbp", "v9.9", "--store", str(store.location.path)]) == 2
    assert "no version v9.9 of nbp" in capsys.readouterr().err
