"""The desk's region notes: each take's standing notes, read off the GUI thread (an op on the
read lane of desktop.ops) and kept until the store says they changed; new notes and
withdrawals go through the decision writer's queue (journalled, retried, stored once), and
other reviewers' arrive with the poller.

One board per window (`note_board_for(session)`); every overlay (Dailies, Compare, Inspector,
the weekly drill-down) asks it for the notes of the take it shows and repaints on `changed`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.decision_writer import DecisionWriter, PendingDecision
from desktop.ops import query
from engine.store.db import Store
from engine.store.notes import Note, NoteChange, note_problem, standing_notes


class NoteBoard(QObject):
    changed = Signal(object)  # the take ids whose notes changed
    message = Signal(str)

    def __init__(self, store: Store, writer: DecisionWriter | None = None,
                 reviewer: Callable[[], str] = lambda: "", parent=None):
        super().__init__(parent)
        self.store, self.writer, self.reviewer = store, writer, reviewer
        self._notes: dict[int, list[Note]] = {}
        self._asked: set[int] = set()
        self._drawn: dict[str, tuple[int, PendingDecision]] = {}  # queued here, not yet stored
        if writer is not None:
            writer.note_written.connect(self._on_written)
            writer.note_refused.connect(self._on_refused)

    # -- reading ----------------------------------------------------------------------------
    def notes(self, take_id: int | None) -> list[Note]:
        """The take's standing notes as known now (asked for in the background if not yet),
        with the notes drawn here that the writer has not stored yet."""
        if take_id is None:
            return []
        if take_id not in self._notes and take_id not in self._asked:
            self._load([take_id])
        drawn = [_drawn_note(p) for t, p in self._drawn.values() if t == take_id and p.kind == "note"]
        gone = {p.shape["note_id"] for t, p in self._drawn.values() if t == take_id and p.kind == "unnote"}
        return [n for n in self._notes.get(take_id, []) if n.id not in gone] + drawn

    def forget(self, take_id: int) -> None:
        """Read the take's notes anew the next time they are asked for."""
        self._notes.pop(take_id, None)

    def loaded(self, take_id: int) -> bool:
        return take_id in self._notes

    def _load(self, take_ids: list[int]) -> None:
        """Read the takes' notes on the store's read lane; `changed` when they are here."""
        self._asked.update(take_ids)

        def done(found: dict) -> None:
            self._asked.difference_update(take_ids)
            self._notes.update(found)
            self.changed.emit(set(take_ids))

        def failed(line: str) -> None:  # the store is not answering: asked again on the next look
            self._asked.difference_update(take_ids)
            self.message.emit(f"Notes not read: {line}")

        query(self.store, self, lambda s: standing_notes(s, take_ids), done).failure(failed).start()

    def reload(self, take_ids) -> None:
        ids = [t for t in take_ids if t in self._notes or t in self._asked]
        if ids:
            self._load(ids)

    def apply_changes(self, changes: list[NoteChange]) -> None:
        """Notes added and withdrawn on the store (by any desk), from the poller."""
        touched = set()
        for c in changes:
            notes = self._notes.get(c.take_id)
            if notes is None:
                continue
            if c.note is not None and all(n.id != c.note.id for n in notes):
                notes.append(c.note)
            elif c.retracts_id is not None:
                notes[:] = [n for n in notes if n.id != c.retracts_id]
            touched.add(c.take_id)
        if touched:
            self.changed.emit(touched)

    # -- writing ----------------------------------------------------------------------------
    def add(self, take_id: int, take_ref: str, *, kind: str, points, text: str = "", tag: str | None = None,
            frame: int | None = None, frames: int | None = None) -> bool:
        """Queue a note drawn on `take_id` (on clip frame `frame` of `frames`); False and a
        message when the engine's rule refuses it (nothing queued)."""
        points = [round(float(v), 5) for v in points]
        problem = note_problem(kind, points, text=text, tag=tag, frame_start=frame, frame_end=frame,
                               frames=frames)
        if problem:
            self.message.emit(f"Note not kept: {problem}")
            return False
        shape = {"kind": kind, "points": points, "text": text, "tag": tag, "frame_start": frame, "frame_end": frame}
        self._submit(PendingDecision(kind="note", take_id=take_id, take_ref=take_ref,
                                     reviewer=self.reviewer(), shape=shape))
        self.message.emit(f"Note on {take_ref} saving…")
        return True

    def retract(self, note: Note, take_ref: str) -> None:
        self._submit(PendingDecision(kind="unnote", take_id=note.take_id, take_ref=take_ref,
                                     reviewer=self.reviewer(), shape={"note_id": note.id}))
        self.message.emit(f"Withdrawing the note on {take_ref}…")

    def _submit(self, pending: PendingDecision) -> None:
        if self.writer is None:
            raise RuntimeError("this board only shows notes")
        self._drawn[pending.client_key] = (pending.take_id, pending)
        self.writer.submit(pending)
        self.changed.emit({pending.take_id})

    def _on_written(self, pending: PendingDecision, note) -> None:
        self._drawn.pop(pending.client_key, None)
        notes = self._notes.setdefault(pending.take_id, [])
        if pending.kind == "note" and note is not None and all(n.id != note.id for n in notes):
            notes.append(note)
        elif pending.kind == "unnote":
            notes[:] = [n for n in notes if n.id != pending.shape["note_id"]]
        self.message.emit(f"Saved the {pending.describe()}")
        self.changed.emit({pending.take_id})

    def _on_refused(self, pending: PendingDecision, reason: str) -> None:
        self._drawn.pop(pending.client_key, None)
        self.message.emit(f"Not saved: {pending.describe()}: {reason}")
        self.reload([pending.take_id])
        self.changed.emit({pending.take_id})


def _drawn_note(p: PendingDecision) -> Note:
    from datetime import datetime

    s = p.shape
    return Note(id=-1, take_id=p.take_id, author=p.reviewer, made_at=datetime.fromisoformat(p.made_at),
                kind=s["kind"], points=tuple(s["points"]), text=s["text"], tag=s["tag"],
                frame_start=s["frame_start"], frame_end=s["frame_end"])


def note_board_for(session, writer: DecisionWriter | None = None) -> NoteBoard:
    """The board of the window `session` belongs to, made on first use."""
    board = getattr(session, "note_board", None)
    if board is None:
        board = NoteBoard(session.store, writer, lambda: session.reviewer, parent=session)
        session.note_board = board
    return board
