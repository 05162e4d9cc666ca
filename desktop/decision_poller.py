"""Seeing other reviewers' decisions on a shared store without restarting: every few seconds
a worker asks the store for decision ids newer than the last one seen."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from desktop.relay import Relay
from engine.store.db import Store
from engine.store.filters import decisions_since, latest_decision_id, strip_takes
from engine.store.notes import latest_note_id, notes_since

POLL_MS = 3000



class _PollJob(QRunnable):
    def __init__(self, store: Store, after: int, relay: Relay, notes_after: int = 0):
        super().__init__()
        self.store, self.after, self.relay, self.notes_after = store, after, relay, notes_after

    def run(self) -> None:
        try:
            with self.store.read() as s:
                rows = decisions_since(s, self.after)
                newest = rows[-1][0] if rows else self.after
                fresh = strip_takes(s, sorted({t for _, t in rows}))
                notes = notes_since(s, self.notes_after)
        except Exception as exc:  # the store is unreachable now; try again next round
            self.relay.post(self.after, {}, str(exc).splitlines()[0])
            return
        self.relay.post(newest, fresh, "", notes)


class DecisionPoller(QObject):
    """Emits `decisions_arrived({take_id: StripTake})` when the store has new decisions."""

    decisions_arrived = Signal(object)
    notes_arrived = Signal(object)  # [NoteChange]: notes added and withdrawn, by any desk
    store_unreachable = Signal(str)

    def __init__(self, store: Store, interval_ms: int = POLL_MS, parent=None):
        super().__init__(parent)
        self.store = store
        with store.read() as s:
            self.last_id = latest_decision_id(s)
            self.last_note_id = latest_note_id(s)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = Relay(self._on_polled, self)
        self._busy = False
        self._job: _PollJob | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._pool.waitForDone(5000)

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._job = _PollJob(self.store, self.last_id, self._relay, self.last_note_id)
        self._pool.start(self._job)


    def _on_polled(self, newest: int, fresh: dict, error: str, notes=()) -> None:
        self._busy = False
        if error:
            self.store_unreachable.emit(error)
            return
        self.last_id = max(self.last_id, newest)
        if notes:
            self.last_note_id = max(self.last_note_id, notes[-1].id)
            self.notes_arrived.emit(notes)
        if fresh:
            self.decisions_arrived.emit(fresh)
