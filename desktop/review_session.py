"""What the desk is looking at: the store, the filmstrip model under the current filter, the
shot and take under review, and the reviewer's name. Views follow `current_changed`."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.strip_model import ShotStripModel
from engine.reports.agreement import standing_as_seen_by
from engine.store.db import Store
from engine.store.filters import (
    StripShot,
    StripTake,
    TakeCriteria,
    place_of_shot,
    place_of_take,
    strip_sequence,
    strip_shots,
)
from engine.store.reviews import StandingDecision
from engine.store.takes import TakeRecord, takes_by_ids


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "reviewer"


class ReviewSession(QObject):
    current_changed = Signal()
    strip_reloaded = Signal()

    def __init__(self, store: Store, reviewer: str | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.reviewer = reviewer or default_reviewer()
        self.model = ShotStripModel(parent=self)
        self.criteria = TakeCriteria()
        self.row = 0
        self._records: dict[int, TakeRecord] = {}
        self._standing: dict[int, StandingDecision] = {}
        self._paths: dict[str, Path] = {}

    # -- loading ------------------------------------------------------------------------
    def reload(self, criteria: TakeCriteria | None = None) -> None:
        """Read the strip under `criteria` (or the current one), keeping the shot in view."""
        if criteria is not None:
            self.criteria = criteria
        keep = self.current_shot().code if self.current_shot() else None
        with self.store.read() as s:
            order = strip_sequence(s, self.criteria)
        self.model.set_source(order.ids, self._strip_rows, take_shot=self._read(place_of_take),
                              code_shot=self._read(place_of_shot), episodes=order.episodes,
                              positions=order.positions)
        self._records.clear()
        self._standing.clear()
        self._paths.clear()
        row = self.model.row_of_shot(keep) if keep else None
        self.row = row if row is not None else 0
        self.model.ensure_row(self.row)
        self.strip_reloaded.emit()
        self.current_changed.emit()

    def _strip_rows(self, shot_ids: list[int]) -> list[StripShot]:
        """The rows of the strip the views are about to show, read in one short session."""
        with self.store.read() as s:
            return strip_shots(s, shot_ids, self.criteria)

    def _read(self, query):
        def run(arg):
            with self.store.read() as s:
                return query(s, arg)
        return run

    def media_path(self, take: StripTake | TakeRecord | None) -> Path | None:
        if take is None:
            return None
        found = self._paths.get(take.output_path)
        if found is None and take.output_path:  # resolved once: the strip asks on every paint
            found = self._paths[take.output_path] = self.store.resolve_media(take.output_path)
        return found

    def take_record(self, take_id: int) -> TakeRecord:
        """The full take (prompt, seed, ...) fetched on demand in one short session."""
        found = self._records.get(take_id)
        if found is None:
            with self.store.read() as s:
                found = takes_by_ids(s, [take_id])[0]
            if len(self._records) > 512:
                self._records.clear()
            self._records[take_id] = found
        return found

    def standing(self, take_id: int) -> StandingDecision | None:
        """The take's standing decision (who, when, tags, note, conflicting frame) and how
        many decisions it has had, read on demand and kept until the take changes; None
        while the store cannot be read (the desk keeps working and says so)."""
        found = self._standing.get(take_id)
        if found is None:
            path = self.store.location.path
            if self.store.is_sqlite and path is not None and not path.exists():
                return None  # never open (and so create) a store file that has gone
            try:
                with self.store.read() as s:
                    found = standing_as_seen_by(s, [take_id], self.reviewer)[take_id]
            except Exception:  # locked, gone, server down: shown as not known, read again later
                return None
            if len(self._standing) > 512:
                self._standing.clear()
            self._standing[take_id] = found
        return found

    def forget_records(self, take_ids) -> None:
        for take_id in take_ids:
            self._records.pop(take_id, None)
            self._standing.pop(take_id, None)

    # -- where we are ---------------------------------------------------------------------
    def shot_count(self) -> int:
        return self.model.total_rows()

    def current_shot(self) -> StripShot | None:
        return self.model.shot(self.row)

    def current_take(self) -> StripTake | None:
        return self.model.shown_take(self.row)

    def take_position(self) -> tuple[int, int]:
        """(1-based index of the shown take, number of takes) for the current shot."""
        shot = self.current_shot()
        index = self.model.take_index(self.row)
        return ((index or 0) + 1, len(shot.takes) if shot else 0)

    def neighbour(self, delta: int) -> tuple[StripShot, StripTake | None] | None:
        row = self.row + delta
        shot = self.model.shot(row)
        if shot is None:
            return None
        return shot, self.model.shown_take(row)

    # -- moving -------------------------------------------------------------------------
    def goto_row(self, row: int) -> None:
        total = self.shot_count()
        if total == 0:
            return
        row = max(0, min(total - 1, row))
        if row == self.row:
            return
        self.row = row
        self.model.ensure_row(row)
        self.current_changed.emit()

    def move_shot(self, delta: int) -> None:
        self.goto_row(self.row + delta)

    def move_take(self, delta: int) -> None:
        shot = self.current_shot()
        index = self.model.take_index(self.row)
        if shot is None or index is None:
            return
        new = max(0, min(len(shot.takes) - 1, index + delta))
        if new != index:
            self.model.choose_take(self.row, new)
            self.current_changed.emit()

    def show_take(self, take_id: int) -> None:
        row = self.model.row_of_take(take_id)
        if row is None:
            return
        shot = self.model.shot(row)
        index = next(i for i, t in enumerate(shot.takes) if t.id == take_id)
        self.model.choose_take(row, index)
        self.row = row
        self.model.ensure_row(row)
        self.current_changed.emit()

    def next_undecided(self) -> bool:
        """Move to the next undecided take after the current one (this shot first, then the
        following shots, wrapping round). False when none is left."""
        total = self.shot_count()
        start_index = self.model.take_index(self.row)
        for step in range(total + 1):
            row = (self.row + step) % total if total else 0
            shot = self.model.shot(row)
            if shot is None:
                continue
            first = (start_index + 1) if (step == 0 and start_index is not None) else 0
            for i in range(first, len(shot.takes)):
                if self.model.status_of(shot.takes[i]) == "pending_review":
                    self.model.choose_take(row, i)
                    self.row = row
                    self.model.ensure_row(row)
                    self.current_changed.emit()
                    return True
        return False
