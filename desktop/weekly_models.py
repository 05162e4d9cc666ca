"""The Weekly view's item models: the week's lines (columns as the report gives them) and the
rejected takes of one line, a page at a time."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from engine.takes.reports.export import percent
from engine.takes.reports.rejected import RejectedPage, RejectedTake
from engine.takes.reports.weekly import Column, GroupKey, GroupStats, WeeklyReport

_ROOT = QModelIndex()
MUTED = "#8b929e"


def cell_text(column: Column, value) -> str:
    """A value of the week's table as the supervisor reads it."""
    if column.kind == "rate":
        return percent(value)
    if value is None:
        return "-"
    return str(value)


class WeeklyGroupsModel(QAbstractTableModel):
    """One row per target, model and system-prompt version of the week; the columns are the
    report's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report: WeeklyReport | None = None
        self.columns: tuple[Column, ...] = ()

    def set_report(self, report: WeeklyReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self.columns = report.columns if report else ()
        self.endResetModel()

    def group_at(self, row: int) -> GroupStats | None:
        if self.report is None or not 0 <= row < len(self.report.groups):
            return None
        return self.report.groups[row]

    def row_of(self, key: GroupKey) -> int:
        groups = self.report.groups if self.report else ()
        return next((i for i, g in enumerate(groups) if g.key == key), -1)

    def columns_of(self, kind: str) -> list[int]:
        """The column numbers holding figures of one kind ("tag", "rate", ...)."""
        return [i for i, c in enumerate(self.columns) if c.kind == kind]

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.groups)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation != Qt.Horizontal or role != Qt.DisplayRole or not 0 <= section < len(self.columns):
            return None
        return self.columns[section].heading

    def data(self, index, role=Qt.DisplayRole):
        g = self.group_at(index.row()) if index.isValid() else None
        if g is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return cell_text(column, self.report.row(g)[index.column()])
        if role == Qt.TextAlignmentRole:
            return int((Qt.AlignLeft if column.kind == "key" else Qt.AlignRight) | Qt.AlignVCenter)
        if role == Qt.FontRole and column.kind == "rate":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ForegroundRole and column.kind == "tag" and self.report.row(g)[index.column()] == 0:
            return QColor(MUTED)
        if role == Qt.ToolTipRole:
            return f"{g.key.label}: {g.rejected} of {g.reviewed} reviewed takes rejected"
        return None


class RejectedTakesModel(QAbstractTableModel):
    """The rejected takes of one line of the week, a page at a time."""

    HEADERS = ("Take", "Tags", "Reviewer", "Rejected", "Note")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.takes: list[RejectedTake] = []
        self.total = 0

    def clear(self) -> None:
        self.beginResetModel()
        self.takes, self.total = [], 0
        self.endResetModel()

    def add_page(self, page: RejectedPage) -> None:
        self.total = page.total
        if page.takes:
            start = len(self.takes)
            self.beginInsertRows(QModelIndex(), start, start + len(page.takes) - 1)
            self.takes.extend(page.takes)
            self.endInsertRows()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.takes)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.takes):
            return None
        t = self.takes[index.row()]
        if role == Qt.DisplayRole:
            return (t.ref, ", ".join(t.tags) or "-", t.reviewer, f"{t.rejected_at:%a %d %b %H:%M}",
                    t.note.splitlines()[0] if t.note else "")[index.column()]
        if role == Qt.ToolTipRole:
            return t.note or None
        return None
