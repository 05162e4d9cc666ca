"""The desk hears of other reviewers' decisions on a shared store by polling it off the GUI
thread; a poll asked for while one runs replaces it, and nothing is heard twice."""

from __future__ import annotations

from engine.store.reviews import add_decision
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take


def _take(store, code: str) -> int:
    with store.write() as s:
        add_shot(s, episode="EP01", code=code)
        return append_take(s, NewTake(shot=code, model="imagen-3", pipeline="keyframe")).id


def test_another_reviewers_decision_arrives_once(qtbot, store):
    from desktop import ops
    from desktop.decision_poller import DecisionPoller

    before = _take(store, "EP01_SH010")
    with store.write() as s:  # decided before the desk opened: already on its strip, not news
        add_decision(s, before, reviewer="ana", approve=True)
    poller = DecisionPoller(store, interval_ms=60_000)
    assert ops.wait_idle()
    heard = []
    poller.decisions_arrived.connect(heard.append)
    fresh = _take(store, "EP01_SH020")
    with store.write() as s:
        add_decision(s, fresh, reviewer="chloe", approve=False, tags=["anatomy_failure"], note="six fingers")
    poller.poll()
    poller.poll()  # asked again before the first answered: one answer, not two
    assert ops.wait_idle()
    assert len(heard) == 1 and list(heard[0]) == [fresh]
    assert heard[0][fresh].status == "rejected"
    poller.poll()  # nothing new since
    assert ops.wait_idle()
    assert len(heard) == 1

