"""Starting the desk: `dailies desk [--store S] [--view NAME] [--screenshot FILE]`."""

from __future__ import annotations

import os
import sys
import time

from engine.core.errors import DailiesError

NO_DISPLAY = (
    "dailies: no display to open the desk on (DISPLAY and WAYLAND_DISPLAY are unset); "
    "run it under a virtual display: xvfb-run -a dailies desk {args}"
)


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _args_text(store: str | None, view: str, screenshot: str | None) -> str:
    parts = []
    if store:
        parts.append(f"--store {store}")
    if view != "dailies":
        parts.append(f"--view {view}")
    if screenshot:
        parts.append(f"--screenshot {screenshot}")
    return " ".join(parts) or "..."


def wait_until(app, done, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()
        if done():
            return True
        time.sleep(0.005)
    return done()


def run_desk(store: str | None, view: str = "dailies", screenshot: str | None = None) -> int:
    """Open the desk on a store; with `screenshot`, save the first painted window and exit."""
    from desktop.main_window import VIEW_NAMES

    if view not in VIEW_NAMES:
        print(f"dailies: error: no view '{view}' (views: {', '.join(VIEW_NAMES)})", file=sys.stderr)
        return 2
    if not has_display():
        if screenshot is None:
            print(NO_DISPLAY.format(args=_args_text(store, view, screenshot)), file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from engine.store.db import open_store

    try:
        opened = open_store(store)
    except DailiesError as exc:
        print(f"dailies: error: {exc}", file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dailies"])
    app.setApplicationName("Dailies")
    apply_theme(app)
    try:
        window = MainWindow(opened, view=view)
    except DailiesError as exc:
        print(f"dailies: error: {exc}", file=sys.stderr)
        opened.close()
        return 2
    if screenshot:
        return _screenshot(app, window, screenshot, opened)
    from desktop import ops, responsive

    window.place_on_screen()
    window.show()
    responsive.after_start()
    try:
        code = app.exec()
    finally:
        ops.shutdown()
    opened.close()
    return code


def _screenshot(app, window, target: str, store) -> int:
    window.resize(1600, 960)
    window.show()
    ready = wait_until(app, window.is_ready, 20)
    # Let thumbnails and neighbour frames arrive too (they decode in the background).
    wait_until(app, lambda: not window.loader.busy(), 10)
    wait_until(app, lambda: False, 0.3)
    image = window.grab()
    ok = image.save(target)
    window.close()
    from desktop import ops

    ops.shutdown()
    store.close()
    if not ok:
        print(f"dailies: error: cannot write screenshot {target}", file=sys.stderr)
        return 2
    if not ready:
        print(f"dailies: warning: {target} saved before the first frame finished loading", file=sys.stderr)
    return 0
