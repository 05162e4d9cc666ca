"""Opens the real desk window on a real X display and types review keys into whatever widget
has the keyboard focus, the way a reviewer's keyboard would. After each step it waits for the
decision queue to drain and prints one JSON line: the take under review, the status bar, the
draft chip, every decision the store holds, and where the window sits on the screen (a first
line does so for the window as it opened).

Run by tests/desktop/test_real_keys.py under xvfb-run: `python real_keys_driver.py STORE
SETTINGS STEPS_JSON` where each step is a list of keys ("R", "1", "Return", "Escape", "N",
"Ctrl+Z", "text:some words") or ["goto", "SHOT/take_NNN"].
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(store_path: str, settings_path: str, steps_json: str) -> int:
    os.environ["DAILIES_DESK_SETTINGS"] = settings_path
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme
    from engine.store.db import open_store
    from engine.store.models import ReviewDecision
    from engine.store.reviews import history
    from engine.store.takes import resolve_take_id, takes_by_ids

    app = QApplication([sys.argv[0]])
    assert app.platformName() == "xcb", app.platformName()
    apply_theme(app)
    store = open_store(store_path)
    win = MainWindow(store, view="dailies", poll_ms=60_000)
    win.place_on_screen()
    win.show()
    win.activateWindow()
    QTest.qWaitForWindowExposed(win, 10_000)

    def settle(check=lambda: True, seconds=10.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            if check():
                return True
            time.sleep(0.01)
        return False

    settle(win.is_ready)

    def target():
        return QApplication.focusWidget() or win.focusWidget() or win.dailies

    def press(key: str) -> None:
        if key.startswith("text:"):
            QTest.keyClicks(target(), key[5:])
            return
        combo = QKeySequence(key)[0]
        QTest.keyClick(target(), combo.key(), combo.keyboardModifiers())
        app.processEvents()

    def inside(widget) -> bool:
        """Shown, and wholly inside the window."""
        corner = widget.mapTo(win, widget.rect().bottomRight())
        return widget.isVisible() and win.rect().contains(corner)

    def snapshot() -> dict:
        session = win.session
        take = session.current_take()
        shot = session.current_shot()
        with store.read() as s:
            take_ids = sorted(set(s.scalars(select(ReviewDecision.take_id))))
            decisions = {}
            for record in takes_by_ids(s, take_ids):
                rows = history(s, record.id)
                decisions[record.ref] = [
                    [d.reviewer, d.action, list(d.tags), d.note, d.withdrew or d.overrules or ""]
                    for d in rows
                ]
        return {
            "current": f"{shot.code}/take_{take.number:03d}" if take and shot else None,
            "status": win.statusBar().currentMessage(),
            "draft_chip": win.dailies.draft_chip.isVisible(),
            "note_field_open": win.dailies.note_edit.isVisible(),
            "focus_on_frame": QApplication.focusWidget() is win.dailies,
            "decision_panel": win.dailies.decision_label.text(),
            "decisions": decisions,
            "window": list(win.geometry().getRect()),
            "frame_fits_screen": win.screen().availableGeometry().contains(win.frameGeometry()),
            "visible": {name: inside(w) for name, w in (
                ("strip", win.dailies.strip), ("status bar", win.statusBar()),
                ("previous", win.dailies.previous), ("next", win.dailies.following),
                ("decision panel", win.dailies.decision_label))},
        }

    print(json.dumps(snapshot()), flush=True)  # as opened
    for step in json.loads(steps_json):
        if step and step[0] == "goto":
            with store.read() as s:
                take_id = resolve_take_id(s, step[1])
            win.session.show_take(take_id)
            app.processEvents()
        else:
            for key in step:
                press(key)
        settle(lambda: win.writer.idle())
        settle(seconds=0.05)
        print(json.dumps(snapshot()), flush=True)
    leave = os.environ.get("DRIVER_LEAVE_AT")  # "x,y,w,h": where the reviewer leaves the window
    if leave:
        x, y, w, h = (int(v) for v in leave.split(","))
        win.setGeometry(x, y, w, h)
        settle(lambda: win.geometry().getRect() == (x, y, w, h), seconds=3)
    win.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
