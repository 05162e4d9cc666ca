"""Review filters: which takes the desk shows under a saved view's criteria, in filmstrip
order, on SQLite and on PostgreSQL (the standing-decision query differs most between them)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from engine.core.errors import ConfigError
from engine.store.filters import (
    TakeCriteria,
    decisions_since,
    filter_choices,
    latest_decision_id,
    review_strip,
    strip_takes,
)
from engine.store.models import Shot
from engine.store.reviews import add_decision, retract_latest
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    from engine.store.db import open_store

    if request.param == "sqlite":
        s = open_store(tmp_path / "store.sqlite", create=True)
    else:
        s = open_store(request.getfixturevalue("pg_url"), create=True)
    yield s
    s.close()


def _take(s, shot, model="imagen-3", version="v1.0", failed=False):
    return append_take(s, NewTake(shot=shot, model=model, pipeline="keyframe", prompt="p",
                                  system_prompt_version=version, failed=failed, output_path=f"{shot}.png"))


@pytest.fixture
def episode(any_store):
    """EP01: SH010 (approved, rejected for anatomy), SH020 (continuity reject retracted, failed),
    SH030 (no takes), SH040 (undecided, style reject); EP02: SH500 (undecided, nbp-1)."""
    ids = {}
    with any_store.write() as s:
        for code in ("SH040", "SH010", "SH020", "SH030"):
            add_shot(s, episode="EP01", code=code, scene="SC01")
        add_shot(s, episode="EP02", code="SH500", scene="SC09")
        # filmstrip order is the episode's shot order, not creation order
        for pos, code in enumerate(("SH010", "SH020", "SH030", "SH040"), start=1):
            s.execute(update(Shot).where(Shot.code == code).values(position=pos))
        s.flush()
        for key, shot, kw in (
            ("a1", "SH010", {}), ("a2", "SH010", {"version": "v1.1"}),
            ("b1", "SH020", {"model": "nbp-1"}), ("b2", "SH020", {"failed": True}),
            ("d1", "SH040", {}), ("d2", "SH040", {"version": "v1.1"}),
            ("e1", "SH500", {"model": "nbp-1", "version": "v2.0"}),
        ):
            ids[key] = _take(s, shot, **kw).id
    with any_store.write() as s:
        add_decision(s, ids["a1"], reviewer="ana", approve=True)
        add_decision(s, ids["a2"], reviewer="ana", approve=False, tags=["anatomy_failure"])
        add_decision(s, ids["b1"], reviewer="ana", approve=False, tags=["continuity_error"],
                     conflicts_with=ids["a1"])
        retract_latest(s, ids["b1"], reviewer="ana")
        add_decision(s, ids["d2"], reviewer="ben", approve=False, tags=["style_lighting", "anatomy_failure"])
    return ids


def _view(store, **criteria):
    with store.read() as s:
        return [(shot.code, [(t.number, t.status) for t in shot.takes])
                for shot in review_strip(s, TakeCriteria(**criteria))]


def test_no_criteria_lists_every_shot_in_order_with_derived_statuses(any_store, episode):
    assert _view(any_store) == [
        ("SH010", [(1, "approved"), (2, "rejected")]),
        ("SH020", [(1, "pending_review"), (2, "failed")]),  # the retraction put b1 back
        ("SH030", []),
        ("SH040", [(1, "pending_review"), (2, "rejected")]),
        ("SH500", [(1, "pending_review")]),
    ]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"status": "undecided"}, {"SH020": [1], "SH040": [1], "SH500": [1]}),
        ({"status": "approved"}, {"SH010": [1]}),
        ({"status": "rejected"}, {"SH010": [2], "SH040": [2]}),
        ({"status": "failed"}, {"SH020": [2]}),
        ({"tags": ("anatomy_failure",)}, {"SH010": [2], "SH040": [2]}),
        ({"tags": ("style_lighting",)}, {"SH040": [2]}),
        ({"tags": ("continuity_error",)}, {}),  # retracted: no longer standing
        ({"system_prompt_versions": ("v1.1",)}, {"SH010": [2], "SH040": [2]}),
        ({"models": ("nbp-1",)}, {"SH020": [1], "SH500": [1]}),
        ({"models": ("nbp-1",), "status": "undecided", "episode": "EP02"}, {"SH500": [1]}),
        ({"status": "rejected", "system_prompt_versions": ("v1.0",)}, {}),
    ],
)
def test_criteria_keep_only_matching_takes_and_drop_empty_shots(any_store, episode, criteria, expected):
    got = {code: [n for n, _ in takes] for code, takes in _view(any_store, **criteria)}
    assert got == expected


def test_episode_alone_lists_that_episodes_shots_with_or_without_takes(any_store, episode):
    assert [code for code, _ in _view(any_store, episode="EP01")] == ["SH010", "SH020", "SH030", "SH040"]


def test_filter_choices_offer_what_is_in_use(any_store, episode):
    with any_store.read() as s:
        choices = filter_choices(s)
    assert choices.episodes == ("EP01", "EP02")
    assert choices.models == ("imagen-3", "nbp-1")
    assert choices.system_prompt_versions == ("v1.0", "v1.1", "v2.0")


def test_decisions_since_lists_only_newer_decisions_oldest_first(any_store, episode):
    with any_store.read() as s:
        newest = latest_decision_id(s)
        assert len(decisions_since(s, 0)) == 5
        assert decisions_since(s, newest) == []
    with any_store.write() as s:
        later = add_decision(s, episode["e1"], reviewer="ben", approve=True)
    with any_store.read() as s:
        assert decisions_since(s, newest) == [(later.id, episode["e1"])]
        assert latest_decision_id(s) == later.id


def test_strip_takes_gives_fresh_statuses(any_store, episode):
    with any_store.read() as s:
        before = strip_takes(s, [episode["d1"], episode["b2"]])
    assert {k: v.status for k, v in before.items()} == {episode["d1"]: "pending_review", episode["b2"]: "failed"}
    with any_store.write() as s:
        add_decision(s, episode["d1"], reviewer="ana", approve=True)
    with any_store.read() as s:
        assert strip_takes(s, [episode["d1"]])[episode["d1"]].status == "approved"
        assert strip_takes(s, []) == {}


def test_an_empty_store_gives_an_empty_strip(any_store):
    with any_store.read() as s:
        assert review_strip(s) == []
        assert latest_decision_id(s) == 0


def test_criteria_round_trip_through_a_saved_view():
    c = TakeCriteria(status="rejected", tags=("anatomy_failure",), models=("nbp-1",), episode="EP01")
    assert TakeCriteria.from_json(c.to_json()) == c
    assert c.describe() == "rejected, tag anatomy_failure, model nbp-1"
    assert TakeCriteria().describe() == "all takes" and TakeCriteria().is_empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"status": "maybe"}', "filter status 'maybe' is not one of"),
        ('{"colour": "red"}', "view 'nightly': key 'colour' is not known"),
        ("[1, 2]", "view 'nightly': must hold a JSON object"),
        ("{oops", "view 'nightly': not valid JSON"),
    ],
)
def test_a_bad_saved_view_is_refused_with_its_name(text, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        TakeCriteria.from_json(text, where="view 'nightly'")
