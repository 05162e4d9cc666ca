"""The review rule, undo ownership and intake checks, in the engine and through the CLI, on
SQLite and on PostgreSQL: what the store holds after each call is what the reviewer meant."""

from __future__ import annotations

import json

import pytest

from engine.cli.main import main
from engine.core import paths
from engine.core.errors import ConfigError, StoreError
from engine.core.review_config import load_review_config
from engine.store.reviews import add_decision, decision_problem, history, retract_latest
from engine.store.takes import NewTake, append_take, list_takes
from engine.takes.intake import record_external_take

from .helpers import add_shots, image

TAKE = "SH010/take_001"


@pytest.fixture(params=["sqlite", "postgresql"])
def spec(request, tmp_path):
    """(store, the text the CLI's --store takes) for a store with two shots of one take."""
    if request.param == "sqlite":
        store = request.getfixturevalue("store")
        text = str(store.location.path)
    else:
        store = request.getfixturevalue("pg_store")
        text = request.getfixturevalue("pg_url")
    add_shots(store, "SH010", "SH020")
    with store.write() as s:
        for shot in ("SH010", "SH020"):
            append_take(s, NewTake(shot=shot, model="m", pipeline="keyframe", prompt=f"p {shot}"))
    return store, text


def _history(store, ref=TAKE):
    with store.read() as s:
        return [(d.reviewer, d.action, d.tags) for d in history(s, ref)]


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- the tag rule ----------------------------------------------------------------------------
def test_a_rejection_without_a_tag_is_refused_and_nothing_is_written(spec, capsys):
    store, where = spec
    with store.write() as s, pytest.raises(StoreError, match="a rejection needs at least one tag"):
        add_decision(s, TAKE, reviewer="ana", approve=False, note="hands")
    code, _out, err = _cli(capsys, "review", "add", "--store", where, "--take", TAKE, "--reject",
                           "--note", "hands", "--reviewer", "ana")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "at least one tag" in err
    assert _history(store) == []
    code, out, _ = _cli(capsys, "review", "add", "--store", where, "--take", TAKE, "--reject",
                        "--tag", "style_lighting", "--reviewer", "ana")
    assert code == 0 and "style_lighting" in out
    assert _history(store) == [("ana", "reject", ("style_lighting",))]


def test_the_reference_tag_is_the_one_the_config_marks(tmp_path):
    data = json.loads((paths.packaged_config_dir() / "review.json").read_text())
    for entry in data["taxonomy"]:  # move the mark from continuity_error to camera_composition
        entry["needs_reference"] = entry["tag"] == "camera_composition"
    path = tmp_path / "review.json"
    path.write_text(json.dumps(data))
    config = load_review_config(path)
    assert decision_problem(config, approve=False, tags=["camera_composition"], has_conflict=True) is None
    refused = decision_problem(config, approve=False, tags=["continuity_error"], has_conflict=True)
    assert refused and "only with camera_composition" in refused
    assert decision_problem(config, approve=True, tags=[]) is None
    assert "not a rejection tag" in decision_problem(config, approve=False, tags=["blurry"])


def test_a_conflicting_take_needs_the_reference_tag(spec):
    store, _ = spec
    with store.write() as s, pytest.raises(StoreError, match="only with continuity_error"):
        add_decision(s, TAKE, reviewer="ana", approve=False, tags=["anatomy_failure"],
                     conflicts_with="SH020/take_001")
    with store.write() as s:
        d = add_decision(s, TAKE, reviewer="ana", approve=False, tags=["continuity_error"],
                         conflicts_with="SH020/take_001")
    assert d.conflicts_with == "SH020/take_001"


# -- overruling --------------------------------------------------------------------------
def test_recording_over_another_reviewers_decision_says_so(spec, capsys):
    store, where = spec
    with store.write() as s:
        first = add_decision(s, TAKE, reviewer="ana.ruiz", approve=True)
        again = add_decision(s, TAKE, reviewer="ana.ruiz", approve=True)
    assert first.overrules is None and again.overrules is None  # her own: nothing to report
    code, out, _ = _cli(capsys, "review", "add", "--store", where, "--take", TAKE, "--reject",
                        "--tag", "anatomy_failure", "--reviewer", "ben.okafor")
    assert code == 0 and "overrules ana.ruiz's approval" in out
    code, out, _ = _cli(capsys, "review", "history", "--store", where, "--take", TAKE)
    lines = out.splitlines()
    assert "overrules ana.ruiz's approval" in lines[-1] and "ben.okafor" in lines[-1]
    assert "overrules" not in "\n".join(lines[:-1])


