"""Seeing other reviewers' decisions on a shared store without restarting: every few seconds
an op asks the store for decisions newer than the last one seen."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import ops
from engine.store.db import Store
from engine.store.filters import decisions_since, latest_decision_id, strip_takes
from engine.store.notes import latest_note_id, notes_since

POLL_MS = 3000


def _since(session, after: int | None, notes_after: int | None) -> tuple[int, dict, int, list]:
    """(the newest decision id, {take_id: StripTake} of the takes decided after `after`, the
    newest note id, the note changes after `notes_after`); with no `after` yet, only where the
    store stands now."""
    if after is None or notes_after is None:
        return latest_decision_id(session), {}, latest_note_id(session), []
    rows = decisions_since(session, after)
    newest = rows[-1][0] if rows else after
    notes = notes_since(session, notes_after)
    newest_note = notes[-1].id if notes else notes_after
    return newest, strip_takes(session, sorted({t for _, t in rows})), newest_note, notes


class DecisionPoller(QObject):
    """Emits `decisions_arrived({take_id: StripTake})` when the store has new decisions.

    The next poll is due `interval_ms` after the last one answered, so polls never pile up on
    a slow store; a poll asked for while one runs replaces it (same question, newer answer)."""

    decisions_arrived = Signal(object)
    notes_arrived = Signal(object)  # [NoteChange]: notes added and withdrawn, by any desk
    store_unreachable = Signal(str)

    def __init__(self, store: Store, interval_ms: int = POLL_MS, parent=None):
        super().__init__(parent)
        self.store = store
        self.last_id: int | None = None  # read at once: decisions from here on are news
        self.last_note_id: int | None = None  # and notes from here on
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self.poll()

    def start(self) -> None:
        self._running = True
        self._timer.start()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def poll(self) -> None:
        after, notes_after = self.last_id, self.last_note_id
        (ops.query(self.store, self, lambda s: _since(s, after, notes_after), self._on_polled)
         .failure(self._on_failed).cancelled(self._again).latest("poll").start())

    def _on_polled(self, answer: tuple[int, dict, int, list]) -> None:
        newest, fresh, newest_note, notes = answer
        self.last_id = newest if self.last_id is None else max(self.last_id, newest)
        self.last_note_id = newest_note if self.last_note_id is None else max(self.last_note_id, newest_note)
        if notes:
            self.notes_arrived.emit(notes)
        if fresh:
            self.decisions_arrived.emit(fresh)
        self._again()

    def _on_failed(self, error: str) -> None:
        self.store_unreachable.emit(error)  # unreachable now; asked again next round
        self._again()

    def _again(self) -> None:
        if self._running and not self._timer.isActive():
            self._timer.start()
