"""Comparing two takes: flips with no blank frame, side by side, wipe."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.desktop.conftest import COLOURS


def _compare(window, qtbot):
    window.show_view("compare")
    view = window.views["compare"]
    qtbot.waitUntil(view.is_ready, timeout=5000)
    return view


def _colour_at(widget, x: float, y: float = 0.4):
    img = widget.grab().toImage()
    c = img.pixelColor(int(img.width() * x), int(img.height() * y))
    return c.red(), c.green(), c.blue()


def _near(a, b, tol=30):
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def test_flip_swaps_takes_without_a_blank_frame(window, qtbot):
    view = _compare(window, qtbot)
    shot_a = COLOURS[0]  # first shot, take 1 (A) ... take 2 is B
    a_colour = _colour_at(view.canvas, 0.5)
    qtbot.keyClick(view, Qt.Key_Space)
    # right after the key press, the other take is on screen: no "loading" or black frame
    b_colour = _colour_at(view.canvas, 0.5)
    assert a_colour != b_colour
    assert _near(a_colour, shot_a) or _near(b_colour, shot_a)
    assert _near(b_colour, COLOURS[1]) or _near(a_colour, COLOURS[1])
    qtbot.keyClick(view, Qt.Key_Space)
    assert _colour_at(view.canvas, 0.5) == a_colour


def test_side_by_side_and_wipe_show_both_takes(window, qtbot):
    view = _compare(window, qtbot)
    qtbot.keyClick(view, Qt.Key_S)
    left, right = _colour_at(view.canvas, 0.25), _colour_at(view.canvas, 0.75)
    assert left != right
    qtbot.keyClick(view, Qt.Key_W)
    assert _colour_at(view.canvas, 0.3) == left and _colour_at(view.canvas, 0.7) == right
    qtbot.mouseClick(view.canvas, Qt.LeftButton, pos=QPoint(int(view.canvas.width() * 0.9), 100))
    assert _colour_at(view.canvas, 0.7) == left  # the wipe moved right: A covers more


def test_difference_shows_where_the_takes_differ(window, qtbot):
    view = _compare(window, qtbot)
    qtbot.keyClick(view, Qt.Key_X)
    assert view.buttons["difference"].isChecked()
    got = _colour_at(view.canvas, 0.5, 0.6)
    a, b = COLOURS[0], COLOURS[1]
    assert _near(got, tuple(abs(x - y) for x, y in zip(a, b, strict=True)), tol=12)
    view.canvas.set_side("B", *view.canvas.frames["A"])  # a take against itself: all black
    assert _near(_colour_at(view.canvas, 0.5, 0.6), (0, 0, 0), tol=6)


def test_ctrl_arrows_move_a_hundred_shots(qtbot, store, desk_settings_file):
    from desktop.main_window import MainWindow
    from engine.store.shots import add_shot

    with store.write() as s:
        for i in range(250):
            add_shot(s, episode="EP01", code=f"SH{i:04d}")
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.is_ready, timeout=10_000)
    qtbot.keyClick(win.dailies, Qt.Key_Right, Qt.ControlModifier)
    assert win.session.row == 100
    qtbot.keyClick(win.dailies, Qt.Key_Right, Qt.ShiftModifier)
    assert win.session.row == 110
    qtbot.keyClick(win.dailies, Qt.Key_Left, Qt.ControlModifier)
    assert win.session.row == 10
    win.show_view("compare")
    compare = win.views["compare"]
    qtbot.keyClick(compare, Qt.Key_Right, Qt.ControlModifier)
    assert win.session.row == 110
    qtbot.keyClick(compare, Qt.Key_Right, Qt.ControlModifier)
    assert win.session.row == 210
    qtbot.keyClick(compare, Qt.Key_Right, Qt.ControlModifier)
    assert win.session.row == 249  # clamped at the last shot
    win.close()
