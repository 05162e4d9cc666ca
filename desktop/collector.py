"""Cyclic garbage is collected on the GUI thread only.

Python's collector runs in whichever thread's allocation crosses its threshold. On the desk
that is often a lane thread reading the store, and a cycle it frees can hold Qt objects made
on the GUI thread (a relay, a timer, an image view's helpers): destroyed from the lane thread,
Qt crashed the desk. So automatic collection is turned off once the desk's window exists,
and a timer on the GUI thread runs the same generational passes when the same thresholds are
crossed. Objects without cycles are freed at once as always; only cycles wait, at most one
tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

TICK_MS = 500

_installed: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    def collect_due(self) -> None:
        """The passes the automatic collector would have made by now."""
        first, second, third = gc.get_count()
        low, middle, high = self._thresholds
        if first > low:
            gc.collect(0)
            if second > middle:
                gc.collect(1)
                if third > high:
                    gc.collect(2)


def install() -> None:
    """Collect garbage on the GUI thread from now on (once per process; called from the GUI
    thread once the application exists)."""
    global _installed
    app = QCoreApplication.instance()
    if _installed is not None or app is None or QThread.currentThread() is not app.thread():
        return
    _installed = GuiThreadCollector(app)
