"""The one writer of review decisions: a queue worked one decision at a time on the desk's
write lane (desktop.ops), in the order the reviewer made them.

A decision is handed to the store the moment it is made and shown on the strip at once. If
the store is locked or gone, the decision stays in the queue (and in a journal file beside the
user's data, so a crash loses nothing) and is retried every few seconds; decisions the store
refuses for a reason the reviewer can act on are reported by name and dropped.

Each decision carries a client key made when the reviewer pressed the key; it is kept in the
journal and sent on every write and retry, so a decision the store took just before the desk
crashed (the journal not yet rewritten) is recognised on the replay and stored only once.
"""

from __future__ import annotations

import json
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QObject, QTimer, Signal

from desktop import ops
from engine.core import paths
from engine.core.errors import DailiesError
from engine.store.db import Store
from engine.store.notes import add_note, retract_note
from engine.store.reviews import add_decision, retract_latest

RETRY_MS = 3000


@dataclass
class PendingDecision:
    kind: str  # decide | undo | note (shape: add_note's fields) | unnote (shape: {"note_id": N})
    take_id: int
    take_ref: str  # SHOT/take_NNN, for messages
    reviewer: str
    approve: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""
    conflicts_with: int | None = None
    made_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    client_key: str = field(default_factory=lambda: uuid.uuid4().hex)
    shape: dict | None = None

    def describe(self) -> str:
        if self.kind in ("note", "unnote"):
            return f"{'note' if self.kind == 'note' else 'withdrawal of a note'} on {self.take_ref}"
        if self.kind == "undo":
            return f"undo on {self.take_ref}"
        verdict = "approval" if self.approve else "rejection"
        return f"{verdict} of {self.take_ref}"


class StoreUnavailable(Exception):
    """The store cannot take the write now (gone, locked, unreachable): try again later."""


def write_pending(store: Store, pending: PendingDecision):
    """Write one decision to the store (run on the write lane)."""
    if store.is_sqlite and store.location.path is not None and not store.location.path.exists():
        raise StoreUnavailable(f"store file {store.location.path} is gone")
    try:
        with store.write() as s:
            if pending.kind == "note":
                return add_note(s, pending.take_id, author=pending.reviewer, **pending.shape,
                                at=datetime.fromisoformat(pending.made_at), client_key=pending.client_key)
            if pending.kind == "unnote":
                return retract_note(s, pending.shape["note_id"], author=pending.reviewer,
                                    client_key=pending.client_key)
            if pending.kind == "undo":
                return retract_latest(
                    s, pending.take_id, reviewer=pending.reviewer, client_key=pending.client_key
                )
            return add_decision(
                s,
                pending.take_id,
                reviewer=pending.reviewer,
                approve=pending.approve,
                tags=pending.tags,
                note=pending.note,
                conflicts_with=pending.conflicts_with,
                at=datetime.fromisoformat(pending.made_at),
                client_key=pending.client_key,
            )
    except DailiesError:
        raise
    except Exception as exc:  # locked, disk gone, server down: keep it and retry
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreUnavailable(f"store {store.display()} did not take the write: {reason}") from exc


def _outcome(store: Store, pending: PendingDecision) -> tuple:
    """(pending, the stored record or None, why not, whether to retry): what the write did."""
    try:
        record = write_pending(store, pending)
    except StoreUnavailable as exc:
        return pending, None, str(exc), True
    except DailiesError as exc:
        return pending, None, str(exc), False
    return pending, record, "", False


class DecisionWriter(QObject):
    decision_written = Signal(object, object)  # PendingDecision, DecisionRecord
    decision_refused = Signal(object, str)  # dropped, with the store's reason
    store_unavailable = Signal(str)  # held in the queue; retrying
    journal_unwritable = Signal(str)  # unsent decisions would not survive the desk closing
    queue_changed = Signal(int)
    note_written = Signal(object, object)  # PendingDecision (note | unnote), Note or None
    note_refused = Signal(object, str)

    def __init__(self, store: Store, journal: Path | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.journal = journal or paths.user_data_dir() / "desk-unsent-decisions.jsonl"
        self._queue: deque[PendingDecision] = deque()
        self._busy = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._next)
        self.last_error = ""

    def recover(self) -> int:
        """Queue decisions a previous session made but could not write to this store."""
        for entry in self._read_journal():
            if entry.pop("store", None) == self.store.display():
                entry["tags"] = tuple(entry.get("tags", ()))
                entry.pop("op_id", None)  # journals from older desks
                if not entry.get("client_key"):  # a journal from before client keys
                    entry.pop("client_key", None)
                self._queue.append(PendingDecision(**entry))
        self._save_journal()
        self._next()
        return len(self._queue)

    def submit(self, pending: PendingDecision) -> None:
        self._queue.append(pending)
        self._save_journal()
        self.queue_changed.emit(len(self._queue))
        self._next()

    def pending(self) -> list[PendingDecision]:
        return list(self._queue)

    def idle(self) -> bool:
        return not self._queue and not self._busy

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """For closing the window: let queued writes finish (not those waiting to be retried)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._busy and not deadline.hasExpired():
            ops.wait_idle(max(0, deadline.remainingTime()))
        return not self._queue

    def _next(self) -> None:
        if self._busy or not self._queue or self._retry.isActive():
            return
        self._busy = True
        pending = self._queue[0]
        ops.Op(self.store, self, lambda job: _outcome(job.store, pending),
               lambda outcome: self._on_done(*outcome)).writes().start()

    def _on_done(self, pending: PendingDecision, record, error: str, retry: bool) -> None:
        self._busy = False
        if retry:
            self.last_error = error
            self.store_unavailable.emit(error)
            self._retry.start()
            return
        if self._queue and self._queue[0].client_key == pending.client_key:
            self._queue.popleft()
        self.last_error = ""
        self._save_journal()
        self.queue_changed.emit(len(self._queue))
        if pending.kind in ("note", "unnote"):
            (self.note_refused.emit(pending, error) if error else self.note_written.emit(pending, record))
        elif record is None:
            self.decision_refused.emit(pending, error)
        else:
            self.decision_written.emit(pending, record)
        self._next()

    def _read_journal(self) -> list[dict]:
        if not self.journal.exists():
            return []
        entries = []
        for line in self.journal.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return entries

    def _save_journal(self) -> None:
        others = [e for e in self._read_journal() if e.get("store") != self.store.display()]
        mine = [{**asdict(p), "store": self.store.display()} for p in self._queue]
        lines = [json.dumps(e, sort_keys=True) for e in others + mine]
        try:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.journal.with_suffix(".tmp")
            tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            tmp.replace(self.journal)
        except OSError as exc:
            self.last_error = f"cannot keep unsent decisions in {self.journal}: {exc}"
            if self._queue:
                self.journal_unwritable.emit(self.last_error)
