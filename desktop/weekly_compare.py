"""The Weekly view's version-against-version panel: two lines of the week, their counts, the
interval on B's rejection rate minus A's and what it means."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QLabel

from desktop.weekly_charts import MUTED, IntervalBar, verdict_look
from engine.takes.reports.export import percent
from engine.takes.reports.intervals import RateDifference
from engine.takes.reports.weekly import GroupKey, GroupStats, WeeklyReport, compare_groups


def caption(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("caption")
    label.setWordWrap(True)
    return label


def panel_frame() -> QFrame:
    frame = QFrame()
    frame.setObjectName("panel")
    frame.setStyleSheet("QLabel { background: transparent; }")
    return frame


def counts_text(g: GroupStats | None) -> str:
    if g is None:
        return ""
    return f"{g.rejected} of {g.reviewed} rejected  <b>{percent(g.rejection_rate)}</b>"


class ComparePanel:
    """Builds the panel into `frame` (a QGridLayout, so others can add rows under it)."""

    def __init__(self, frame: QFrame):
        self.frame = frame
        self.report: WeeklyReport | None = None
        grid = QGridLayout(frame)
        grid.setContentsMargins(12, 10, 12, 10)
        self.a_box, self.b_box = QComboBox(), QComboBox()
        self.a_counts, self.b_counts = caption(), caption()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.interval = IntervalBar()
        grid.addWidget(QLabel("<b>Version against version</b>"), 0, 0, 1, 3)
        grid.addWidget(QLabel("A"), 1, 0)
        grid.addWidget(self.a_box, 1, 1)
        grid.addWidget(self.a_counts, 1, 2)
        grid.addWidget(QLabel("B"), 2, 0)
        grid.addWidget(self.b_box, 2, 1)
        grid.addWidget(self.b_counts, 2, 2)
        grid.addWidget(self.interval, 3, 0, 1, 3)
        grid.addWidget(self.verdict, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.a_box.currentIndexChanged.connect(self.show_pair)
        self.b_box.currentIndexChanged.connect(self.show_pair)

    def set_report(self, report: WeeklyReport) -> None:
        """Offer the week's reviewed lines; start on the report's first comparison."""
        self.report = report
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
        self.show_pair()

    def compare(self, a: GroupKey, b: GroupKey) -> RateDifference | None:
        """Put `a` and `b` side by side."""
        for box, key in ((self.a_box, a), (self.b_box, b)):
            found = [i for i in range(box.count()) if box.itemData(i) == key]
            box.blockSignals(True)
            box.setCurrentIndex(found[0] if found else -1)
            box.blockSignals(False)
        return self.show_pair()

    def show_pair(self) -> RateDifference | None:
        report = self.report
        a = report.group(self.a_box.currentData()) if report and self.a_box.currentData() else None
        b = report.group(self.b_box.currentData()) if report and self.b_box.currentData() else None
        self.a_counts.setText(counts_text(a))
        self.b_counts.setText(counts_text(b))
        if a is None or b is None or a.key == b.key:
            self.interval.set_result(None)
            self.verdict.setText(
                f"<span style='color:{MUTED}'>Pick two different versions to compare.</span>"
                if report and report.groups else ""
            )
            return None
        result = compare_groups(a, b)
        self.interval.set_result(result)
        headline, colour = verdict_look(result.verdict)
        detail = result.interval_text or result.sentence
        self.verdict.setText(
            f"<span style='color:{colour}; font-size:13pt; font-weight:700'>{headline}</span><br>"
            f"<span style='color:{MUTED}'>B \u2212 A: {detail}</span>"
        )
        return result
