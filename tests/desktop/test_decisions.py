"""Decisions from the keyboard: written at once, shown on the strip at once, undoable."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from engine.store.reviews import history
from engine.store.takes import list_takes


def _decisions(store, ref):
    with store.read() as s:
        return history(s, ref)


def _written(window):
    return window.writer.idle()


def test_one_tag_and_moving_on_takes_two_keystrokes(window, qtbot, desk_store):
    view, session = window.dailies, window.session
    take = session.current_take()
    strokes = [Qt.Key_1, Qt.Key_Return]
    for key in strokes:
        qtbot.keyClick(view, key)
    assert len(strokes) == 2
    # shown on the strip at once, before the store answered
    row = session.model.row_of_take(take.id)
    assert session.model.status_of(session.model.shot(row).takes[0]) == "rejected"
    assert session.current_take().id != take.id  # moved on to the next undecided take
    assert session.model.status_of(session.current_take()) == "pending_review"
    qtbot.waitUntil(lambda: _written(window), timeout=5000)
    [d] = _decisions(desk_store, take.id)
    assert d.action == "reject" and d.tags == ("anatomy_failure",)
    assert d.reviewer == session.reviewer


def test_approve_is_one_keystroke_and_moves_on(window, qtbot, desk_store):
    view, session = window.dailies, window.session
    take = session.current_take()
    qtbot.keyClick(view, Qt.Key_A)
    assert session.current_take().id != take.id
    qtbot.waitUntil(lambda: _written(window), timeout=5000)
    assert [d.action for d in _decisions(desk_store, take.id)] == ["approve"]
    with desk_store.read() as s:
        assert list_takes(s, "EP01_SC01_SH010")[0].status == "approved"


def test_continuity_error_records_the_conflicting_frame(window, qtbot, desk_store):
    view, session = window.dailies, window.session
    qtbot.keyClick(view, Qt.Key_Right)
    prev_shot, prev_take = session.neighbour(-1)
    take = session.current_take()
    qtbot.keyClick(view, Qt.Key_2)
    assert view.previous._highlight and view.following._highlight  # adjacent frames offered
    qtbot.keyClick(view, Qt.Key_BracketLeft)
    assert "conflicts with EP01_SC01_SH010" in view.draft_label.text()
    qtbot.keyClick(view, Qt.Key_Return)
    qtbot.waitUntil(lambda: _written(window), timeout=5000)
    [d] = _decisions(desk_store, take.id)
    assert d.tags == ("continuity_error",)
    assert d.conflicts_with == f"{prev_shot.code}/take_{prev_take.number:03d}"


def test_clicking_an_adjacent_frame_picks_it_as_the_conflict(window, qtbot, desk_store):
    view, session = window.dailies, window.session
    qtbot.keyClick(view, Qt.Key_Right)
    nxt_shot, nxt_take = session.neighbour(1)
    take = session.current_take()
    qtbot.keyClick(view, Qt.Key_2)
    qtbot.mouseClick(view.following, Qt.LeftButton)
    qtbot.keyClick(view, Qt.Key_Return)
    qtbot.waitUntil(lambda: _written(window), timeout=5000)
    [d] = _decisions(desk_store, take.id)
    assert d.conflicts_with == f"{nxt_shot.code}/take_{nxt_take.number:03d}"


def test_note_key_adds_free_text(window, qtbot, desk_store):
    view, session = window.dailies, window.session
    take = session.current_take()
    qtbot.keyClick(view, Qt.Key_N)
    assert view.note_edit.isVisible()
    qtbot.keyClicks(view.note_edit, "horizon tilts")
    qtbot.keyClick(view.note_edit, Qt.Key_Return)
    assert session.current_take().id == take.id and view.hasFocus()  # kept, not recorded
    qtbot.keyClick(view, Qt.Key_4)
    qtbot.keyClick(view, Qt.Key_Return)
    qtbot.waitUntil(lambda: _written(window), timeout=5000)
    [d] = _decisions(desk_store, take.id)
    assert d.action == "reject" and d.note == "horizon tilts" and d.tags == ("style_lighting",)


def test_undo_appends_a_retraction_and_returns_to_the_take(window, qtbot, desk_store):
    view, session = window.dailies, window.session
    take = session.current_take()
    qtbot.keyClick(view, Qt.Key_A)
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert session.current_take().id == take.id
    qtbot.waitUntil(lambda: _written(window), timeout=5000)
    # the strip shows the store's answer once it has been read back, off the GUI thread
    qtbot.waitUntil(lambda: session.model.status_of(session.current_take()) == "pending_review", timeout=5000)
    assert [d.action for d in _decisions(desk_store, take.id)] == ["approve", "retract"]
    qtbot.waitUntil(lambda: session.current_take().status == "pending_review", timeout=3000)


def test_keys_can_be_rebound_in_the_settings(qtbot, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow

    settings = QSettings(str(desk_settings_file), QSettings.IniFormat)
    settings.setValue("keys/approve", "Y")
    settings.sync()
    win = MainWindow(desk_store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.is_ready, timeout=10_000)
    take = win.session.current_take()
    qtbot.keyClick(win.dailies, Qt.Key_A)
    assert win.session.current_take().id == take.id  # A no longer approves
    qtbot.keyClick(win.dailies, Qt.Key_Y)
    qtbot.waitUntil(win.writer.idle, timeout=5000)
    assert [d.action for d in _decisions(desk_store, take.id)] == ["approve"]
    win.close()


def test_two_desks_on_one_store_see_each_others_decisions(qtbot, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow
    from engine.store.db import open_store

    other_store = open_store(desk_store.display())
    a = MainWindow(desk_store, poll_ms=100)
    b = MainWindow(other_store, poll_ms=100)
    for w in (a, b):
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(w.is_ready, timeout=10_000)
    take = a.session.current_take()
    qtbot.keyClick(a.dailies, Qt.Key_A)
    qtbot.waitUntil(a.writer.idle, timeout=5000)

    def seen():
        row = b.session.model.row_of_take(take.id)
        t = next(t for t in b.session.model.shot(row).takes if t.id == take.id)
        return b.session.model.status_of(t) == "approved"

    qtbot.waitUntil(seen, timeout=5000)
    a.close()
    b.close()
    other_store.close()
