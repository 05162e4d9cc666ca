"""The registries panel: browse and search every registry, the density table with sparse
and stagnant aspects marked, and a growth chart of discoveries per day.

Every read is an op off the GUI thread (desktop.ops): the density report and the growth by
day count the whole store, so they run in an engine process (the GUI thread never waits
for the interpreter lock while they count); the entries table fetches a page at a time as
the view scrolls. A search runs a
quarter of a second after the last keystroke, and a newer search drops an older one's result.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRectF, Qt, QTimer, Signal
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

from desktop import ops, theme
from desktop.entry_pages import EntryPagesModel
from desktop.ops import Op
from engine.procedural.registries.catalog import REGISTRIES
from engine.procedural.registries.density import density, growth_by_day

SEARCH_DELAY_MS = 250
_ROOT = QModelIndex()
# Dark tints under the theme's light text, so flagged rows stay readable (contrast >= 4.5:1).
SPARSE = QColor(84, 62, 16)
STAGNANT = QColor(96, 30, 30)
FLAGGED_TEXT = QColor(theme.TEXT)
REGISTRY_COLOURS = {"pure": QColor(70, 130, 200), "blended": QColor(90, 170, 110), "semantic": QColor(200, 140, 60)}


class DensityModel(QAbstractTableModel):
    """The density table; sparse rows are tinted amber, stagnant rows red."""

    HEADERS = ("Registry", "Aspect", "Entries", "Observed", "Coverage", "Growth", "Flags")
    failed = Signal(str)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self._rows: list = []
        self.loading = False

    def reload(self, compare: str | None = None) -> None:
        """Count the density report in an engine process; the table changes when it arrives."""
        self.loading = True
        (Op(self.store, self, lambda job: job.in_process(density, compare=compare).rows, self._show)
         .failure(self._failed).latest("density").start())

    def _show(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.loading = False
        self.endResetModel()

    def _failed(self, line: str) -> None:
        self.loading = False
        self.failed.emit(line)

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

    failed = Signal(str)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setMinimumHeight(180)
        self.points = []
        self.loading = False

    def reload(self) -> None:
        """Count discoveries per day in an engine process; the chart repaints when they arrive."""
        self.loading = True
        ops.in_process(self.store, self, growth_by_day, success=self._show).failure(self._failed).latest("growth").start()

    def _show(self, points) -> None:
        self.points = points
        self.loading = False
        self.update()

    def _failed(self, line: str) -> None:
        self.loading = False
        self.failed.emit(line)

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
        self.status = QLabel()
        self.status.setObjectName("caption")
        self.entries_model = EntryPagesModel(store, "pure", "colour", self)
        self.entries_view = QTableView()
        self.entries_view.setModel(self.entries_model)
        self.entries_view.verticalHeader().hide()
        self.entries_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.density_model = DensityModel(store, self)
        self.density_view = QTableView()
        self.density_view.setModel(self.density_model)
        self.density_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart = GrowthChart(store)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._query)

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
        outer.addWidget(self.status)

        self.registry_box.currentTextChanged.connect(self._registry_changed)
        self.aspect_box.currentTextChanged.connect(lambda _t: self._query())
        self.search_box.textChanged.connect(lambda _t: self.search_timer.start())
        self.entries_model.loaded.connect(self._show_count)
        for source in (self.entries_model, self.density_model, self.chart):
            source.failed.connect(self._failed)
        self._registry_changed(self.registry_box.currentText())  # the reads start once all is built
        self.density_model.reload()
        self.chart.reload()

    def _registry_changed(self, registry: str) -> None:
        self.aspect_box.blockSignals(True)
        self.aspect_box.clear()
        self.aspect_box.addItems(list(REGISTRIES[registry]))
        self.aspect_box.blockSignals(False)
        self._query()

    def _query(self) -> None:
        self.search_timer.stop()
        registry, aspect = self.registry_box.currentText(), self.aspect_box.currentText()
        if not aspect:
            return
        self.entries_model.set_query(registry, aspect, self.search_box.text().strip())

    def _show_count(self) -> None:
        self.count_label.setText(self.entries_model.total_text("entries"))

    def _failed(self, line: str) -> None:
        self.status.setText(f"Could not read the registries: {line}")

    def show_aspect(self, registry: str, aspect: str, search: str = "") -> None:
        """Browse one aspect (with a search) now, without waiting for the typing delay."""
        for box, text in ((self.registry_box, registry), (self.aspect_box, aspect)):
            box.blockSignals(True)
            if box is self.aspect_box:
                box.clear()
                box.addItems(list(REGISTRIES[registry]))
            box.setCurrentText(text)
            box.blockSignals(False)
        self.search_box.blockSignals(True)
        self.search_box.setText(search)
        self.search_box.blockSignals(False)
        self._query()

    def refresh(self) -> None:
        self._query()
        self.density_model.reload()
        self.chart.reload()

    def is_ready(self) -> bool:
        """Nothing this panel shows is still being read."""
        return (self.entries_model.is_ready() and not self.search_timer.isActive()
                and not self.density_model.loading and not self.chart.loading)
