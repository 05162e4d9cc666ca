"""The Weekly view's painted figures: the rejection rate of each version week by week, and
B's rate minus A's with its 95 % interval; and the words and colour of each verdict, the one
place the desk says what a comparison means."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.takes.reports.export import SERIES_COLOURS, trend_series
from engine.takes.reports.intervals import RateDifference, RateVerdict
from engine.takes.reports.weekly import GroupKey, WeeklyReport

MUTED = "#8b929e"
GRID = "#2f333b"
INCONCLUSIVE = "#d29922"
_VERDICTS = {
    RateVerdict.B_REJECTS_LESS: ("B is rejected less often", "#3fb950"),
    RateVerdict.B_REJECTS_MORE: ("B is rejected more often", "#f85149"),
    RateVerdict.INCONCLUSIVE: ("Inconclusive", INCONCLUSIVE),
    RateVerdict.NO_DATA: ("No data", INCONCLUSIVE),
}


def verdict_look(verdict: RateVerdict) -> tuple[str, str]:
    """(the headline a supervisor reads, its colour) for a comparison's verdict."""
    return _VERDICTS[verdict]


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

        colour = QColor(verdict_look(r.verdict)[1])
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
