"""A table of one registry aspect's entries, read a page at a time off the GUI thread.

The first page and the count come in one query op (`.latest`, so a newer search drops an
older one's result); scrolling to the end asks for the next page from the last id shown.
What a cell shows is worked out on the read lane with the page, so painting a row only
looks up a tuple. Nothing here reads the whole aspect: a million entries cost what a
page does.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from desktop import ops
from engine.procedural.registries.catalog import EntryRecord
from engine.procedural.registries.query import EntryPage, entry_page

PAGE = 200
COUNT_UP_TO = 10_000  # a search counts its matches no further than this
_ROOT = QModelIndex()
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


class EntryPagesModel(QAbstractTableModel):
    """Entries of one aspect (optionally matching a search) in creation order."""

    HEADERS: tuple[str, ...] = ("Name", "Key", "Count", "Created")
    loaded = Signal()  # a new query's first page (and count) is shown
    failed = Signal(str)

    def __init__(self, store, registry: str, aspect: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.registry, self.aspect, self.search = registry, aspect, ""
        self._rows: list[EntryRecord] = []
        self._cells: list[tuple] = []
        self._after_id = 0
        self._more = False
        self._total: int | None = None
        self._capped = False
        self._generation = 0
        self._loading = False
        self._fetching = False

    # -- what a row shows (runs on the read lane) ---------------------------------------
    def cells(self, e: EntryRecord) -> tuple:
        return (e.name, e.key, e.count, e.created_at.strftime("%Y-%m-%d"))

    def tooltip(self, e: EntryRecord) -> str:
        depth = ", ".join(f"{k} {v}" for k, v in e.depth.items()) or "no depth"
        return f"{e.name}: {depth}"

    def _read(self, session, after_id: int, counted: bool, search: str, registry: str, aspect: str):
        page: EntryPage = entry_page(
            session, registry, aspect, search=search or None, after_id=after_id, limit=PAGE,
            counted=counted, count_up_to=COUNT_UP_TO if (counted and search) else None,
        )
        return page, [self.cells(e) for e in page.entries]

    # -- queries --------------------------------------------------------------------------
    def set_query(self, registry: str, aspect: str, search: str = "") -> None:
        """Show this aspect (and search); the rows shown stay until the new first page comes."""
        self.registry, self.aspect, self.search = registry, aspect, search
        self._generation += 1
        generation = self._generation
        self._loading = True
        args = (search, registry, aspect)
        (ops.query(self.store, self, lambda s: self._read(s, 0, True, *args),
                   lambda got: self._show_first(generation, got))
         .failure(lambda line: self._failed(generation, line))
         .latest("entries")
         .start())

    def reload(self) -> None:
        self.set_query(self.registry, self.aspect, self.search)

    def _show_first(self, generation: int, got) -> None:
        if generation != self._generation:
            return
        page, cells = got
        self.beginResetModel()
        self._rows, self._cells = list(page.entries), cells
        self._after_id, self._more = page.after_id, page.more
        self._total, self._capped = page.total, page.capped
        self._loading = self._fetching = False
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, generation: int, line: str) -> None:
        if generation == self._generation:
            self._loading = self._fetching = False
            self.failed.emit(line)

    def canFetchMore(self, parent=_ROOT) -> bool:  # noqa: N802
        return not parent.isValid() and self._more and not self._loading and not self._fetching

    def fetchMore(self, parent=_ROOT) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return  # a view may ask again while a page is on its way
        self._fetching = True
        generation, after = self._generation, self._after_id
        args = (self.search, self.registry, self.aspect)
        (ops.query(self.store, self, lambda s: self._read(s, after, False, *args),
                   lambda got: self._append(generation, got))
         .failure(lambda line: self._failed(generation, line))
         .start())

    def _append(self, generation: int, got) -> None:
        if generation != self._generation:
            return
        page, cells = got
        self._fetching = False
        self._after_id, self._more = page.after_id, page.more
        if not page.entries:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
        self._rows.extend(page.entries)
        self._cells.extend(cells)
        self.endInsertRows()

    # -- state ----------------------------------------------------------------------------
    def is_ready(self) -> bool:
        """No page or count is on its way."""
        return not self._loading and not self._fetching

    def total(self) -> int | None:
        """Matching entries (at least this many when `capped()`); None before the first page."""
        return self._total

    def capped(self) -> bool:
        return self._capped

    def total_text(self, noun: str) -> str:
        if self._total is None:
            return f"counting {noun}…"
        return f"more than {self._total:,} {noun}" if self._capped else f"{self._total:,} {noun}"

    def entry(self, row: int) -> EntryRecord:
        return self._rows[row]

    # -- the model ------------------------------------------------------------------------
    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    # Alignment, colour: the same for every row of a column, so a cell is one look-up.
    STYLE: dict = {
        (2, Qt.ItemDataRole.TextAlignmentRole): int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    }

    def data(self, index: QModelIndex, role=_DISPLAY):
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._cells):
            return None
        if role == _DISPLAY:
            return self._cells[row][index.column()]
        if role == _TOOLTIP:
            return self.tooltip(self._rows[row])
        return self.STYLE.get((index.column(), role))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None
