"""Region notes on the desk: drawn with the mouse in Dailies, kept by the store, shown again
after a restart in Inspector and Compare, and seen by a second desk on a shared store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from desktop import theme
from engine.store.notes import standing_notes
from tests.desktop.conftest import build_store

FRAME = QColor(200, 60, 40)  # the first take's frame colour in build_store


def _at(rect, fx: float, fy: float) -> QPoint:
    return QPoint(round(rect.left() + fx * rect.width()), round(rect.top() + fy * rect.height()))


def _drag(qtbot, overlay, rect, points) -> None:
    qtbot.mousePress(overlay, Qt.LeftButton, pos=_at(rect, *points[0]))
    for p in points[1:]:
        qtbot.mouseMove(overlay, _at(rect, *p))
    qtbot.mouseRelease(overlay, Qt.LeftButton, pos=_at(rect, *points[-1]))


def _near(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance


def _pixel(widget, point: QPoint) -> QColor:
    image = widget.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def _draw_all_kinds(window, qtbot):
    """Box (tagged anatomy), arrow, freehand stroke and a text label on the current take."""
    view = window.dailies
    overlay = view.note_overlay
    qtbot.waitUntil(lambda: view.current.picture_rect() is not None, timeout=10_000)
    rect = view.current.picture_rect()
    qtbot.keyClick(view, Qt.Key_M)
    assert overlay.drawing
    qtbot.keyClick(overlay, Qt.Key_1)  # the next notes carry anatomy_failure
    _drag(qtbot, overlay, rect, [(0.2, 0.2), (0.4, 0.3), (0.5, 0.6)])
    qtbot.keyClick(overlay, Qt.Key_1)  # tag off again
    qtbot.keyClick(overlay, Qt.Key_A)
    _drag(qtbot, overlay, rect, [(0.9, 0.9), (0.7, 0.7)])
    qtbot.keyClick(overlay, Qt.Key_F)
    _drag(qtbot, overlay, rect, [(0.1, 0.8), (0.15, 0.85), (0.2, 0.8), (0.25, 0.9), (0.3, 0.8)])
    qtbot.keyClick(overlay, Qt.Key_T)
    qtbot.mouseClick(overlay, Qt.LeftButton, pos=_at(rect, 0.7, 0.2))
    qtbot.waitUntil(lambda: overlay._text is not None and overlay._text.isVisible())
    qtbot.keyClicks(overlay._text, "too dark")
    qtbot.keyClick(overlay._text, Qt.Key_Return)
    qtbot.keyClick(overlay, Qt.Key_Escape)
    assert not overlay.drawing
    qtbot.waitUntil(lambda: window.writer.idle(), timeout=10_000)
    return window.session.current_take().id


@pytest.fixture
def open_window(qtbot, desk_settings_file):
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme

    apply_theme(QApplication.instance())
    made = []

    def open_(store, reviewer="ana", view="dailies"):
        win = MainWindow(store, view=view, poll_ms=150)
        win.session.reviewer = reviewer
        qtbot.addWidget(win)
        win.resize(1400, 860)
        win.show()
        qtbot.waitUntil(win.is_ready, timeout=10_000)
        made.append(win)
        return win

    yield open_
    for win in made:
        win.close()


def test_each_kind_drawn_with_the_mouse_is_stored_and_shown_after_a_restart(store, open_window, qtbot):
    from engine.store.db import open_store

    build_store(store)
    first = open_window(store)
    take_id = _draw_all_kinds(first, qtbot)
    with store.read() as s:
        notes = standing_notes(s, [take_id])[take_id]
    assert [n.kind for n in notes] == ["box", "arrow", "stroke", "text"]
    box, arrow, stroke, text = notes
    assert box.tag == "anatomy_failure" and arrow.tag is None and (box.author, text.author) == ("ana", "ana")
    assert box.points == pytest.approx((0.2, 0.2, 0.3, 0.4), abs=0.01)
    assert arrow.points == pytest.approx((0.9, 0.9, 0.7, 0.7), abs=0.01)
    assert len(stroke.points) == 10 and stroke.points[:2] == pytest.approx((0.1, 0.8), abs=0.01)
    assert text.text == "too dark" and text.points == pytest.approx((0.7, 0.2), abs=0.01)
    first.close()

    again = open_store(store.location.path)  # a new desk on the same store
    try:
        second = open_window(again)
        second.show_view("inspector")
        picture = second.views["inspector"].picture
        qtbot.waitUntil(lambda: hasattr(picture, "note_overlay"), timeout=10_000)  # read off the GUI thread
        overlay = picture.note_overlay
        qtbot.waitUntil(lambda: overlay.board.loaded(take_id) and bool(overlay.regions()), timeout=10_000)
        rect = overlay.regions()[0].rect
        # the box's left edge, half way down it: the rejection colour over the frame
        edge, inside = _at(rect, 0.2, 0.4), _at(rect, 0.3, 0.4)
        assert _near(_pixel(picture, edge), QColor(theme.NOTE_TAGGED))
        assert _near(_pixel(picture, inside), FRAME)

        second.show_view("compare")
        compare = second.views["compare"]
        qtbot.waitUntil(lambda: bool(compare.note_overlay.regions()), timeout=10_000)
        [region] = compare.note_overlay.regions()  # flip: take A, the current take
        assert region.take_id == take_id
        assert _near(_pixel(compare.canvas, _at(region.rect, 0.2, 0.4)), QColor(theme.NOTE_TAGGED))
        assert _near(_pixel(compare.canvas, _at(region.rect, 0.8, 0.8)), QColor(theme.NOTE))  # the arrow
        compare.set_mode("side")
        qtbot.waitUntil(lambda: len(compare.note_overlay.regions()) == 2, timeout=10_000)
        a_side = next(r for r in compare.note_overlay.regions() if r.take_id == take_id)
        assert _near(_pixel(compare.canvas, _at(a_side.rect, 0.2, 0.4)), QColor(theme.NOTE_TAGGED))
    finally:
        second.close()
        again.close()


def test_a_note_drawn_in_compare_lands_on_the_side_drawn_on(store, open_window, qtbot):
    build_store(store)
    win = open_window(store, view="compare")
    compare = win.views["compare"]
    compare.set_mode("side")
    qtbot.waitUntil(lambda: len(compare.note_overlay.regions()) == 2, timeout=10_000)
    b_side = next(r for r in compare.note_overlay.regions() if r.take_id != win.session.current_take().id)
    qtbot.keyClick(compare, Qt.Key_M)
    _drag(qtbot, compare.note_overlay, b_side.rect, [(0.5, 0.5), (0.75, 0.75)])
    qtbot.keyClick(compare.note_overlay, Qt.Key_Escape)
    qtbot.waitUntil(lambda: win.writer.idle(), timeout=10_000)
    with store.read() as s:
        notes = standing_notes(s, [b_side.take_id, win.session.current_take().id])
    assert [n.points for n in notes[b_side.take_id]] == [pytest.approx((0.5, 0.5, 0.25, 0.25), abs=0.01)]
    assert notes[win.session.current_take().id] == []


def test_two_desks_on_one_postgresql_store_see_each_others_notes(pg_url, open_window, qtbot):
    from engine.store.db import open_store

    first_store = open_store(pg_url, create=True)
    build_store(first_store)
    second_store = open_store(pg_url)
    try:
        a = open_window(first_store, "ana")
        b = open_window(second_store, "ben")
        take_id = a.session.current_take().id
        assert b.session.current_take().id == take_id
        rect = a.dailies.current.picture_rect()
        qtbot.keyClick(a.dailies, Qt.Key_M)
        _drag(qtbot, a.dailies.note_overlay, rect, [(0.1, 0.1), (0.3, 0.3)])
        qtbot.waitUntil(lambda: a.writer.idle(), timeout=10_000)

        def ben_sees(n):
            return [x.author for x in b.notes.notes(take_id)] == ["ana"] * n

        qtbot.waitUntil(lambda: ben_sees(1), timeout=10_000)
        b_rect = b.dailies.current.picture_rect()
        qtbot.waitUntil(lambda: _near(_pixel(b.dailies.current, _at(b_rect, 0.1, 0.2)), QColor(theme.NOTE)),
                        timeout=5000)
        # ana withdraws her note; ben's desk drops it without a restart
        qtbot.keyClick(a.dailies.note_overlay, Qt.Key_Backspace)
        qtbot.waitUntil(lambda: a.writer.idle(), timeout=10_000)
        qtbot.waitUntil(lambda: ben_sees(0), timeout=10_000)
        qtbot.waitUntil(lambda: _near(_pixel(b.dailies.current, _at(b_rect, 0.1, 0.2)), FRAME), timeout=5000)
        with first_store.read() as s:
            assert standing_notes(s, [take_id]) == {take_id: []}
    finally:
        first_store.close()
        second_store.close()


def test_the_weekly_drill_down_shows_the_rejected_takes_notes(qtbot, qapp, store):
    from datetime import UTC, datetime

    from desktop.theme import apply_theme
    from desktop.weekly_view import WeeklyView
    from engine.store.notes import add_note
    from engine.store.reviews import add_decision
    from engine.takes.reports.weekly import GroupKey

    apply_theme(qapp)
    build_store(store, shots=3, takes=1, sp_versions=("v1.0",))
    with store.write() as s:
        add_decision(s, "EP01_SC01_SH010/take_001", reviewer="ana", approve=False, tags=["anatomy_failure"],
                     at=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
        add_note(s, "EP01_SC01_SH010/take_001", author="ana", kind="box", points=(0.2, 0.2, 0.5, 0.5),
                 tag="anatomy_failure")
    view = WeeklyView(store)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    with qtbot.waitSignal(view.report_loaded, timeout=30000):
        view.show()
    with qtbot.waitSignal(view.rejected_loaded, timeout=30000):
        view.select_group(GroupKey("nbp", "imagen-3", "v1.0"))
    view.rejected_view.selectRow(0)
    qtbot.waitUntil(lambda: hasattr(view.picture, "note_overlay"), timeout=10_000)  # the picture is found off the GUI thread
    overlay = view.picture.note_overlay
    qtbot.waitUntil(lambda: len(overlay.board.notes(overlay.take_id)) == 1, timeout=10_000)
    [region] = overlay.regions()
    qtbot.waitUntil(lambda: _near(_pixel(view.picture, _at(region.rect, 0.2, 0.45)), QColor(theme.NOTE_TAGGED)),
                    timeout=5000)
    assert _near(_pixel(view.picture, _at(region.rect, 0.45, 0.45)), FRAME)
    view.wait_idle()


def test_a_note_drawn_on_a_clip_frame_covers_that_frame_only(store, open_window, qtbot):
    from engine.store.shots import add_shot
    from engine.store.takes import NewTake, append_take
    from tests.desktop.test_clips import make_clip

    make_clip(store.media_dir / "clips" / "c.mp4")
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH_CLIP")
        append_take(s, NewTake(shot="SH_CLIP", model="kling", pipeline="motion", prompt="p",
                               output_path="clips/c.mp4", media_kind="clip"))
    win = open_window(store)
    view = win.dailies
    qtbot.waitUntil(lambda: view.clip.active and view.current.picture_rect() is not None, timeout=10_000)
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key_Period)
    qtbot.waitUntil(lambda: view.clip.frame == 2, timeout=5000)  # the desk shows "frame 3/30"
    rect = view.current.picture_rect()
    qtbot.keyClick(view, Qt.Key_M)
    _drag(qtbot, view.note_overlay, rect, [(0.3, 0.3), (0.6, 0.6)])
    qtbot.keyClick(view.note_overlay, Qt.Key_Escape)
    qtbot.waitUntil(lambda: win.writer.idle(), timeout=10_000)
    take_id = win.session.current_take().id
    with store.read() as s:
        [note] = standing_notes(s, [take_id])[take_id]
    assert (note.frame_start, note.frame_end) == (3, 3)
    edge = _at(rect, 0.3, 0.45)
    qtbot.waitUntil(lambda: _near(_pixel(view.current, edge), QColor(theme.NOTE)), timeout=5000)
    qtbot.keyClick(view, Qt.Key_Period)
    qtbot.waitUntil(lambda: view.clip.frame == 3, timeout=5000)
    qtbot.waitUntil(lambda: not _near(_pixel(view.current, edge), QColor(theme.NOTE)), timeout=5000)


def test_a_note_stored_just_before_a_crash_is_stored_once_and_shown_after(store, open_window, qtbot):
    from desktop.decision_writer import DecisionWriter, PendingDecision, write_pending
    from engine.core import paths
    from engine.store.takes import list_takes

    build_store(store)
    with store.read() as s:
        take = list_takes(s, "EP01_SC01_SH010")[0]
    shape = {"kind": "box", "points": [0.2, 0.2, 0.3, 0.4], "text": "", "tag": "anatomy_failure",
             "frame_start": None, "frame_end": None}
    pending = PendingDecision(kind="note", take_id=take.id, take_ref="EP01_SC01_SH010/take_001",
                              reviewer="ana", shape=shape)
    writer = DecisionWriter(store, journal=paths.user_data_dir() / "desk-unsent-decisions.jsonl")
    writer._queue.append(pending)  # journalled, as submit() does
    writer._save_journal()
    write_pending(store, pending)  # the store took it; the desk died before the journal was rewritten
    writer.deleteLater()

    win = open_window(store)  # the next desk replays the journal
    qtbot.waitUntil(win.writer.idle, timeout=10_000)
    with store.read() as s:
        assert [n.tag for n in standing_notes(s, [take.id])[take.id]] == ["anatomy_failure"]  # once
    rect = win.dailies.current.picture_rect()
    qtbot.waitUntil(lambda: _near(_pixel(win.dailies.current, _at(rect, 0.2, 0.4)), QColor(theme.NOTE_TAGGED)),
                    timeout=5000)
