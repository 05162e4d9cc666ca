"""The registries panel: browse and search every registry, the density table with sparse
and stagnant aspects marked, and a growth chart of discoveries per day.

Everything shown comes from engine query functions (short sessions, frozen records); the
entries table fetches its rows a page at a time as the view scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from engine.registries.catalog import REGISTRIES
from engine.registries.density import density, growth_by_day
from engine.registries.query import entries, entry_total

PAGE = 200
_ROOT = QModelIndex()
# Dark tints under the theme's light text, so flagged rows stay readable (contrast >= 4.5:1).
SPARSE = QColor(84, 62, 16)
STAGNANT = QColor(96, 30, 30)
FLAGGED_TEXT = QColor(theme.TEXT)
REGISTRY_COLOURS = {"pure": QColor(70, 130, 200), "blended": QColor(90, 170, 110), "semantic": QColor(200, 140, 60)}


class EntriesModel(QAbstractTableModel):
    """Entries of one registry aspect, fetched lazily a page at a time."""

    HEADERS = ("Name", "Key", "Count", "Created")

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.registry, self.aspect, self.search = "pure", "colour", ""
        self._rows: list = []
        self._total = 0
        self._fetching = False
        self.reload()

    def set_query(self, registry: str, aspect: str, search: str = "") -> None:
        self.registry, self.aspect, self.search = registry, aspect, search
        self.reload()

    def reload(self) -> None:
        self._fetching = True  # views react to the reset; the first page is fetched after it
        try:
            self.beginResetModel()
            self._rows = []
            with self.store.read() as s:
                self._total = entry_total(s, self.registry, self.aspect, search=self.search or None)
            self.endResetModel()
        finally:
            self._fetching = False

    def total(self) -> int:
        return self._total

    def entry(self, row: int):
        return self._rows[row]

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent=_ROOT) -> bool:
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent=_ROOT) -> None:
        if parent.isValid() or self._fetching:
            return  # a view may ask again while rows are being inserted
        with self.store.read() as s:
            page = entries(s, self.registry, self.aspect, search=self.search or None,
                           offset=len(self._rows), limit=PAGE, with_sources=False)
        if not page:
            self._total = len(self._rows)
            return
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        e = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (e.name, e.key, e.count, e.created_at.strftime("%Y-%m-%d"))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            depth = ", ".join(f"{k} {v}" for k, v in e.depth.items()) or "no depth"
            return f"{e.name}: {depth}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class DensityModel(QAbstractTableModel):
    """The density table; sparse rows are tinted amber, stagnant rows red."""

    HEADERS = ("Registry", "Aspect", "Entries", "Observed", "Coverage", "Growth", "Flags")

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self._rows: list = []
        self.reload()

    def reload(self, compare: str | None = None) -> None:
        self.beginResetModel()
        self._rows = list(density(self.store, compare=compare).rows)
        self.endResetModel()

    def row(self, r: int):
        return self._rows[r]

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        flags = " ".join(f for f, on in (("sparse", d.sparse), ("stagnant", d.stagnant)) if on)
        if role == Qt.ItemDataRole.DisplayRole:
            coverage = "" if d.coverage_pct is None else f"{d.coverage_pct:.2f}%"
            growth = "" if d.growth is None else str(d.growth)
            return (d.registry, d.aspect, d.entries, d.observed, coverage, growth, flags)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            if d.stagnant:
                return QBrush(STAGNANT)
            if d.sparse:
                return QBrush(SPARSE)
        if role == Qt.ItemDataRole.ForegroundRole and (d.stagnant or d.sparse):
            return QBrush(FLAGGED_TEXT)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class GrowthChart(QWidget):
    """Stacked bars: entries discovered per day, coloured by registry."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setMinimumHeight(180)
        self.points = []
        self.reload()

    def reload(self) -> None:
        self.points = growth_by_day(self.store)
        self.update()

    def days(self) -> list[str]:
        return sorted({p.day for p in self.points})

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        days = self.days()
        if not days:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No discoveries yet")
            return
        per_day = {d: {} for d in days}
        for p in self.points:
            per_day[p.day][p.registry] = p.new_entries
        top = max(sum(v.values()) for v in per_day.values()) or 1
        margin, w, h = 30, self.width() - 40, self.height() - 50
        bar = min(48.0, max(2.0, w / len(days) * 0.7))
        painter.setPen(QPen(self.palette().text().color()))
        painter.drawText(4, 14, f"new entries per day (max {top})")
        for i, d in enumerate(days):
            x = margin + i * w / len(days)
            y = margin + h
            for reg in ("pure", "blended", "semantic"):
                n = per_day[d].get(reg, 0)
                height = h * n / top
                painter.fillRect(QRectF(x, y - height, bar, height), REGISTRY_COLOURS[reg])
                y -= height
            if len(days) <= 12 or i % max(1, len(days) // 8) == 0:
                painter.drawText(int(x), margin + h + 14, d[5:])
        for j, reg in enumerate(("pure", "blended", "semantic")):
            painter.fillRect(self.width() - 90, 6 + j * 14, 10, 10, REGISTRY_COLOURS[reg])
            painter.drawText(self.width() - 76, 15 + j * 14, reg)


class RegistriesPanel(QWidget):
    """Browse and search the registries; density and growth at a glance."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.registry_box = QComboBox()
        self.registry_box.addItems(list(REGISTRIES))
        self.aspect_box = QComboBox()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search names and keys")
        self.count_label = QLabel()
        self.entries_model = EntriesModel(store, self)
        self.entries_view = QTableView()
        self.entries_view.setModel(self.entries_model)
        self.entries_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.density_model = DensityModel(store, self)
        self.density_view = QTableView()
        self.density_view.setModel(self.density_model)
        self.density_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart = GrowthChart(store)

        bar = QHBoxLayout()
        for w in (QLabel("Registry"), self.registry_box, QLabel("Aspect"), self.aspect_box, self.search_box, self.count_label):
            bar.addWidget(w)
        browse = QWidget()
        lay = QVBoxLayout(browse)
        lay.addLayout(bar)
        lay.addWidget(self.entries_view)
        self.tabs = QTabWidget()
        self.tabs.addTab(browse, "Browse")
        self.tabs.addTab(self.density_view, "Density")
        self.tabs.addTab(self.chart, "Growth")
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)

        self.registry_box.currentTextChanged.connect(self._registry_changed)
        self.aspect_box.currentTextChanged.connect(lambda _t: self._query())
        self.search_box.textChanged.connect(lambda _t: self._query())
        self._registry_changed(self.registry_box.currentText())

    def _registry_changed(self, registry: str) -> None:
        self.aspect_box.blockSignals(True)
        self.aspect_box.clear()
        self.aspect_box.addItems(list(REGISTRIES[registry]))
        self.aspect_box.blockSignals(False)
        self._query()

    def _query(self) -> None:
        registry, aspect = self.registry_box.currentText(), self.aspect_box.currentText()
        if not aspect:
            return
        self.entries_model.set_query(registry, aspect, self.search_box.text().strip())
        if self.entries_model.canFetchMore():
            self.entries_model.fetchMore()
        self.count_label.setText(f"{self.entries_model.total()} entries")

    def show_aspect(self, registry: str, aspect: str, search: str = "") -> None:
        self.registry_box.setCurrentText(registry)
        self.aspect_box.setCurrentText(aspect)
        self.search_box.setText(search)
        self._query()

    def refresh(self) -> None:
        self._query()
        self.density_model.reload()
        self.chart.reload()
