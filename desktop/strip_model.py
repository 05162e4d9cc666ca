"""The filmstrip's item model: one row per shot in sequence order.

The model holds only the ids of the shots in order; the rows themselves (each shot's takes
with their numbers and statuses, from engine.store.filters.strip_shots) are read a page at a
time as views ask for them, and a bounded number of pages is kept. The full take is fetched
when it is looked at. With a `read_later` (the desk's), a page a view paints is read off the
GUI thread: the row paints as being read until its page arrives. The reviewer's own place
(the current shot, the next undecided take) is always read at once, so a key acts on the
shot the reviewer sees; `read_ahead` reads the pages around it beforehand.

Views see a window of the strip (the model's row 0 is strip row `offset`): it grows by
batches as the view scrolls on (canFetchMore/fetchMore) or back (`extend_back`), and a jump
far away (End, Home, a shot by name) moves it there, so the view never lays out more than a
few batches of rows whatever the strip's length. Rows outside the model's API are strip rows.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from engine.store.filters import StripShot, StripTake

SHOT_ROLE = Qt.UserRole + 1
TAKE_ROLE = Qt.UserRole + 2  # the take the strip shows for this shot
STATUS_ROLE = Qt.UserRole + 3
BATCH = 2000
PAGE = 32  # shots read in one go: a jump reads the one or two pages it lands on
PAGES_KEPT = 128  # 4,096 shots
WINDOW = 512  # rows a far jump hands the view (the view lays out every row it is given)

Fetch = Callable[[list[int]], list[StripShot]]  # shot ids -> their rows (any order, some may be gone)
# shot ids and where to send their rows (on the GUI thread) once read off it
FetchLater = Callable[[list[int], Callable[[list[StripShot]], None]], None]
# A take id or shot code -> its shot's place (episode id, position, shot id) in the strip
# order (engine.store.filters.Place), or just its shot's id for a strip held in memory.
Locate = Callable[[object], "tuple[int, int, int] | int | None"]


class ShotStripModel(QAbstractListModel):
    def __init__(self, shots: list[StripShot] | None = None, parent=None):
        super().__init__(parent)
        self._ids = array("q")
        self._episodes, self._positions = array("q"), array("q")  # the sort keys, row for row
        self._fetch: Fetch = lambda ids: []
        self._fetch_later: FetchLater | None = None
        self._asked: set[int] = set()  # pages being read off the GUI thread
        self._generation = 0  # changes when the source or the kept rows change
        self._take_shot: Locate = lambda take_id: None
        self._code_shot: Locate = lambda code: None
        self._pages: OrderedDict[int, list[StripShot | None]] = OrderedDict()
        self._take_rows: dict[int, int] = {}  # take id -> row, for the pages kept
        self._loaded = 0  # rows the view has, from strip row _offset
        self._offset = 0
        self._choice: dict[int, int] = {}  # row -> chosen take index
        self._overrides: dict[int, str] = {}  # take id -> status shown before the store confirms
        self.set_shots(shots or [])

    # -- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._offset + self._loaded < len(self._ids)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._hand_over(self._offset + self._loaded + BATCH)

    def _hand_over(self, end: int) -> None:
        """Grow the window up to strip row `end` (exclusive)."""
        end = min(len(self._ids), end)
        first = self._offset + self._loaded
        if end <= first:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + end - first - 1)
        self._loaded += end - first
        self.endInsertRows()

    def extend_back(self) -> bool:
        """Grow the window towards the strip's start by a batch; False at the start."""
        if self._offset == 0:
            return False
        n = min(BATCH, self._offset)
        self.beginInsertRows(QModelIndex(), 0, n - 1)
        self._offset -= n
        self._loaded += n
        self.endInsertRows()
        return True

    def view_row(self, row: int) -> int:
        """The model row (what views see) of strip row `row`; -1 outside the window."""
        return row - self._offset if self._offset <= row < self._offset + self._loaded else -1

    def strip_row(self, view_row: int) -> int:
        return view_row + self._offset

    @property
    def offset(self) -> int:
        return self._offset

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._loaded:
            return None
        row = index.row() + self._offset
        shot = self._shot_for_view(row)
        if shot is None:
            return None
        if role == Qt.DisplayRole:
            return shot.code
        if role == SHOT_ROLE:
            return shot
        if role == TAKE_ROLE:
            return self.shown_take(row)
        if role == STATUS_ROLE:
            take = self.shown_take(row)
            return self.status_of(take) if take else "pending_review"
        if role == Qt.ToolTipRole:
            take = self.shown_take(row)
            label = f"take_{take.number:03d} ({self.status_of(take)})" if take else "no takes"
            return f"{shot.code}  {label}  {len(shot.takes)} take(s)"
        return None

    # -- rows ---------------------------------------------------------------------------
    def set_shots(self, shots: list[StripShot]) -> None:
        """Show a strip held in memory."""
        by_id = {s.id: s for s in shots}
        self.set_source([s.id for s in shots], lambda ids: [by_id[i] for i in ids if i in by_id],
                        take_shot=lambda take_id: next((s.id for s in shots if any(t.id == take_id for t in s.takes)), None),
                        code_shot=lambda code: next((s.id for s in shots if s.code == code), None))

    def set_source(self, shot_ids: Sequence[int], fetch: Fetch, *, take_shot: Locate, code_shot: Locate,
                   episodes: Sequence[int] = (), positions: Sequence[int] = (),
                   read_later: FetchLater | None = None) -> None:
        """Show the shots `shot_ids` in this order, their rows read by `fetch` when needed
        (by `read_later` off the GUI thread for the rows views paint).
        With `episodes` and `positions` (the strip's sort keys, engine StripSequence) a shot
        is found by bisection from the place `take_shot`/`code_shot` give."""
        self.beginResetModel()
        self._ids = array("q", shot_ids)
        self._episodes, self._positions = array("q", episodes), array("q", positions)
        self._fetch, self._take_shot, self._code_shot = fetch, take_shot, code_shot
        self._fetch_later = read_later
        self._asked.clear()
        self._generation += 1
        self._pages.clear()
        self._take_rows.clear()
        self._loaded = min(len(self._ids), BATCH)
        self._offset = 0
        self._choice = {}
        self.endResetModel()

    def total_rows(self) -> int:
        return len(self._ids)

    def ensure_row(self, row: int) -> None:
        """Make strip row `row` visible to views: the window grows to it when it is a batch
        away at most, else moves there."""
        if not 0 <= row < len(self._ids) or self.view_row(row) >= 0:
            return
        end = self._offset + self._loaded
        if end <= row < end + BATCH:
            self._hand_over(row + BATCH)
        elif self._offset - BATCH <= row < self._offset:
            while self.view_row(row) < 0 and self.extend_back():
                pass
        else:
            self.beginResetModel()
            self._offset = max(0, min(row - WINDOW // 2, len(self._ids) - WINDOW))
            self._loaded = min(len(self._ids) - self._offset, WINDOW)
            self.endResetModel()

    def _page(self, number: int) -> list[StripShot | None]:
        page = self._pages.get(number)
        if page is None:
            ids = self._page_ids(number)
            page = self._keep(number, ids, self._fetch(ids))
        else:
            self._pages.move_to_end(number)
        return page

    def _page_ids(self, number: int) -> list[int]:
        return self._ids[number * PAGE:(number + 1) * PAGE].tolist()

    def _keep(self, number: int, ids: list[int], shots: list[StripShot]) -> list[StripShot | None]:
        found = {s.id: s for s in shots}
        page = self._pages[number] = [found.get(i) for i in ids]
        self._index(number, page, add=True)
        while len(self._pages) > PAGES_KEPT:
            self._index(*self._pages.popitem(last=False), add=False)
        return page

    def _shot_for_view(self, row: int) -> StripShot | None:
        """The shot of `row` if its page is kept; else None, and the page is asked for."""
        if self._fetch_later is None:
            return self.shot(row)
        if not 0 <= row < len(self._ids):
            return None
        page = self._pages.get(row // PAGE)
        if page is None:
            self._ask(row // PAGE)
            return None
        return page[row % PAGE]

    def read_ahead(self, row: int) -> None:
        """Ask for the pages before, at and after `row` off the GUI thread."""
        if self._fetch_later is None:
            return
        for number in (row // PAGE - 1, row // PAGE, row // PAGE + 1):
            if 0 <= number * PAGE < len(self._ids) and number not in self._pages:
                self._ask(number)

    def reading(self, view_row: int) -> bool:
        """Whether the row is still being read (views paint it as such)."""
        row = view_row + self._offset
        return self._fetch_later is not None and 0 <= row < len(self._ids) and row // PAGE not in self._pages

    def _ask(self, number: int) -> None:
        if number in self._asked:
            return
        self._asked.add(number)
        ids, generation = self._page_ids(number), self._generation
        self._fetch_later(ids, lambda shots: self._arrived(number, ids, generation, shots))

    def _arrived(self, number: int, ids: list[int], generation: int, shots: list[StripShot]) -> None:
        if generation != self._generation:
            # the strip was read again, or rows changed while this page was being read
            if self._ids[number * PAGE:(number + 1) * PAGE].tolist() == ids:
                self._asked.discard(number)
                if number not in self._pages:
                    self._ask(number)
            return
        self._asked.discard(number)
        if number in self._pages:
            return
        self._keep(number, ids, shots)
        first = max(number * PAGE, self._offset) - self._offset
        last = min(number * PAGE + len(ids), self._offset + self._loaded) - 1 - self._offset
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0))

    def _index(self, number: int, page: list[StripShot | None], *, add: bool) -> None:
        for i, shot in enumerate(page):
            for t in shot.takes if shot is not None else ():
                if add:
                    self._take_rows[t.id] = number * PAGE + i
                else:
                    self._take_rows.pop(t.id, None)

    def shot(self, row: int) -> StripShot | None:
        if not 0 <= row < len(self._ids):
            return None
        return self._page(row // PAGE)[row % PAGE]

    def _row_of(self, found) -> int | None:
        """The row of the shot `found` names: a place (episode id, position, shot id) found by
        bisection over the sort keys, or a shot id looked for in a strip held in memory."""
        if found is None:
            return None
        if isinstance(found, int) or len(self._episodes) != len(self._ids):
            shot_id = found if isinstance(found, int) else found[2]
            try:
                return self._ids.index(shot_id)
            except ValueError:
                return None
        ids, episodes, positions = self._ids, self._episodes, self._positions
        row = bisect_left(range(len(ids)), tuple(found), key=lambda r: (episodes[r], positions[r], ids[r]))
        return row if row < len(ids) and ids[row] == found[2] else None

    def _kept_row_of_take(self, take_id: int) -> int | None:
        """The row of a take among the rows read so far (None when not read)."""
        return self._take_rows.get(take_id)

    def row_of_take(self, take_id: int) -> int | None:
        found = self._kept_row_of_take(take_id)
        return found if found is not None else self._row_of(self._take_shot(take_id))

    def row_of_shot(self, code: str) -> int | None:
        return self._row_of(self._code_shot(code))

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
        row = self._kept_row_of_take(take_id)  # rows not read yet will show it when read
        if row is not None:
            self._pin(row)
            self._changed(row)

    def update_takes(self, fresh: dict[int, StripTake]) -> list[int]:
        """Replace takes with fresh entries from the store; returns the rows that changed.
        Rows not read yet are left alone: they are read fresh when shown."""
        rows: dict[int, dict[int, StripTake]] = {}
        for take_id, take in fresh.items():
            row = self._kept_row_of_take(take_id)
            if row is not None:
                rows.setdefault(row, {})[take_id] = take
        if fresh:
            self._generation += 1  # a page being read may predate these
        for row, takes in rows.items():
            self._pin(row)
            page = self._pages[row // PAGE]
            shot = page[row % PAGE]
            page[row % PAGE] = replace(shot, takes=tuple(takes.get(t.id, t) for t in shot.takes))
            self._changed(row)
        return sorted(rows)

    def _pin(self, row: int) -> None:
        """Keep the shown take where it is when statuses change under it."""
        if row not in self._choice:
            index = self.take_index(row)
            if index is not None:
                self._choice[row] = index

    def _changed(self, row: int) -> None:
        if self.view_row(row) >= 0:
            index = self.index(self.view_row(row), 0)
            self.dataChanged.emit(index, index, [TAKE_ROLE, STATUS_ROLE, Qt.ToolTipRole])
