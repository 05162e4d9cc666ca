"""The filmstrip's item model: one row per shot in sequence order, read from
engine.store.filters.review_strip.

Rows hold only ids, numbers and statuses of takes (the full take is fetched when it is looked
at) and are handed to the view in batches (canFetchMore/fetchMore), so an episode of thousands
of shots opens at once.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from engine.store.filters import StripShot, StripTake

SHOT_ROLE = Qt.UserRole + 1
TAKE_ROLE = Qt.UserRole + 2  # the take the strip shows for this shot
STATUS_ROLE = Qt.UserRole + 3
BATCH = 2000


class ShotStripModel(QAbstractListModel):
    def __init__(self, shots: list[StripShot] | None = None, parent=None):
        super().__init__(parent)
        self._shots: list[StripShot] = []
        self._loaded = 0
        self._choice: dict[int, int] = {}  # row -> chosen take index
        self._rows_of_take: dict[int, int] = {}
        self._overrides: dict[int, str] = {}  # take id -> status shown before the store confirms
        self.set_shots(shots or [])

    # -- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded < len(self._shots)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        end = min(len(self._shots), self._loaded + BATCH)
        if end <= self._loaded:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, end - 1)
        self._loaded = end
        self.endInsertRows()

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._loaded:
            return None
        shot = self._shots[index.row()]
        if role == Qt.DisplayRole:
            return shot.code
        if role == SHOT_ROLE:
            return shot
        if role == TAKE_ROLE:
            return self.shown_take(index.row())
        if role == STATUS_ROLE:
            take = self.shown_take(index.row())
            return self.status_of(take) if take else "pending_review"
        if role == Qt.ToolTipRole:
            take = self.shown_take(index.row())
            label = f"take_{take.number:03d} ({self.status_of(take)})" if take else "no takes"
            return f"{shot.code}  {label}  {len(shot.takes)} take(s)"
        return None

    # -- rows ---------------------------------------------------------------------------
    def set_shots(self, shots: list[StripShot]) -> None:
        self.beginResetModel()
        self._shots = list(shots)
        self._loaded = min(len(self._shots), BATCH)
        self._choice = {}
        self._rows_of_take = {t.id: row for row, s in enumerate(self._shots) for t in s.takes}
        self.endResetModel()

    def total_rows(self) -> int:
        return len(self._shots)

    def ensure_row(self, row: int) -> None:
        """Make `row` visible to views (fetch batches up to it)."""
        while row >= self._loaded and self.canFetchMore():
            self.fetchMore()

    def shot(self, row: int) -> StripShot | None:
        return self._shots[row] if 0 <= row < len(self._shots) else None

    def row_of_take(self, take_id: int) -> int | None:
        return self._rows_of_take.get(take_id)

    def row_of_shot(self, code: str) -> int | None:
        for row, s in enumerate(self._shots):
            if s.code == code:
                return row
        return None

    # -- which take a shot shows ----------------------------------------------------------
    def status_of(self, take: StripTake) -> str:
        return self._overrides.get(take.id, take.status)

    def default_take_index(self, row: int) -> int | None:
        """The take a reviewer lands on: the first undecided one, else the approved one, else
        the latest."""
        shot = self.shot(row)
        if shot is None or not shot.takes:
            return None
        statuses = [self.status_of(t) for t in shot.takes]
        for wanted in ("pending_review", "approved"):
            if wanted in statuses:
                return statuses.index(wanted)
        return len(shot.takes) - 1

    def take_index(self, row: int) -> int | None:
        shot = self.shot(row)
        if shot is None or not shot.takes:
            return None
        chosen = self._choice.get(row)
        if chosen is not None and 0 <= chosen < len(shot.takes):
            return chosen
        return self.default_take_index(row)

    def shown_take(self, row: int) -> StripTake | None:
        shot = self.shot(row)
        index = self.take_index(row)
        return shot.takes[index] if shot is not None and index is not None else None

    def choose_take(self, row: int, index: int) -> None:
        self._choice[row] = index
        self._changed(row)

    # -- statuses -----------------------------------------------------------------------
    def set_override(self, take_id: int, status: str | None) -> None:
        """Show a status at once (a decision just made) until the store confirms it."""
        if status is None:
            self._overrides.pop(take_id, None)
        else:
            self._overrides[take_id] = status
        row = self.row_of_take(take_id)
        if row is not None:
            self._pin(row)
            self._changed(row)

    def update_takes(self, fresh: dict[int, StripTake]) -> list[int]:
        """Replace takes with fresh entries from the store; returns the rows that changed."""
        rows: dict[int, dict[int, StripTake]] = {}
        for take_id, take in fresh.items():
            row = self.row_of_take(take_id)
            if row is not None:
                rows.setdefault(row, {})[take_id] = take
        for row, takes in rows.items():
            self._pin(row)
            shot = self._shots[row]
            self._shots[row] = replace(shot, takes=tuple(takes.get(t.id, t) for t in shot.takes))
            self._changed(row)
        return sorted(rows)

    def _pin(self, row: int) -> None:
        """Keep the shown take where it is when statuses change under it."""
        if row not in self._choice:
            index = self.take_index(row)
            if index is not None:
                self._choice[row] = index

    def _changed(self, row: int) -> None:
        if row < self._loaded:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [TAKE_ROLE, STATUS_ROLE, Qt.ToolTipRole])
