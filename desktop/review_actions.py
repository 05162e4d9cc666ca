"""Decisions made from the keyboard: approve, a rejection draft with tags, a note and the
conflicting frame, record-and-move-on, and undo.

Reject (R) opens a rejection draft for the take under review and writes nothing; a tag key
toggles tags on the draft (opening one if needed); `record_next` (Return) records the draft,
refused with the engine's one-line reason when it breaks the review rule, and moves to the
next undecided take, so one tag plus moving on is two keystrokes. Esc drops the draft.
Approve writes at once and moves on. Undo withdraws the reviewer's own latest decision (the
engine refuses someone else's). Every write goes through the DecisionWriter; the strip shows
the new status at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from desktop import ops
from desktop.decision_writer import DecisionWriter, PendingDecision
from desktop.review_session import ReviewSession
from engine.core.review_config import ReviewConfig
from engine.store.filters import StripTake, strip_takes
from engine.store.reviews import decision_problem
from engine.store.status import decided_status
from engine.store.takes import take_ref


@dataclass
class Draft:
    take_id: int | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""
    conflict_delta: int | None = None  # -1 previous shot, +1 next shot
    open: bool = False  # a rejection draft (R, a tag key or a conflicting frame opened it)

    def clear(self, take_id: int | None) -> None:
        self.take_id, self.tags, self.note, self.conflict_delta = take_id, [], "", None
        self.open = False

    @property
    def empty(self) -> bool:
        return not (self.open or self.tags or self.note)


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

    def open_draft(self) -> None:
        """R: start a rejection draft for the take under review; nothing is written."""
        if self.session.current_take() is None:
            return
        if not self.draft.open:
            self.draft.open = True
            keys = ", ".join(f"{t.key} {t.label}" for t in self.config.taxonomy)
            self.message.emit(f"Rejection draft: tag it ({keys}), Return records, Esc drops it")
        self.draft_changed.emit()

    def drop_draft(self) -> bool:
        """Esc: forget the draft (tags, note, conflicting frame). False when there was none."""
        if self.draft.empty and self.draft.conflict_delta is None:
            return False
        self.draft.clear(self.draft.take_id)
        self.message.emit("draft dropped; nothing recorded")
        self.draft_changed.emit()
        return True

    def toggle_tag(self, tag: str) -> None:
        if self.session.current_take() is None:
            return
        self.draft.open = True
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
        self.draft.open = True
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

    def record_next(self) -> None:
        """Return: record the draft as a rejection and go to the next undecided take; with no
        draft, just go on. A draft the review rule refuses stays, with the reason."""
        if self.draft.empty:
            if not self.session.next_undecided():
                self.message.emit("every take under this filter is decided")
            return
        problem = decision_problem(
            self.config, approve=False, tags=self.draft.tags,
            has_conflict=self.draft.conflict_delta is not None,
        )
        if problem:
            self.message.emit(f"Not recorded: {problem}")
            return
        self._decide(approve=False)

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
            take_ref=take_ref(shot.code, take.number),
            reviewer=self.session.reviewer,
            approve=approve,
            tags=() if approve else tuple(self.draft.tags),
            note=self.draft.note,
            conflicts_with=conflicts,
        )
        self.session.model.set_override(take.id, decided_status(approve))
        self._undo_stack.append(take.id)
        self.writer.submit(pending)
        self.draft.clear(take.id)
        if not self.session.next_undecided():
            self.message.emit("every take under this filter is decided")
        self.draft_changed.emit()

    def undo(self) -> None:
        """Withdraw this reviewer's latest decision: on the take last decided here, else on
        the take under review. The engine refuses when the decision is someone else's."""
        take_id = self._undo_stack.pop() if self._undo_stack else None
        if take_id is None:
            current = self.session.current_take()
            if current is None:
                self.message.emit("nothing to undo")
                return
            take_id = current.id
        ref = self.take_ref(take_id)
        self.writer.submit(PendingDecision(kind="undo", take_id=take_id, take_ref=ref, reviewer=self.session.reviewer))
        self.session.show_take(take_id)
        self.message.emit(f"undoing your decision on {ref}…")

    def take_ref(self, take_id: int) -> str:
        row = self.session.model.row_of_take(take_id)
        shot = self.session.model.shot(row) if row is not None else None
        take = next((t for t in shot.takes if t.id == take_id), None) if shot else None
        return take_ref(shot.code, take.number) if shot and take else f"take {take_id}"

    # -- the store answered ---------------------------------------------------------------
    def refresh_takes(self, take_ids: list[int], then=None) -> None:
        """Read the takes' standing from the store (off the GUI thread) and show it on the
        strip in place of what was shown before the store answered; then `then()`."""
        def show(fresh: dict[int, StripTake]) -> None:
            for take_id in take_ids:
                if not any(p.take_id == take_id for p in self.writer.pending()):
                    self.session.model.set_override(take_id, None)
            self.session.model.update_takes(fresh)
            self.session.forget_records(take_ids)
            if then is not None:
                then()

        ops.query(self.session.store, self, lambda s: strip_takes(s, take_ids), show).start()

    def _on_written(self, pending: PendingDecision, record) -> None:
        self.refresh_takes([pending.take_id], lambda: self.take_reviewed.emit(pending.take_id))
        if pending.kind == "undo":
            self.message.emit(f"Undone: withdrew {record.withdrew} of {pending.take_ref}")
        else:
            said = f": overrules {record.overrules}" if record.overrules else ""
            self.message.emit(f"Recorded {pending.describe()}{said}")

    def _on_refused(self, pending: PendingDecision, reason: str) -> None:
        self.message.emit(f"Not saved: {pending.describe()}: {reason}")
        self.refresh_takes([pending.take_id])
