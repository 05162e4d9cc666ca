"""The Dailies view: a store opens on its first shot, frames appear, keys move along the strip."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from desktop.strip_model import ShotStripModel
from engine.store.filters import review_strip


def test_window_title_names_the_store(window, desk_store):
    assert desk_store.display() in window.windowTitle()


def test_first_frame_is_painted_from_the_take_file(window):
    view = window.dailies
    assert view.current.pixmap() is not None
    assert view.current.pixmap().width() > 100
    assert view.current.message() == ""


def test_left_right_shift_home_end_move_along_the_strip(window, qtbot):
    view, session = window.dailies, window.session
    assert session.current_shot().code == "EP01_SC01_SH010"
    qtbot.keyClick(view, Qt.Key_Right)
    assert session.current_shot().code == "EP01_SC01_SH020"
    assert window.dailies.previous._caption == "EP01_SC01_SH010"
    assert window.dailies.following._caption == "EP01_SC01_SH030"
    qtbot.keyClick(view, Qt.Key_Left)
    assert session.current_shot().code == "EP01_SC01_SH010"
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)  # 10 shots, clamped at the end
    assert session.current_shot().code == "EP01_SC01_SH060"
    qtbot.keyClick(view, Qt.Key_Home)
    assert session.row == 0
    qtbot.keyClick(view, Qt.Key_End)
    assert session.row == 5
    assert view.strip.currentIndex().row() == 5


def test_up_down_change_take_and_frame(window, qtbot):
    view, session = window.dailies, window.session
    first = session.current_take()
    qtbot.keyClick(view, Qt.Key_Down)
    second = session.current_take()
    assert second.number == first.number + 1
    qtbot.waitUntil(lambda: view.current.pixmap() is not None and view.current.shown_path.endswith("_t2.png"))
    qtbot.keyClick(view, Qt.Key_Up)
    assert session.current_take().id == first.id


def test_dragging_along_the_strip_scrubs(window, qtbot):
    strip = window.dailies.strip
    rect = strip.visualRect(strip.model().index(3, 0))
    qtbot.mousePress(strip.viewport(), Qt.LeftButton, pos=strip.visualRect(strip.model().index(0, 0)).center())
    qtbot.mouseMove(strip.viewport(), rect.center())
    qtbot.mouseRelease(strip.viewport(), Qt.LeftButton, pos=rect.center())
    assert window.session.row == 3


def test_strip_model_passes_the_model_tester(qtbot, desk_store):
    with desk_store.read() as s:
        shots = review_strip(s)
    model = ShotStripModel(shots)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_override(shots[0].takes[0].id, "approved")
    model.set_shots(shots[:3])
    assert model.rowCount() == 3


def test_screenshot_mode_saves_a_png_and_exits_0(desk_store, tmp_path):
    out = tmp_path / "desk.png"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DAILIES_DATA_DIR": str(tmp_path / "data"),
           "DAILIES_DESK_SETTINGS": str(tmp_path / "desk.ini")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "desk", "--store", desk_store.display(), "--screenshot", str(out)],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    from PIL import Image

    with Image.open(out) as img:
        assert img.width >= 1000 and img.height >= 600


def test_without_a_display_the_desk_says_how_to_run_it(desk_store, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DAILIES_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "desk", "--store", desk_store.display()],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "xvfb-run -a dailies desk" in lines[0]


def test_a_missing_store_is_one_line_and_exit_2(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DAILIES_DATA_DIR": str(tmp_path / "data"),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "desk", "--store", str(tmp_path / "nope.sqlite")],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "nope.sqlite" in done.stderr


def test_the_filmstrip_fills_from_disk_thumbnails_made_once(window, qtbot, desk_store):
    from engine.takes.thumbnails import thumbnails_dir

    qtbot.waitUntil(lambda: not window.loader.busy(), timeout=10_000)
    made = sorted(thumbnails_dir(desk_store.media_dir).glob("*.jpg"))
    assert len(made) == window.session.shot_count()  # one per shot shown on the strip
    stamps = [p.stat().st_mtime_ns for p in made]
    window.loader.cache.set_limit(0)  # a later open: nothing in memory
    window.loader.cache.set_limit(1 << 30)
    keys = window.dailies.prefetch_thumbnails()
    qtbot.waitUntil(lambda: all(k in window.loader.cache for k in keys), timeout=10_000)
    assert [p.stat().st_mtime_ns for p in sorted(thumbnails_dir(desk_store.media_dir).glob("*.jpg"))] == stamps
