"""What the desk is looking at: the store, the filmstrip model under the current filter, the
shot and take under review, and the reviewer's name. Views follow `current_changed`.

The strip's order and each take's standing decision are read by ops off the GUI thread;
`strip_reloaded` and `standing_ready` say when they have arrived. The strip model reads its
rows a page at a time as views paint them, through `_strip_rows`."""

from __future__ import annotations

import getpass
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import ops
from desktop.strip_model import ShotStripModel
from engine.core.errors import StoreError
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
from engine.store.status import PENDING
from engine.store.takes import TakeRecord
from engine.takes.reports.agreement import standing_as_seen_by

UNREADABLE_RETRY_S = 3.0  # a standing the store could not give is asked again after this


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment
        return "reviewer"


READ_AHEAD_MS = 30


class ReviewSession(QObject):
    current_changed = Signal()
    strip_reloaded = Signal()
    standing_ready = Signal(int)  # take id

    def __init__(self, store: Store, reviewer: str | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.reviewer = reviewer or default_reviewer()
        self.model = ShotStripModel(parent=self)
        self.criteria = TakeCriteria()
        self.row = 0
        self.loaded = False  # the strip has been read once
        self._standing: dict[int, StandingDecision] = {}
        self._standing_before: dict[int, StandingDecision] = {}  # shown while it is read again
        self._unreadable: dict[int, float] = {}  # take id -> when the store could not be read
        self._asked: set[int] = set()  # standings being read
        self._paths: dict[str, Path] = {}
        # The pages around the reviewer are read ahead a moment after a move, not in the move
        # itself: a jump's own work stays short, and a held arrow key reads ahead once per burst.
        self._read_ahead = QTimer(self)
        self._read_ahead.setSingleShot(True)
        self._read_ahead.setInterval(READ_AHEAD_MS)
        self._read_ahead.timeout.connect(lambda: self.model.read_ahead(self.row))

    # -- loading ------------------------------------------------------------------------
    def reload(self, criteria: TakeCriteria | None = None) -> None:
        """Read the strip under `criteria` (or the current one) off the GUI thread, keeping
        the shot in view; `strip_reloaded` follows."""
        if criteria is not None:
            self.criteria = criteria
        keep = self.current_shot().code if self.current_shot() else None
        wanted = self.criteria
        (ops.query(self.store, self, lambda s: strip_sequence(s, wanted),
                   lambda order: self._show_strip(order, keep))
         .latest("strip").start())

    def _show_strip(self, order, keep: str | None) -> None:
        self.loaded = True
        self.model.set_source(order.ids, self._strip_rows, take_shot=self._read(place_of_take),
                              code_shot=self._read(place_of_shot), episodes=order.episodes,
                              positions=order.positions, read_later=self._strip_rows_later)
        self._standing.clear()
        self._standing_before.clear()
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

    def _strip_rows_later(self, shot_ids: list[int], arrived) -> None:
        """The same rows read off the GUI thread, for the strip's painting."""
        criteria = self.criteria
        ops.query(self.store, self, lambda s: strip_shots(s, shot_ids, criteria), arrived).start()

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

    def standing(self, take_id: int) -> StandingDecision | None:
        """The take's standing decision (who, when, tags, note, conflicting frame) and how
        many decisions it has had, as this reviewer may see it; kept until the take changes.
        When not known yet it is read off the GUI thread (`standing_ready` follows) and None
        is returned, or what was known before the take changed."""
        found = self._standing.get(take_id)
        if found is None:
            self._read_standing(take_id)
            return self._standing_before.get(take_id)
        return found

    def standing_unreadable(self, take_id: int) -> bool:
        """The store could not be read for the take's decision (the desk keeps working)."""
        return take_id in self._unreadable and take_id not in self._standing

    def _read_standing(self, take_id: int) -> None:
        failed_at = self._unreadable.get(take_id)
        if take_id in self._asked or (failed_at is not None and time.monotonic() - failed_at < UNREADABLE_RETRY_S):
            return
        self._asked.add(take_id)
        store, reviewer = self.store, self.reviewer

        def read(job):
            path = store.location.path
            if store.is_sqlite and path is not None and not path.exists():
                raise StoreError(f"store file {path} is gone")  # never open (and so create) it
            return standing_as_seen_by(job.session(), [take_id], reviewer)[take_id]

        def known(found: StandingDecision) -> None:
            self._asked.discard(take_id)
            self._unreadable.pop(take_id, None)
            if len(self._standing) > 512:
                self._standing.clear()
            self._standing[take_id] = found
            self._standing_before.pop(take_id, None)
            self.standing_ready.emit(take_id)

        def not_known(_reason: str) -> None:  # locked, gone, server down: read again later
            self._asked.discard(take_id)
            self._unreadable[take_id] = time.monotonic()
            self.standing_ready.emit(take_id)

        ops.Op(store, self, read, known).failure(not_known).start()

    def forget_records(self, take_ids) -> None:
        """The takes' decisions changed: read them again when next asked."""
        for take_id in take_ids:
            old = self._standing.pop(take_id, None)
            if old is not None:
                self._standing_before[take_id] = old

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
        self.model.shot(row)  # the reviewer's own shot, read at once: its page is not asked twice
        if not self._read_ahead.isActive():
            self._read_ahead.start()
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
                if self.model.status_of(shot.takes[i]) == PENDING:
                    self.model.choose_take(row, i)
                    self.row = row
                    self.model.ensure_row(row)
                    self.current_changed.emit()
                    return True
        return False
