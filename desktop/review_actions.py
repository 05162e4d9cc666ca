"""Decisions made from the keyboard: approve, reject with tags, a note, the conflicting frame
for a continuity error, record-and-move-on, and undo.

Tag keys toggle tags on a draft for the take under review; `record_next` (Return) writes the
draft as a rejection and moves to the next undecided take, so one tag plus moving on is two
keystrokes. Approve and reject write at once and move on. Every write goes through the
DecisionWriter; the strip shows the new status at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from desktop.decision_writer import DecisionWriter, PendingDecision
from desktop.review_session import ReviewSession
from engine.review_config import ReviewConfig
from engine.store.filters import StripTake, strip_takes


@dataclass
class Draft:
    take_id: int | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""
    conflict_delta: int | None = None  # -1 previous shot, +1 next shot

    def clear(self, take_id: int | None) -> None:
        self.take_id, self.tags, self.note, self.conflict_delta = take_id, [], "", None


class ReviewActions(QObject):
    draft_changed = Signal()
    message = Signal(str)
    take_reviewed = Signal(int)  # take id, once the store has it

    def __init__(self, session: ReviewSession, writer: DecisionWriter, config: ReviewConfig, parent=None):
        super().__init__(parent)
        self.session = session
        self.writer = writer
        self.config = config
        self.draft = Draft()
        self._undo_stack: list[int] = []  # take ids decided here, newest last
        session.current_changed.connect(self._on_moved)
        writer.decision_written.connect(self._on_written)
        writer.decision_refused.connect(self._on_refused)

    # -- draft ----------------------------------------------------------------------------
    def _on_moved(self) -> None:
        take = self.session.current_take()
        take_id = take.id if take else None
        if take_id != self.draft.take_id:
            self.draft.clear(take_id)
            self.draft_changed.emit()

    def toggle_tag(self, tag: str) -> None:
        if self.session.current_take() is None:
            return
        if tag in self.draft.tags:
            self.draft.tags.remove(tag)
            if self.config.tag(tag).needs_reference:
                self.draft.conflict_delta = None
        else:
            self.draft.tags.append(tag)
            if self.config.tag(tag).needs_reference and self.draft.conflict_delta is None:
                self.message.emit("Continuity: pick the conflicting frame — click it, or [ previous / ] next")
        self.draft_changed.emit()

    def needs_reference(self) -> bool:
        return any(self.config.tag(t).needs_reference for t in self.draft.tags)

    def pick_conflict(self, delta: int) -> None:
        """Mark the previous (-1) or next (+1) shot's shown take as the conflicting frame."""
        if self.session.neighbour(delta) is None:
            self.message.emit("no shot on that side to conflict with")
            return
        if not self.needs_reference():
            ref_tag = next((t.tag for t in self.config.taxonomy if t.needs_reference), None)
            if ref_tag:
                self.draft.tags.append(ref_tag)
        self.draft.conflict_delta = None if self.draft.conflict_delta == delta else delta
        self.draft_changed.emit()

    def set_note(self, text: str) -> None:
        self.draft.note = text
        self.draft_changed.emit()

    # -- decisions ----------------------------------------------------------------------
    def approve(self) -> None:
        self._decide(approve=True)

    def reject(self) -> None:
        self._decide(approve=False)

    def record_next(self) -> None:
        """Write the draft (a rejection if it has tags or a note) and go to the next undecided."""
        if self.draft.tags or self.draft.note:
            self._decide(approve=False)
        else:
            self.session.next_undecided()

    def _decide(self, *, approve: bool) -> None:
        take = self.session.current_take()
        shot = self.session.current_shot()
        if take is None or shot is None:
            return
        conflicts = None
        if not approve and self.draft.conflict_delta is not None:
            other = self.session.neighbour(self.draft.conflict_delta)
            conflicts = other[1].id if other and other[1] else None
        pending = PendingDecision(
            kind="decide",
            take_id=take.id,
            take_ref=f"{shot.code}/take_{take.number:03d}",
            reviewer=self.session.reviewer,
            approve=approve,
            tags=() if approve else tuple(self.draft.tags),
            note=self.draft.note,
            conflicts_with=conflicts,
        )
        self.session.model.set_override(take.id, "approved" if approve else "rejected")
        self._undo_stack.append(take.id)
        self.writer.submit(pending)
        self.draft.clear(take.id)
        if not self.session.next_undecided():
            self.message.emit("every take under this filter is decided")
        self.draft_changed.emit()

    def undo(self) -> None:
        if not self._undo_stack:
            self.message.emit("nothing to undo in this session")
            return
        take_id = self._undo_stack.pop()
        row = self.session.model.row_of_take(take_id)
        shot = self.session.model.shot(row) if row is not None else None
        take = next((t for t in shot.takes if t.id == take_id), None) if shot else None
        ref = f"{shot.code}/take_{take.number:03d}" if shot and take else f"take {take_id}"
        self.session.model.set_override(take_id, "pending_review")
        self.writer.submit(PendingDecision(kind="undo", take_id=take_id, take_ref=ref, reviewer=self.session.reviewer))
        self.session.show_take(take_id)
        self.message.emit(f"undone: {ref}")

    # -- the store answered ---------------------------------------------------------------
    def refresh_takes(self, take_ids: list[int]) -> None:
        with self.session.store.read() as s:
            fresh: dict[int, StripTake] = strip_takes(s, take_ids)
        for take_id in take_ids:
            if not any(p.take_id == take_id for p in self.writer.pending()):
                self.session.model.set_override(take_id, None)
        self.session.model.update_takes(fresh)
        self.session.forget_records(take_ids)

    def _on_written(self, pending: PendingDecision, _record) -> None:
        self.refresh_takes([pending.take_id])
        self.take_reviewed.emit(pending.take_id)

    def _on_refused(self, pending: PendingDecision, reason: str) -> None:
        self.message.emit(f"not saved: {pending.describe()}: {reason}")
        self.refresh_takes([pending.take_id])