# -- undo ownership ----------------------------------------------------------------------
def test_undo_withdraws_only_your_own_decision_unless_another_is_named(spec, capsys):
    store, where = spec
    with store.write() as s:
        add_decision(s, TAKE, reviewer="ana.ruiz", approve=False, tags=["anatomy_failure"])
        add_decision(s, TAKE, reviewer="ben.okafor", approve=True)
    before = _history(store)
    # root has nothing on the take: one line, exit 2, nothing written
    code, out, err = _cli(capsys, "review", "undo", "--store", where, "--take", TAKE, "--reviewer", "root")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no standing decision by root" in err and "ben.okafor's approval" in err
    assert _history(store) == before
    # ana's own undo withdraws her rejection, not ben's later approval
    code, out, _ = _cli(capsys, "review", "undo", "--store", where, "--take", TAKE, "--reviewer", "ana.ruiz")
    assert code == 0 and "ana.ruiz's rejection" in out
    with store.read() as s:
        assert list_takes(s, "SH010")[0].status == "approved"
    # now ana has nothing standing: refused again
    code, _, err = _cli(capsys, "review", "undo", "--store", where, "--take", TAKE, "--reviewer", "ana.ruiz")
    assert code == 2 and "no standing decision by ana.ruiz" in err
    # ben's approval goes only when named
    code, out, _ = _cli(capsys, "review", "undo", "--store", where, "--take", TAKE,
                        "--reviewer", "ana.ruiz", "--of", "ben.okafor")
    assert code == 0 and "ben.okafor's approval" in out
    with store.read() as s:
        assert list_takes(s, "SH010")[0].status == "pending_review"
        undo = history(s, TAKE)[-1]
    assert undo.reviewer == "ana.ruiz" and undo.withdrew == "ben.okafor's approval"


def test_undo_of_a_named_reviewer_with_nothing_standing_is_refused(spec):
    store, _ = spec
    with store.write() as s:
        add_decision(s, TAKE, reviewer="ana.ruiz", approve=True)
    with store.write() as s, pytest.raises(StoreError, match="no standing decision by ben.okafor"):
        retract_latest(s, TAKE, reviewer="ana.ruiz", of="ben.okafor")
    assert _history(store) == [("ana.ruiz", "approve", ())]


# -- intake -------------------------------------------------------------------------------
def test_takes_add_refuses_an_unreleased_version_and_an_unknown_model(spec, capsys, tmp_path):
    store, where = spec
    frame = image(tmp_path / "ext.png")
    base = ["takes", "add", "--store", where, "--shot", "SH010", "--output", str(frame),
            "--prompt", "exact words", "--seed", "3"]
    code, _, err = _cli(capsys, *base, "--model", "gemini-3-pro-image-preview", "--target", "nbp",
                        "--version", "v1.7")
    assert code == 2 and "'v1.7' was never released for nbp" in err and "v1.0, v1.1" in err
    code, _, err = _cli(capsys, *base, "--model", "gemini-3-pro-image-preview", "--target", "veo",
                        "--version", "v1.1")  # v1.1 exists for nbp, never for veo
    assert code == 2 and "for veo" in err and "released: veo: v1.0" in err
    code, _, err = _cli(capsys, *base, "--model", "flux-dev", "--target", "nbp", "--version", "v1.0")
    assert code == 2 and "model 'flux-dev'" in err and "gemini-3-pro-image-preview" in err
    assert len(err.strip().splitlines()) == 1
    with store.read() as s:
        assert len(list_takes(s, "SH010")) == 1  # only the take the fixture made
    code, out, _ = _cli(capsys, *base, "--model", "flux-dev", "--allow-unknown-model",
                        "--target", "nbp", "--version", "v1.0")
    assert code == 0 and "SH010/take_002" in out
    take = record_external_take(store, shot="SH010", output=frame, prompt="p", seed=1,
                                model="kling-v2.1-t2v", system_prompt_version="v1.1")
    assert take.system_prompt_version == "v1.1"  # released for kling_t2v, the model's target
    with pytest.raises(ConfigError, match="never released for any target of kling-v2.1-i2v"):
        record_external_take(store, shot="SH010", output=frame, prompt="p", seed=1,
                             model="kling-v2.1-i2v", system_prompt_version="v1.1")
