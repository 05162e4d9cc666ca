"""Clip takes: step frame by frame and shuttle with J/K/L, decoded with PyAV."""

from __future__ import annotations

import av
import numpy as np
import pytest
from PySide6.QtCore import Qt

from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take

FRAMES = 30


def make_clip(path, frames=FRAMES):
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=24)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for i in range(frames):
            img = np.zeros((180, 320, 3), dtype=np.uint8)
            img[:, :, 0] = min(255, i * 8)  # red rises frame by frame
            img[:, :, 2] = 80
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


@pytest.fixture
def clip_window(qtbot, store, desk_settings_file):
    from desktop.main_window import MainWindow

    make_clip(store.media_dir / "clips" / "c.mp4")
    (store.media_dir / "clips" / "bad.mp4").write_bytes(b"not a clip at all")
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH_CLIP")
        append_take(s, NewTake(shot="SH_CLIP", model="kling", pipeline="motion", prompt="p",
                               output_path="clips/c.mp4", media_kind="clip"))
        add_shot(s, episode="EP01", code="SH_BAD")
        append_take(s, NewTake(shot="SH_BAD", model="kling", pipeline="motion", prompt="p",
                               output_path="clips/bad.mp4", media_kind="clip"))
    win = MainWindow(store)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitUntil(lambda: win.dailies.current.pixmap() is not None, timeout=10_000)
    yield win
    win.close()


def _red(view):
    img = view.current.pixmap().toImage()
    return img.pixelColor(img.width() // 2, img.height() // 2).red()


def test_step_through_a_clip_frame_by_frame(clip_window, qtbot):
    view = clip_window.dailies
    assert view.clip.active and view.clip.frames == FRAMES
    first = _red(view)
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key_Period)
    assert view.clip.frame == 3
    qtbot.waitUntil(lambda: _red(view) > first + 12, timeout=5000)
    assert "frame 4/30" in view.current._subcaption
    qtbot.keyClick(view, Qt.Key_Comma)
    assert view.clip.frame == 2


def test_jkl_shuttle(clip_window, qtbot):
    view = clip_window.dailies
    qtbot.keyClick(view, Qt.Key_L)
    qtbot.waitUntil(lambda: view.clip.frame >= 5, timeout=5000)
    qtbot.keyClick(view, Qt.Key_L)
    assert view.clip.speed == 2  # tap again: faster
    qtbot.keyClick(view, Qt.Key_K)
    stopped = view.clip.frame
    qtbot.wait(200)
    assert view.clip.frame == stopped and not view.clip.playing
    qtbot.keyClick(view, Qt.Key_J)
    qtbot.waitUntil(lambda: view.clip.frame < stopped, timeout=5000)
    qtbot.keyClick(view, Qt.Key_K)


def test_a_damaged_clip_shows_why(clip_window, qtbot):
    view = clip_window.dailies
    qtbot.keyClick(view, Qt.Key_Right)
    qtbot.waitUntil(lambda: "bad.mp4" in view.current.message(), timeout=5000)
    assert "cannot play" in view.current.message()


def test_space_plays_and_pauses_and_restarts_at_the_end(clip_window, qtbot):
    view = clip_window.dailies
    qtbot.keyClick(view, Qt.Key_Space)
    assert view.clip.playing and view.clip.speed == 1
    qtbot.waitUntil(lambda: view.clip.frame >= 4, timeout=5000)
    qtbot.keyClick(view, Qt.Key_Space)
    paused = view.clip.frame
    qtbot.wait(150)
    assert not view.clip.playing and view.clip.frame == paused
    view.clip.seek(FRAMES - 1)
    qtbot.keyClick(view, Qt.Key_Space)  # at the last frame: plays again from the start
    assert view.clip.playing and view.clip.frame == 0
    qtbot.keyClick(view, Qt.Key_K)


def test_shuttle_against_the_way_it_goes_slows_down_then_turns(clip_window, qtbot):
    view = clip_window.dailies
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key_L)
    assert view.clip.speed == 4
    qtbot.keyClick(view, Qt.Key_J)
    assert view.clip.speed == 2
    qtbot.keyClick(view, Qt.Key_J)
    assert view.clip.speed == 1
    qtbot.keyClick(view, Qt.Key_J)
    assert view.clip.speed == -1 and view.clip.playing
    qtbot.keyClick(view, Qt.Key_K)
    assert view.clip.speed == 0 and not view.clip.playing


def test_space_on_a_still_frame_says_so(clip_window, qtbot):
    view = clip_window.dailies
    qtbot.keyClick(view, Qt.Key_Right)  # the damaged clip: nothing to play, no error raised
    qtbot.keyClick(view, Qt.Key_Space)
    assert not view.clip.playing
