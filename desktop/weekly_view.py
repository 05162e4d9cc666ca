"""The supervisor's weekly view (Friday afternoon): per target, model and system-prompt version,
what was reviewed this week, two versions compared with an interval on the difference of their
rejection rates, the rejection rate week by week, and a click-through from a line to its
rejected takes with the exact prompts that were sent.

Every figure comes from engine.reports; the queries run in a QThreadPool worker that opens its
own session through the Store, and results come back through signals made on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPointF,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.note_views import picture_notes
from desktop.relay import Relay
from desktop.take_picture import TakePicture
from engine.reports.export import SERIES_COLOURS, export_report, percent, trend_series
from engine.reports.intervals import RateDifference
from engine.reports.rejected import RejectedPage, RejectedTake, rejected_takes
from engine.reports.weekly import (
    GroupKey,
    GroupStats,
    ReportCancelled,
    WeeklyReport,
    compare_groups,
    weekly_report,
)
from engine.reports.weeks import IsoWeek, default_week, parse_week
from engine.store.db import Store
from engine.store.takes import takes_by_ids

_ROOT = QModelIndex()
WEEKS_LISTED = 52
VERDICT_COLOURS = {"B rejects less": "#3fb950", "B rejects more": "#f85149"}
INCONCLUSIVE = "#d29922"
MUTED = "#8b929e"
GRID = "#2f333b"


def _mono() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
    font.setStyleHint(QFont.Monospace)
    return font


# -- background work -----------------------------------------------------------------------


class _Job(QRunnable):
    def __init__(self, token: int, work: Callable[[], object], relay: Relay):
        super().__init__()
        self.token, self.work, self.relay = token, work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except ReportCancelled:
            return
        except Exception as exc:  # shown in the view; the desk keeps working
            self.relay.post(self.token, None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        self.relay.post(self.token, result, None)


# -- item models ---------------------------------------------------------------------------


class WeeklyGroupsModel(QAbstractTableModel):
    """One row per target, model and system-prompt version of the week."""

    FIXED = ("Target", "Model", "Version", "Generated", "Failed", "Reviewed", "Approved", "Rejected", "Rejection rate")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report: WeeklyReport | None = None

    def set_report(self, report: WeeklyReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def group_at(self, row: int) -> GroupStats | None:
        if self.report is None or not 0 <= row < len(self.report.groups):
            return None
        return self.report.groups[row]

    def row_of(self, key: GroupKey) -> int:
        groups = self.report.groups if self.report else ()
        return next((i for i, g in enumerate(groups) if g.key == key), -1)

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.groups)

    def columnCount(self, parent=_ROOT) -> int:
        if parent.isValid():
            return 0
        return len(self.FIXED) + (len(self.report.tags) if self.report else 0)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation != Qt.Horizontal or role != Qt.DisplayRole:
            return None
        if section < len(self.FIXED):
            return self.FIXED[section]
        if self.report and section - len(self.FIXED) < len(self.report.tag_labels):
            return self.report.tag_labels[section - len(self.FIXED)]
        return None

    def data(self, index, role=Qt.DisplayRole):
        g = self.group_at(index.row()) if index.isValid() else None
        if g is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            fixed = (g.key.target or "-", g.key.model, g.key.version or "-", g.generated, g.failed,
                     g.reviewed, g.approved, g.rejected, percent(g.rejection_rate))
            if col < len(fixed):
                return str(fixed[col])
            tag = col - len(fixed)
            return str(g.tags[tag].count) if tag < len(g.tags) else None
        if role == Qt.TextAlignmentRole:
            return int((Qt.AlignLeft if col < 3 else Qt.AlignRight) | Qt.AlignVCenter)
        if role == Qt.FontRole and col == 8:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ForegroundRole and col > 8 and g.tags[col - 9].count == 0:
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


# -- painted widgets -----------------------------------------------------------------------


class TrendChart(QWidget):
    """The rejection rate of each version, week by week, painted with QPainter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report: WeeklyReport | None = None
        self.highlight: GroupKey | None = None
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_report(self, report: WeeklyReport | None) -> None:
        self.report = report
        self.update()

    def set_highlight(self, key: GroupKey | None) -> None:
        self.highlight = key
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 260)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("#1f2228"))
        series = trend_series(self.report) if self.report else []
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        p.setFont(small)
        fm = p.fontMetrics()
        legend_rows = (len(series) + 1) // 2
        left, right, top = 44, 14, 12
        bottom = 26 + legend_rows * (fm.height() + 4)
        plot = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))
        if not series:
            p.setPen(QColor(MUTED))
            p.drawText(self.rect(), Qt.AlignCenter, "Nothing reviewed in these weeks")
            return
        rates = [r for _, values in series for r in values if r is not None]
        ceiling = max(0.1, min(1.0, (int(max(rates, default=0) * 10) + 1) / 10))
        weeks = self.report.trend_weeks
        n = len(weeks)

        def x(i: int) -> float:
            return plot.left() + (plot.width() * i / (n - 1) if n > 1 else plot.width() / 2)

        def y(rate: float) -> float:
            return plot.top() + plot.height() * (1 - rate / ceiling)

        for s in range(6):
            rate = ceiling * s / 5
            p.setPen(QPen(QColor(GRID), 1))
            p.drawLine(QPointF(plot.left(), y(rate)), QPointF(plot.right(), y(rate)))
            p.setPen(QColor(MUTED))
            p.drawText(QRectF(0, y(rate) - 8, left - 6, 16), Qt.AlignRight | Qt.AlignVCenter, f"{rate * 100:.0f}%")
        for i, week in enumerate(weeks):
            p.drawText(QRectF(x(i) - 30, plot.bottom() + 4, 60, 16), Qt.AlignCenter, week[5:])
        for index, (key, values) in enumerate(series):
            colour = QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])
            faded = self.highlight is not None and key != self.highlight
            if faded:
                colour.setAlpha(120)
            width = 3.0 if key == self.highlight else 2.0
            path = QPainterPath()
            drawing = False
            for i, rate in enumerate(values):
                if rate is None:
                    drawing = False
                    continue
                point = QPointF(x(i), y(rate))
                if drawing:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    drawing = True
            p.setPen(QPen(colour, width))
            p.setBrush(Qt.NoBrush)
            p.drawPath(path)
            p.setBrush(colour)
            p.setPen(Qt.NoPen)
            for i, rate in enumerate(values):
                if rate is not None:
                    p.drawEllipse(QPointF(x(i), y(rate)), 3.2, 3.2)
            col, row = index % 2, index // 2
            lx = left + col * (plot.width() / 2)
            ly = plot.bottom() + 24 + row * (fm.height() + 4)
            p.drawRoundedRect(QRectF(lx, ly + 2, 10, 10), 2, 2)
            p.setPen(QColor("#d7dae0") if not faded else QColor(MUTED))
            p.drawText(QPointF(lx + 16, ly + fm.ascent()), fm.elidedText(key.label, Qt.ElideRight, int(plot.width() / 2) - 24))
        p.end()


