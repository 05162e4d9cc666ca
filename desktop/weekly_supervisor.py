"""What the Weekly view gains for the supervisor: the per-tag chart beside the table (the
table's tag columns give way to it, so the view never scrolls sideways) and a Replay tab
opened from the version comparison. Attached by WeeklyView once its layout is built."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout

from desktop.replay_view import ReplayView
from desktop.tag_chart import TagChart
from desktop.weekly_compare import panel_frame


class WeeklySupervisor:
    def __init__(self, view, upper, compare, body, lower):
        self.view = view
        panel = panel_frame()
        pl = QVBoxLayout(panel)
        pl.setContentsMargins(12, 8, 12, 8)
        pl.addWidget(QLabel("<b>Rejection rate per tag</b><br>A and B of the comparison"))
        self.chart = TagChart(self._pair)
        pl.addWidget(self.chart)
        pl.addStretch(1)
        upper.insertWidget(1, panel)
        upper.setStretchFactor(1, 0)
        upper.setStretchFactor(2, 2)
        upper.setSizes([880, 320, 400])
        self.replay_button = QPushButton("Replay rejected takes\u2026")
        self.replay_button.setToolTip("what B's target writes now (its draft, or a version you pick) "
                                      "for this week's rejected takes of the other versions")
        compare.layout().addWidget(self.replay_button, compare.layout().rowCount(), 0, 1, 3)
        self.replay = ReplayView(view.store)
        self.tabs = QTabWidget()
        body.replaceWidget(body.indexOf(lower), self.tabs)
        self.tabs.addTab(lower, "Rejected takes")
        self.tabs.addTab(self.replay, "Replay")
        view.report_loaded.connect(lambda _week: self._refresh())
        view.a_box.currentIndexChanged.connect(lambda _i: self._refresh())
        view.b_box.currentIndexChanged.connect(lambda _i: self._refresh())
        self.replay_button.clicked.connect(self.open_replay)

    def _pair(self):
        report = self.view.report
        if report is None:
            return []
        by_label = {r.label: r for r in report.tag_rates}
        keys = [self.view.a_box.currentData(), self.view.b_box.currentData()]
        picked = [by_label.get(k.label) for k in keys if k is not None]
        return picked if any(picked) else list(report.tag_rates[:2])

    def _refresh(self) -> None:
        for column in self.view.groups.columns_of("tag"):
            self.view.table.setColumnHidden(column, True)  # the chart carries the tags
        self.chart.refresh()
        self.chart.setToolTip("\n".join(self.chart.tooltip_rows()))

    def open_replay(self) -> None:
        key = self.view.b_box.currentData() or self.view.a_box.currentData()
        self.replay.set_context(key.target if key else None, str(self.view.week))
        self.tabs.setCurrentWidget(self.replay)
