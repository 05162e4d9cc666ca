"""Bad input on the desk: missing, damaged and oversized files become placeholders that say
why; a store that disappears keeps the reviewer's decisions and says so."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import Qt


def _message(window, qtbot):
    qtbot.waitUntil(lambda: window.dailies.current.message() != "", timeout=5000)
    return window.dailies.current.message()


def test_missing_media_names_the_file(qtbot, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow

    (desk_store.media_dir / "frames" / "EP01_SC01_SH010_t1.png").unlink()
    win = MainWindow(desk_store)
    qtbot.addWidget(win)
    win.show()
    assert "EP01_SC01_SH010_t1.png" in _message(win, qtbot) and "missing" in _message(win, qtbot)
    win.close()


def test_a_damaged_image_shows_the_reason(qtbot, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow

    (desk_store.media_dir / "frames" / "EP01_SC01_SH010_t1.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    win = MainWindow(desk_store)
    qtbot.addWidget(win)
    win.show()
    assert "cannot read EP01_SC01_SH010_t1.png" in _message(win, qtbot)
    win.close()


def test_an_oversized_image_is_refused(qtbot, desk_store, desk_settings_file, monkeypatch):
    from desktop.main_window import MainWindow

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # the frames are 320x180
    win = MainWindow(desk_store)
    qtbot.addWidget(win)
    win.show()
    assert "decompression bomb" in _message(win, qtbot)
    win.close()


def test_a_store_that_disappears_keeps_the_decision_and_says_so(qtbot, window, desk_store, tmp_path):
    path = desk_store.location.path
    moved = tmp_path / "moved.sqlite"
    path.rename(moved)
    take = window.session.current_take()
    qtbot.keyClick(window.dailies, Qt.Key_A)
    qtbot.waitUntil(lambda: "retrying" in window.queue_label.text(), timeout=5000)
    assert str(path) in window.queue_label.text()
    assert window.writer.pending()[0].take_id == take.id
    assert "store.sqlite" in window.writer.journal.read_text()  # kept on disk too
    moved.rename(path)
    qtbot.waitUntil(window.writer.idle, timeout=10_000)
    assert window.queue_label.text() == "All decisions saved"


def test_unsent_decisions_that_cannot_be_kept_on_disk_are_said_so(qtbot, window, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal's folder should be")
    window.writer.journal = blocker / "desk-unsent-decisions.jsonl"
    take = window.session.current_take()
    qtbot.keyClick(window.dailies, Qt.Key_A)
    qtbot.waitUntil(lambda: "Keep the desk open" in window.statusBar().currentMessage(), timeout=5000)
    assert "not-a-folder" in window.statusBar().currentMessage()
    qtbot.waitUntil(window.writer.idle, timeout=10_000)  # the store still takes the decision
    from engine.store.reviews import history

    with window.store.read() as s:
        assert [d.action for d in history(s, take.id)] == ["approve"]
    assert window.queue_label.text() == "All decisions saved"
