"""Review decisions are history: the status is the latest standing decision."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from engine.core.errors import StoreError
from engine.store.costs import add_cost, cost_summary
from engine.store.reviews import add_decision, history, retract_latest
from engine.store.takes import NewTake, append_take, list_takes

from .helpers import add_shots


@pytest.fixture
def two_takes(store):
    add_shots(store, "SH010", "SH020")
    with store.write() as s:
        append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="a", cost=0.134))
        append_take(s, NewTake(shot="SH020", model="m", pipeline="keyframe", prompt="b", cost=0.134))
    return store


def _status(store, shot="SH010"):
    with store.read() as s:
        return list_takes(s, shot)[0].status


def test_status_follows_the_latest_decision_and_history_stays(two_takes):
    store = two_takes
    with store.write() as s:
        add_decision(s, "SH010/take_001", reviewer="ana", approve=False, tags=["anatomy_failure"])
    assert _status(store) == "rejected"
    with store.write() as s:
        add_decision(s, "SH010/take_001", reviewer="ben", approve=True)
    assert _status(store) == "approved"
    with store.read() as s:
        assert [d.action for d in history(s, "SH010/take_001")] == ["reject", "approve"]


def test_undo_appends_a_retraction_and_restores_the_previous_status(two_takes):
    store = two_takes
    with store.write() as s:
        add_decision(s, "SH010/take_001", reviewer="ana", approve=False, tags=["style_lighting"])
        add_decision(s, "SH010/take_001", reviewer="ana", approve=True)
        retract_latest(s, "SH010/take_001", reviewer="ana")
    assert _status(store) == "rejected"
    with store.write() as s:
        retract_latest(s, "SH010/take_001", reviewer="ana")
    assert _status(store) == "pending_review"
    with store.read() as s:
        assert [d.action for d in history(s, "SH010/take_001")] == [
            "reject", "approve", "retract", "retract"]
    with store.write() as s, pytest.raises(StoreError, match="no standing decision by ana to undo"):
        retract_latest(s, "SH010/take_001", reviewer="ana")


def test_a_continuity_rejection_names_the_take_it_conflicts_with(two_takes):
    with two_takes.write() as s:
        d = add_decision(s, "SH020/take_001", reviewer="ana", approve=False,
                         tags=["continuity_error"], conflicts_with="SH010/take_001",
                         note="coat changes colour")
    assert d.conflicts_with == "SH010/take_001"
    assert d.tags == ("continuity_error",)


def test_bad_decisions_are_refused_with_the_reason(two_takes):
    with two_takes.write() as s:
        with pytest.raises(StoreError, match="'blurry' is not a rejection tag"):
            add_decision(s, "SH010/take_001", reviewer="ana", approve=False, tags=["blurry"])
        with pytest.raises(StoreError, match="approval carries no rejection tags"):
            add_decision(s, "SH010/take_001", reviewer="ana", approve=True, tags=["anatomy_failure"])
        with pytest.raises(StoreError, match="only with continuity_error"):
            add_decision(s, "SH010/take_001", reviewer="ana", approve=False,
                         tags=["anatomy_failure"], conflicts_with="SH020/take_001")
    assert _status(two_takes) == "pending_review"


def test_decisions_cannot_be_rewritten(two_takes):
    with two_takes.write() as s:
        add_decision(s, "SH010/take_001", reviewer="ana", approve=True)
    with pytest.raises(DatabaseError, match="append-only"):
        with two_takes.write() as s:
            s.execute(text("UPDATE review_decision SET action = 'reject'"))
    with pytest.raises(DatabaseError, match="append-only"):
        with two_takes.write() as s:
            s.execute(text("DELETE FROM review_decision"))
    assert _status(two_takes) == "approved"


def test_landed_cost_is_the_sum_of_a_shots_entries(two_takes):
    with two_takes.write() as s:
        add_cost(s, pass_type="prompt_enrichment", amount=0.0021, model="flash", shot="SH010",
                 input_tokens=1200, output_tokens=150)
    with two_takes.read() as s:
        summary = cost_summary(s, shot="SH010")
        episode = cost_summary(s, episode="EP01")
    assert summary.by_pass == {"generation": 0.134, "prompt_enrichment": 0.0021}
    assert summary.landed == pytest.approx(0.1361)
    assert summary.tokens["prompt_enrichment"] == 1350
    assert episode.landed == pytest.approx(0.2701)


def test_a_decision_replayed_with_its_key_is_stored_once(two_takes):
    for _ in range(2):
        with two_takes.write() as s:
            first = add_decision(s, "SH010/take_001", reviewer="ana", approve=False,
                                 tags=["anatomy_failure"], client_key="desk-ana-0001")
    for _ in range(2):
        with two_takes.write() as s:
            undo = retract_latest(s, "SH010/take_001", reviewer="ana", client_key="desk-ana-0002")
    with two_takes.read() as s:
        assert [d.id for d in history(s, "SH010/take_001")] == [first.id, undo.id]
    assert _status(two_takes) == "pending_review"
