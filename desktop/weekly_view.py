"""The supervisor's weekly view (Friday afternoon): per target, model and system-prompt version,
what was reviewed this week, two versions compared with an interval on the difference of their
rejection rates, the rejection rate week by week, and a click-through from a line to its
rejected takes with the exact prompts that were sent.

Every figure comes from engine.takes.reports, read by ops off the GUI thread; the table's columns
are the report's. The parts live beside this module: weekly_models (the tables' models),
weekly_charts (the painted figures and what a verdict says), weekly_compare (version against
version), weekly_drilldown (the rejected takes and their prompts), weekly_supervisor (the
per-tag chart and the Replay tab).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.weekly_charts import MUTED, TrendChart
from desktop.weekly_compare import ComparePanel, caption, panel_frame
from desktop.weekly_drilldown import WeeklyDrilldown
from desktop.weekly_models import WeeklyGroupsModel
from engine.store.db import Store
from engine.takes.reports.export import export_report
from engine.takes.reports.intervals import RateDifference
from engine.takes.reports.weekly import GroupKey, WeeklyReport, weekly_report
from engine.takes.reports.weeks import IsoWeek, default_week, parse_week

WEEKS_LISTED = 52


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
        self.week, self.opened_on = IsoWeek.current(), ""
        self._report_job: ops.Job | None = None
        self._build()
        self._open_on_latest()

    # layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(self._build_top())
        self.basis = caption()
        layout.addWidget(self.basis)
        upper = self._build_upper()
        self.drilldown = WeeklyDrilldown(self.store)
        self.drilldown.rejected_loaded.connect(self.rejected_loaded.emit)
        self.drilldown.message.connect(self.status.setText)
        self.drilldown.failed.connect(self._on_failed)
        self.rejected, self.rejected_view = self.drilldown.rejected, self.drilldown.rejected_view
        self.prompt, self.picture = self.drilldown.prompt, self.drilldown.picture
        body = QSplitter(Qt.Vertical)
        body.addWidget(upper)
        body.addWidget(self.drilldown)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([470, 330])
        layout.addWidget(body, 1)

        from desktop.weekly_supervisor import WeeklySupervisor  # it builds on this module

        self.supervisor = WeeklySupervisor(self, upper, self.comparison.frame, body, self.drilldown)

    def _build_top(self) -> QHBoxLayout:
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
        self.status = caption()
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        for w in (self.prev_button, self.week_box, self.next_button, self.refresh_button):
            top.addWidget(w)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.html_button)
        top.addWidget(self.csv_button)
        self.prev_button.clicked.connect(lambda: self.set_week(self.week.shifted(-1)))
        self.next_button.clicked.connect(lambda: self.set_week(self.week.shifted(1)))
        self.refresh_button.clicked.connect(lambda: self.set_week(self.week))
        self.week_box.activated.connect(lambda i: self.set_week(self.week_box.itemData(i)))
        self.html_button.clicked.connect(lambda: self._ask_export("html"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        return top

    def _build_upper(self) -> QSplitter:
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

        self.comparison = ComparePanel(panel_frame())
        c = self.comparison
        self.a_box, self.b_box, self.a_counts, self.b_counts = c.a_box, c.b_box, c.a_counts, c.b_counts
        self.verdict, self.interval = c.verdict, c.interval

        trend = panel_frame()
        tl = QVBoxLayout(trend)
        tl.setContentsMargins(12, 10, 12, 10)
        self.trend_title = QLabel("<b>Rejection rate, week by week</b>")
        self.chart = TrendChart()
        tl.addWidget(self.trend_title)
        tl.addWidget(self.chart, 1)

        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(c.frame)
        sl.addWidget(trend, 1)

        upper = QSplitter(Qt.Horizontal)
        upper.addWidget(self.table)
        upper.addWidget(side)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        upper.setSizes([880, 520])
        return upper

    # store
    def _on_failed(self, message: str) -> None:
        self.status.setText(f"Could not read the store: {message}")
        self.load_failed.emit(message)

    def wait_idle(self, msecs: int = 10000) -> bool:
        return ops.wait_idle(msecs)

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

    def _open_on_latest(self) -> None:
        """Open on the latest week with reviews, and say so."""
        def work(job):
            week, said = default_week(job.session())
            return week, said, weekly_report(job.store, week, cancel=job.is_cancelled)

        def opened(found) -> None:
            self.week, self.opened_on, report = found
            self._fill_weeks()
            self._show_report(report)

        self._fill_weeks()
        self.status.setText("Reading the latest week with reviews\u2026")
        self._load(work, opened)

    def set_week(self, week: IsoWeek | str) -> None:
        """Show `week` ('2026-W47' or an IsoWeek); the report loads in the background."""
        new = week if isinstance(week, IsoWeek) else parse_week(week)
        if new != self.week:
            self.opened_on = ""  # the reviewer chose a week: no longer the one it opened on
        self.week = new
        self._fill_weeks()
        self.status.setText(f"Reading {self.week}\u2026")
        self._load(lambda job: weekly_report(job.store, new, cancel=job.is_cancelled), self._show_report)

    def _load(self, work, done) -> None:
        """Read a report; a newer one asked for stops this one (answers for an earlier week are
        no longer wanted)."""
        self._report_job = ops.Op(self.store, self, work, done).failure(self._on_failed).latest("report").start()

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
        self.comparison.set_report(report)
        self.drilldown.clear()
        self.html_button.setEnabled(True)
        self.csv_button.setEnabled(True)
        self.report_loaded.emit(report.week)

    # comparison
    def compare(self, a: GroupKey, b: GroupKey) -> RateDifference | None:
        """Put `a` and `b` side by side in the comparison panel."""
        return self.comparison.compare(a, b)

    # click-through
    def select_group(self, key: GroupKey) -> None:
        row = self.groups.row_of(key)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.groups.index(row, 0))

    def _on_group(self, row: int) -> None:
        g = self.groups.group_at(row)
        if g is None or self.report is None:
            return
        self.chart.set_highlight(g.key)
        self.drilldown.show_group(self.week, g.key, g.rejected)

    def copy_prompt(self) -> None:
        self.drilldown.copy_prompt()

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
        report = self.report
        self.status.setText(f"Writing {Path(path).name}\u2026")

        def done(written: Path) -> None:
            self.status.setText(f"Wrote {written}")
            self.exported.emit(str(written))

        ops.Op(self.store, self, lambda job: export_report(job.store, report, path, kind), done).failure(
            self._on_failed).start()

    def closeEvent(self, event) -> None:
        if self._report_job is not None:
            self._report_job.cancel()  # stops a report that is still running
        super().closeEvent(event)