class IntervalBar(QWidget):
    """B's rate minus A's as a point on an axis around 0, with its 95 % interval."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.result: RateDifference | None = None
        self.setMinimumHeight(44)

    def set_result(self, result: RateDifference | None) -> None:
        self.result = result
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        r = self.result
        if r is None or r.difference is None:
            return
        span = max(0.1, abs(r.low), abs(r.high)) * 1.15
        left, right = 12.0, self.width() - 12.0
        mid_y = 16.0

        def x(v: float) -> float:
            return left + (v + span) / (2 * span) * (right - left)

        colour = QColor(VERDICT_COLOURS.get(r.verdict, INCONCLUSIVE))
        p.setPen(QPen(QColor(GRID), 1))
        p.drawLine(QPointF(left, mid_y), QPointF(right, mid_y))
        p.setPen(QPen(QColor(MUTED), 1, Qt.DashLine))
        p.drawLine(QPointF(x(0), 4), QPointF(x(0), mid_y + 12))
        p.setPen(QPen(colour, 4, Qt.SolidLine, Qt.RoundCap))
        p.drawLine(QPointF(x(r.low), mid_y), QPointF(x(r.high), mid_y))
        p.setBrush(colour)
        p.setPen(QPen(QColor("#16181c"), 2))
        p.drawEllipse(QPointF(x(r.difference), mid_y), 6, 6)
        p.setPen(QColor(MUTED))
        p.drawText(QRectF(left, mid_y + 10, right - left, 16), Qt.AlignLeft, f"{r.low * 100:+.1f} pts")
        p.drawText(QRectF(left, mid_y + 10, right - left, 16), Qt.AlignRight, f"{r.high * 100:+.1f} pts")
        p.drawText(QRectF(x(0) - 40, mid_y + 10, 80, 16), Qt.AlignCenter, "0")
        p.end()


# -- the view ------------------------------------------------------------------------------


def _caption(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("caption")
    label.setWordWrap(True)
    return label


def _panel() -> QFrame:
    frame = QFrame()
    frame.setObjectName("panel")
    frame.setStyleSheet("QLabel { background: transparent; }")
    return frame


class WeeklyView(QWidget):
    """Per target, model and system-prompt version: what was reviewed in one ISO week."""

    report_loaded = Signal(str)  # the week
    rejected_loaded = Signal(int)  # rows now listed
    exported = Signal(str)  # the file written
    load_failed = Signal(str)

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.report: WeeklyReport | None = None
        with store.read() as s:  # open on the latest week with reviews, and say so
            self.week, self.opened_on = default_week(s)
        self._token = 0
        self._report_job = 0
        self._rejected_key: GroupKey | None = None
        self._next_after: int | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = Relay(self._on_done, self)  # made here, on the GUI thread
        self._handlers: dict[int, Callable[[object], None]] = {}
        self._build()
        self.set_week(self.week)

    # layout
    def _build(self) -> None:
        title = QLabel("Weekly prompt review")
        title.setObjectName("title")
        self.prev_button = QPushButton("\u25c0")
        self.next_button = QPushButton("\u25b6")
        for b, tip in ((self.prev_button, "previous week"), (self.next_button, "next week")):
            b.setToolTip(tip)
            b.setFixedWidth(32)
        self.week_box = QComboBox()
        self.week_box.setMinimumWidth(250)
        self.refresh_button = QPushButton("Refresh")
        self.html_button = QPushButton("Export HTML\u2026")
        self.csv_button = QPushButton("Export CSV\u2026")
        self.status = _caption()
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.prev_button)
        top.addWidget(self.week_box)
        top.addWidget(self.next_button)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.html_button)
        top.addWidget(self.csv_button)
        self.basis = _caption()

        self.groups = WeeklyGroupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.groups)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._on_group(cur.row()))

        compare = _panel()
        grid = QGridLayout(compare)
        grid.setContentsMargins(12, 10, 12, 10)
        heading = QLabel("<b>Version against version</b>")
        self.a_box, self.b_box = QComboBox(), QComboBox()
        self.a_counts, self.b_counts = _caption(), _caption()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.interval = IntervalBar()
        grid.addWidget(heading, 0, 0, 1, 3)
        grid.addWidget(QLabel("A"), 1, 0)
        grid.addWidget(self.a_box, 1, 1)
        grid.addWidget(self.a_counts, 1, 2)
        grid.addWidget(QLabel("B"), 2, 0)
        grid.addWidget(self.b_box, 2, 1)
        grid.addWidget(self.b_counts, 2, 2)
        grid.addWidget(self.interval, 3, 0, 1, 3)
        grid.addWidget(self.verdict, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.a_box.currentIndexChanged.connect(self._compare)
        self.b_box.currentIndexChanged.connect(self._compare)

        trend = _panel()
        tl = QVBoxLayout(trend)
        tl.setContentsMargins(12, 10, 12, 10)
        self.trend_title = QLabel("<b>Rejection rate, week by week</b>")
        self.chart = TrendChart()
        tl.addWidget(self.trend_title)
        tl.addWidget(self.chart, 1)

        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(compare)
        sl.addWidget(trend, 1)

        upper = QSplitter(Qt.Horizontal)
        upper.addWidget(self.table)
        upper.addWidget(side)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        upper.setSizes([880, 520])

        self.rejected = RejectedTakesModel(self)
        self.rejected_view = QTableView()
        self.rejected_view.setModel(self.rejected)
        self.rejected_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.rejected_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.rejected_view.setAlternatingRowColors(True)
        self.rejected_view.verticalHeader().hide()
        self.rejected_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.rejected_view.horizontalHeader().setStretchLastSection(True)
        self.rejected_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.rejected_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show_prompt(cur.row()))
        self.rejected_title = QLabel("<b>Rejected takes</b>")
        self.more_button = QPushButton("Load more")
        self.more_button.hide()
        self.more_button.clicked.connect(self._load_more)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.rejected_title, 1)
        head.addWidget(self.more_button)
        ll.addLayout(head)
        ll.addWidget(self.rejected_view, 1)

        self.prompt = QPlainTextEdit()
        self.prompt.setReadOnly(True)
        self.prompt.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.prompt.setFont(_mono())
        self.prompt.setPlaceholderText("Pick a line above, then a rejected take, to read the exact prompt it was sent.")
        self.copy_button = QPushButton("Copy prompt")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_prompt)
        self.prompt_title = QLabel("<b>Prompt as sent</b>")
        self.picture = TakePicture(192)  # the rejected take, to see what the tags are about
        self.picture.setText("the rejected take's picture")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        ph = QHBoxLayout()
        ph.addWidget(self.prompt_title, 1)
        ph.addWidget(self.copy_button)
        rl.addLayout(ph)
        pr = QHBoxLayout()
        pr.addWidget(self.picture, 0, Qt.AlignTop)
        pr.addWidget(self.prompt, 1)
        rl.addLayout(pr, 1)

        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(left)
        lower.addWidget(right)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        lower.setSizes([660, 740])

        body = QSplitter(Qt.Vertical)
        body.addWidget(upper)
        body.addWidget(lower)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([470, 330])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.basis)
        layout.addWidget(body, 1)

        self.prev_button.clicked.connect(lambda: self.set_week(self.week.shifted(-1)))
        self.next_button.clicked.connect(lambda: self.set_week(self.week.shifted(1)))
        self.refresh_button.clicked.connect(lambda: self.set_week(self.week))
        self.week_box.activated.connect(lambda i: self.set_week(self.week_box.itemData(i)))
        self.html_button.clicked.connect(lambda: self._ask_export("html"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))

        from desktop.weekly_supervisor import WeeklySupervisor  # it builds on this module

        self.supervisor = WeeklySupervisor(self, upper, compare, body, lower)

    # jobs
    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> int:
        self._token += 1
        self._handlers[self._token] = done
        self._pool.start(_Job(self._token, work, self._relay))
        return self._token

    def _on_done(self, token: int, result: object, error: str | None) -> None:
        if error is not None:
            self._on_failed(token, error)
        else:
            self._on_finished(token, result)

    def _on_finished(self, token: int, result: object) -> None:
        handler = self._handlers.pop(token, None)
        if handler is not None:
            handler(result)

    def _on_failed(self, token: int, message: str) -> None:
        if self._handlers.pop(token, None) is not None:
            self.status.setText(f"Could not read the store: {message}")
            self.load_failed.emit(message)

    def wait_idle(self, msecs: int = 10000) -> bool:
        return self._pool.waitForDone(msecs)

    # week
    def _fill_weeks(self) -> None:
        newest = max(IsoWeek.current(), self.week)
        self.week_box.blockSignals(True)
        self.week_box.clear()
        for i in range(WEEKS_LISTED):
            week = newest.shifted(-i)
            self.week_box.addItem(f"{week}   {week.span()}", str(week))
        if self.week < newest.shifted(-(WEEKS_LISTED - 1)):
            self.week_box.addItem(f"{self.week}   {self.week.span()}", str(self.week))
        self.week_box.setCurrentIndex(self.week_box.findData(str(self.week)))
        self.week_box.blockSignals(False)

    def set_week(self, week: IsoWeek | str) -> None:
        """Show `week` ('2026-W47' or an IsoWeek); the report loads in the background."""
        new = week if isinstance(week, IsoWeek) else parse_week(week)
        if new != self.week:
            self.opened_on = ""  # the reviewer chose a week: no longer the one it opened on
        self.week = new
        self._fill_weeks()
        self.status.setText(f"Reading {self.week}\u2026")
        current = self._token + 1
        store, target = self.store, self.week

        def work():
            return weekly_report(store, target, cancel=lambda: self._report_job != current)

        self._handlers = {}  # answers for an earlier week are no longer wanted
        self._report_job = self._run(work, self._show_report)

    def _show_report(self, report: WeeklyReport) -> None:
        self.report = report
        self.groups.set_report(report)
        self.basis.setText(report.basis)
        reviewed = sum(g.reviewed for g in report.groups)
        rejected = sum(g.rejected for g in report.groups)
        said = f"{self.opened_on}  ·  " if self.opened_on else ""
        self.status.setText(said + (
            f"{reviewed} takes reviewed, {rejected} rejected" if report.groups else "Nothing generated or reviewed this week"
        ))
        self.trend_title.setText(
            f"<b>Rejection rate, week by week</b> <span style='color:{MUTED}'>"
            f"{report.trend_weeks[0]} to {report.trend_weeks[-1]}</span>"
        )
        self.chart.set_report(report)
        self.chart.set_highlight(None)
        self._fill_comparison(report)
        self.rejected.clear()
        self._rejected_key = None
        self.more_button.hide()
        self.rejected_title.setText("<b>Rejected takes</b>")
        self.prompt.clear()
        self.copy_button.setEnabled(False)
        self.html_button.setEnabled(True)
        self.csv_button.setEnabled(True)
        self.report_loaded.emit(report.week)

    # comparison
    def _fill_comparison(self, report: WeeklyReport) -> None:
        reviewed = [g for g in report.groups if g.reviewed]
        for box in (self.a_box, self.b_box):
            box.blockSignals(True)
            box.clear()
            for g in reviewed:
                box.addItem(g.key.label, g.key)
        labels = [g.key.label for g in reviewed]
        if report.comparisons:
            first = report.comparisons[0]
            a, b = labels.index(first.a_label), labels.index(first.b_label)
        else:
            a, b = 0, min(1, len(labels) - 1)
        self.a_box.setCurrentIndex(a if labels else -1)
        self.b_box.setCurrentIndex(b if labels else -1)
        for box in (self.a_box, self.b_box):
            box.blockSignals(False)
        self._compare()

    def compare(self, a: GroupKey, b: GroupKey) -> RateDifference | None:
        """Put `a` and `b` side by side in the comparison panel."""
        for box, key in ((self.a_box, a), (self.b_box, b)):
            found = [i for i in range(box.count()) if box.itemData(i) == key]
            box.blockSignals(True)
            box.setCurrentIndex(found[0] if found else -1)
            box.blockSignals(False)
        return self._compare()

    def _compare(self) -> RateDifference | None:
        a = self.report.group(self.a_box.currentData()) if self.report and self.a_box.currentData() else None
        b = self.report.group(self.b_box.currentData()) if self.report and self.b_box.currentData() else None
        if a is None or b is None or a.key == b.key:
            self.a_counts.setText(self._counts(a))
            self.b_counts.setText(self._counts(b))
            self.interval.set_result(None)
            self.verdict.setText(
                f"<span style='color:{MUTED}'>Pick two different versions to compare.</span>"
                if self.report and self.report.groups else ""
            )
            return None
        result = compare_groups(a, b)
        self.a_counts.setText(self._counts(a))
        self.b_counts.setText(self._counts(b))
        self.interval.set_result(result)
        colour = VERDICT_COLOURS.get(result.verdict, INCONCLUSIVE)
        headline = {"B rejects less": "B is rejected less often", "B rejects more": "B is rejected more often"}.get(
            result.verdict, result.verdict.capitalize()
        )
        detail = result.sentence.split("(", 1)[1].rstrip(")") if "(" in result.sentence else result.sentence
        self.verdict.setText(
            f"<span style='color:{colour}; font-size:13pt; font-weight:700'>{headline}</span><br>"
            f"<span style='color:{MUTED}'>B \u2212 A: {detail}</span>"
        )
        return result

    @staticmethod
    def _counts(g: GroupStats | None) -> str:
        if g is None:
            return ""
        return f"{g.rejected} of {g.reviewed} rejected  <b>{percent(g.rejection_rate)}</b>"

    # click-through
    def select_group(self, key: GroupKey) -> None:
        row = self.groups.row_of(key)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.groups.index(row, 0))

    def _on_group(self, row: int) -> None:
        g = self.groups.group_at(row)
        if g is None:
            return
        self.chart.set_highlight(g.key)
        self._rejected_key = g.key
        self._next_after = None
        self.rejected.clear()
        self.prompt.clear()
        self.copy_button.setEnabled(False)
        self.rejected_title.setText(f"<b>Rejected takes</b> <span style='color:{MUTED}'>{g.key.label}</span>")
        self._fetch_rejected()

    def _fetch_rejected(self) -> None:
        store, week, key, after = self.store, self.week, self._rejected_key, self._next_after
        if key is None or self.report is None:
            return
        known = self.report.group(key)
        total = known.rejected if known is not None else None

        def done(page: RejectedPage) -> None:
            if page.key != self._rejected_key or page.week != str(self.week):
                return
            self.rejected.add_page(page)
            header = self.rejected_view.horizontalHeader()
            for column in range(self.rejected.columnCount() - 1):
                header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
            self._next_after = page.next_after
            self.more_button.setVisible(page.next_after is not None)
            self.rejected_title.setText(
                f"<b>Rejected takes</b> <span style='color:{MUTED}'>{key.label}: "
                f"{len(self.rejected.takes)} of {page.total}</span>"
            )
            if self.rejected.takes and not self.rejected_view.currentIndex().isValid():
                self.rejected_view.selectRow(0)
                self.rejected_view.setCurrentIndex(self.rejected.index(0, 0))
            self.rejected_loaded.emit(len(self.rejected.takes))

        self._run(lambda: rejected_takes(store, week, key, after=after, total=total), done)

    def _load_more(self) -> None:
        if self._next_after is not None:
            self._fetch_rejected()

    def _show_prompt(self, row: int) -> None:
        if not 0 <= row < len(self.rejected.takes):
            return
        t = self.rejected.takes[row]
        lines = [
            f"# {t.ref}   seed {t.seed if t.seed is not None else '-'}   {t.target or '-'} "
            f"{t.system_prompt_version or '-'} on {t.model}",
            f"# rejected by {t.reviewer} {t.rejected_at:%a %d %b %Y %H:%M} UTC: {', '.join(t.tags) or 'no tag'}",
        ]
        if t.conflicts_with:
            lines.append(f"# conflicts with {t.conflicts_with}")
        if t.note:
            lines.append(f"# note: {t.note}")
        lines += ["", t.prompt or "(no prompt recorded)"]
        self.prompt.setPlainText("\n".join(lines))
        self.copy_button.setEnabled(bool(t.prompt))
        with self.store.read() as s:
            [record] = takes_by_ids(s, [t.take_id])
        self.picture.show_take(self.store.media_dir, self.store.resolve_media(record.output_path))
        picture_notes(self.picture, self.store, t.take_id, fresh=True)

    def copy_prompt(self) -> None:
        row = self.rejected_view.currentIndex().row()
        if 0 <= row < len(self.rejected.takes) and self.rejected.takes[row].prompt:
            QGuiApplication.clipboard().setText(self.rejected.takes[row].prompt)
            self.status.setText(f"Copied the prompt of {self.rejected.takes[row].ref}")

    # export
    def _ask_export(self, kind: str) -> None:
        if self.report is None:
            return
        suffix = {"html": "HTML page (*.html)", "csv": "CSV table (*.csv)"}[kind]
        path, _ = QFileDialog.getSaveFileName(self, f"Export the weekly review as {kind.upper()}",
                                              f"weekly-review-{self.report.week}.{kind}", suffix)
        if path:
            self.export_to(path, kind)

    def export_to(self, path: str | Path, kind: str) -> None:
        """Write the shown week to `path` (html or csv) in the background; `exported` follows."""
        if self.report is None:
            return
        store, report = self.store, self.report
        self.status.setText(f"Writing {Path(path).name}\u2026")

        def done(written: Path) -> None:
            self.status.setText(f"Wrote {written}")
            self.exported.emit(str(written))

        self._run(lambda: export_report(store, report, path, kind), done)

    def closeEvent(self, event) -> None:
        self._report_job = -1  # stops a report that is still running
        self._pool.waitForDone(5000)
        super().closeEvent(event)
