"""Carrying workers' results to the GUI thread.

A worker puts its result in a thread-safe queue and emits a bare signal; on the GUI thread the
relay drains the queue and calls its handler with each result. No Python object crosses
threads through a queued Qt signal (PySide6 6.12 on Python 3.11 miscounts references to the
objects it carries that way).
"""

from __future__ import annotations

import queue
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class Relay(QObject):
    ready = Signal()

    def __init__(self, handler: Callable[..., None], owner: QObject):
        """Make it on the GUI thread: `handler(*result)` runs there for every posted result.

        The relay is a child of `owner` (the handler's object), so it goes when the owner goes
        and a late result is dropped instead of reaching a deleted object."""
        super().__init__(owner)
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._handler = handler
        self.ready.connect(self._drain)

    def post(self, *result) -> None:
        """From any thread: hand `result` to the handler on the GUI thread."""
        self._results.put(result)
        try:
            self.ready.emit()
        except RuntimeError:  # the window closed while the worker ran
            pass

    def _drain(self) -> None:
        while True:
            try:
                result = self._results.get_nowait()
            except queue.Empty:
                return
            self._handler(*result)
