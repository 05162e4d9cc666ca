"""Two desks on one shared PostgreSQL store (two windows, two Store objects, as on two
reviewers' machines): each sees the other's decisions without restarting, and neither
overwrites the other's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from engine.store.reviews import history
from tests.desktop.conftest import build_store


@pytest.fixture
def two_desks(qtbot, pg_url, desk_settings_file):
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme
    from engine.store.db import open_store

    first = open_store(pg_url, create=True)
    build_store(first)
    second = open_store(pg_url)
    apply_theme(QApplication.instance())
    desks = []
    for store, reviewer in ((first, "ana"), (second, "ben")):
        win = MainWindow(store, poll_ms=150)
        win.session.reviewer = reviewer
        qtbot.addWidget(win)
        win.resize(1200, 760)
        win.show()
        qtbot.waitUntil(win.is_ready, timeout=10_000)
        desks.append(win)
    yield desks
    for win in desks:
        win.close()
    first.close()
    second.close()


def _status(win, take_id):
    model = win.session.model
    row = model.row_of_take(take_id)
    return model.status_of(next(t for t in model.shot(row).takes if t.id == take_id))


def test_each_desk_sees_the_others_decisions_without_restarting(two_desks, qtbot):
    a, b = two_desks
    first = a.session.current_take()
    qtbot.keyClick(a.dailies, Qt.Key_A)  # ana approves shot 1, take 1
    b.session.goto_row(3)
    fourth = b.session.current_take()
    qtbot.keyClick(b.dailies, Qt.Key_3)  # ben rejects shot 4 for camera/composition
    qtbot.keyClick(b.dailies, Qt.Key_Return)
    qtbot.waitUntil(lambda: a.writer.idle() and b.writer.idle(), timeout=10_000)
    qtbot.waitUntil(lambda: _status(b, first.id) == "approved", timeout=5000)
    qtbot.waitUntil(lambda: _status(a, fourth.id) == "rejected", timeout=5000)
    with a.store.read() as s:
        [approval] = history(s, first.id)
        [rejection] = history(s, fourth.id)
    assert (approval.reviewer, approval.action) == ("ana", "approve")
    assert (rejection.reviewer, rejection.tags) == ("ben", ("camera_composition",))


def test_decisions_on_the_same_take_from_both_desks_are_all_kept(two_desks, qtbot):
    a, b = two_desks
    take = a.session.current_take()
    assert b.session.current_take().id == take.id
    qtbot.keyClick(a.dailies, Qt.Key_A)
    qtbot.keyClick(b.dailies, Qt.Key_1)
    qtbot.keyClick(b.dailies, Qt.Key_Return)
    qtbot.waitUntil(lambda: a.writer.idle() and b.writer.idle(), timeout=10_000)
    with a.store.read() as s:
        decisions = history(s, take.id)
    assert sorted((d.reviewer, d.action) for d in decisions) == [("ana", "approve"), ("ben", "reject")]
    latest = decisions[-1].action
    shown = {"approve": "approved", "reject": "rejected"}[latest]
    # both desks settle on the standing (latest) decision, whoever made it
    qtbot.waitUntil(lambda: _status(a, take.id) == shown and _status(b, take.id) == shown, timeout=5000)


def test_an_undo_on_one_desk_reaches_the_other(two_desks, qtbot):
    a, b = two_desks
    take = a.session.current_take()
    qtbot.keyClick(a.dailies, Qt.Key_A)
    qtbot.waitUntil(lambda: _status(b, take.id) == "approved", timeout=8000)
    qtbot.keyClick(a.dailies, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _status(b, take.id) == "pending_review", timeout=8000)
    with b.store.read() as s:
        assert [d.action for d in history(s, take.id)] == ["approve", "retract"]
