"""The journal of unsent decisions: a crash between the store taking a decision and the journal
being rewritten must not store that decision twice when the next desk replays the journal."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.decision_writer import DecisionWriter, PendingDecision, write_pending
from engine.core import paths
from engine.store.models import ReviewDecision
from engine.store.reviews import history


def _journal():
    return paths.user_data_dir() / "desk-unsent-decisions.jsonl"


def _actions(store, take_id):
    with store.read() as s:
        return [d.action for d in history(s, take_id)]


def _crashed_after_store_took(store, qtbot, pending: PendingDecision) -> None:
    """What a desk does up to the crash: journal the decision, the store takes it, and the
    process dies before the journal is rewritten without it."""
    writer = DecisionWriter(store, journal=_journal())
    writer._queue.append(pending)  # what submit() does before handing it to the worker
    writer._save_journal()
    write_pending(store, pending)  # the store has it now; the desk dies here
    writer.deleteLater()


def _take(store):
    from engine.store.takes import list_takes

    with store.read() as s:
        return list_takes(s, "EP01_SC01_SH010")[0]


def test_a_decision_stored_just_before_a_crash_is_not_stored_again(qtbot, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow

    take = _take(desk_store)
    pending = PendingDecision(kind="decide", take_id=take.id, take_ref="EP01_SC01_SH010/take_001",
                              reviewer="ana", approve=False, tags=("anatomy_failure",), note="six fingers")
    _crashed_after_store_took(desk_store, qtbot, pending)
    [entry] = [json.loads(line) for line in _journal().read_text().splitlines()]
    assert entry["client_key"] == pending.client_key  # the key travels with the decision
    assert _actions(desk_store, take.id) == ["reject"]

    win = MainWindow(desk_store)  # the next desk replays the journal
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.writer.idle, timeout=10_000)
    assert _actions(desk_store, take.id) == ["reject"]  # one decision, not two
    assert _journal().read_text().strip() == ""  # and the journal is emptied
    with desk_store.read() as s:
        [d] = history(s, take.id)
    assert d.note == "six fingers" and d.reviewer == "ana"
    win.close()


def test_an_undo_replayed_after_a_crash_retracts_once(qtbot, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow
    from engine.store.reviews import add_decision

    take = _take(desk_store)
    with desk_store.write() as s:  # two standing decisions: a double retraction would show
        add_decision(s, take.id, reviewer="ana", approve=True)
        add_decision(s, take.id, reviewer="ana", approve=False, tags=("style_lighting",))
    undo = PendingDecision(kind="undo", take_id=take.id, take_ref="EP01_SC01_SH010/take_001", reviewer="ana")
    _crashed_after_store_took(desk_store, qtbot, undo)
    win = MainWindow(desk_store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.writer.idle, timeout=10_000)
    assert _actions(desk_store, take.id) == ["approve", "reject", "retract"]
    win.close()


def test_every_decision_gets_its_own_key_and_keeps_it_on_retry(window, qtbot, desk_store, tmp_path):
    path = desk_store.location.path
    moved = tmp_path / "moved.sqlite"
    path.rename(moved)  # the store is away: decisions wait in the queue and the journal
    qtbot.keyClick(window.dailies, Qt.Key_A)
    qtbot.keyClick(window.dailies, Qt.Key_A)
    qtbot.waitUntil(lambda: "retrying" in window.queue_label.text(), timeout=5000)
    keys = [p.client_key for p in window.writer.pending()]
    assert len(set(keys)) == 2
    journalled = [json.loads(line)["client_key"] for line in window.writer.journal.read_text().splitlines()]
    assert journalled == keys
    moved.rename(path)
    qtbot.waitUntil(window.writer.idle, timeout=15_000)
    with desk_store.read() as s:
        stored = list(s.scalars(select(ReviewDecision.client_key).order_by(ReviewDecision.id)))
    assert stored == keys
