"""A compact per-tag chart beside the Weekly table: for the two versions of the comparison,
each tag's rejection rate as a bar with its Wilson 95 % interval, a "!" where the interval is
too wide to read, and the cost per approved take. Painted from the report the view already
has: it never reads the store."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.takes.reports.review_export import money

COLOURS = ("#2f6fde", "#e0662b")  # A, B
MUTED = "#8b929e"
GRID = "#2f333b"
WARN = "#d29922"
ROW_GAP = 6
BAR = 9


class TagChart(QWidget):
    """Per tag, A's and B's rejection rate with their intervals."""

    def __init__(self, source=None, parent=None):
        """`source()` gives the VersionTagRates to draw (A and B); it is asked at each paint."""
        super().__init__(parent)
        self.source = source or (lambda: [])
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMinimumWidth(300)

    @property
    def rates(self) -> list:
        return [r for r in self.source() if r is not None][:2]

    def refresh(self) -> None:
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def rows(self) -> list[tuple[str, list]]:
        """(label, [TagRate of each version]) for the overall rate and each tag."""
        rates = self.rates
        if not rates:
            return []
        out = [("All rejections", [v.overall for v in rates])]
        for i, t in enumerate(rates[0].tags):
            out.append((t.label, [v.tags[i] if i < len(v.tags) else None for v in rates]))
        return out

    def _line(self) -> int:
        return self.fontMetrics().height()

    def _slot(self) -> int:
        return max(BAR + 2, self._line() - 1)

    def sizeHint(self) -> QSize:
        n = len(self.rows()) or 1
        per = self._slot() * 2 + ROW_GAP
        return QSize(360, 8 + self._line() * 2 + 4 + n * per + self._line() * 2 + 6)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("#1f2228"))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.0))
        p.setFont(small)
        fm = p.fontMetrics()
        line = fm.height()
        rates = self.rates
        rows = self.rows()
        if not rows:
            p.setPen(QColor(MUTED))
            p.drawText(self.rect(), Qt.AlignCenter, "No version reviewed this week")
            p.end()
            return
        y = 6.0
        for i, v in enumerate(rates):
            p.setPen(Qt.NoPen)
            p.setBrush(QColor(COLOURS[i]))
            p.drawRoundedRect(QRectF(8, y + 3, 10, 10), 2, 2)
            p.setPen(QColor("#d7dae0"))
            cost = ("none approved" if v.cost_per_approved is None
                    else f"{money(v.cost_per_approved)}/approved")
            text = f"{'AB'[i]}  {v.target or '-'} {v.version or '-'}: {v.reviewed} reviewed, {cost}"
            p.drawText(QPointF(24, y + fm.ascent()), fm.elidedText(text, Qt.ElideRight, self.width() - 30))
            y += line
        label_w = min(124, max(fm.horizontalAdvance(r[0]) for r in rows) + 12)
        value_w = fm.horizontalAdvance("100.0% !") + 10
        left, right = 8 + label_w, self.width() - value_w - 8
        ceiling = max(0.1, min(1.0, max((t.high or 0) for _, ts in rows for t in ts if t) * 1.05))
        top = y + 4

        def x(rate: float) -> float:
            return left + (right - left) * rate / ceiling

        slot = self._slot()
        per = slot * len(rates) + ROW_GAP
        for row, (label, tags) in enumerate(rows):
            ry = top + row * per
            p.setPen(QColor("#d7dae0") if row else QColor("#ffffff"))
            p.drawText(QRectF(8, ry, label_w - 6, per - ROW_GAP), Qt.AlignLeft | Qt.AlignVCenter,
                       fm.elidedText(label, Qt.ElideRight, label_w - 6))
            p.setPen(QPen(QColor(GRID), 1))
            p.drawLine(QPointF(left, ry + per - ROW_GAP / 2), QPointF(right, ry + per - ROW_GAP / 2))
            for i, t in enumerate(tags):
                if t is None or t.rate is None:
                    continue
                by = ry + i * slot + (slot - BAR) / 2
                colour = QColor(COLOURS[i])
                if t.too_wide:
                    colour.setAlpha(110)
                p.setPen(Qt.NoPen)
                p.setBrush(colour)
                p.drawRect(QRectF(left, by + 1, max(1.5, x(t.rate) - left), BAR - 3))
                p.setPen(QPen(QColor("#d7dae0"), 1))
                mid = by + (BAR - 2) / 2
                p.drawLine(QPointF(x(t.low), mid), QPointF(x(t.high), mid))
                p.drawLine(QPointF(x(t.low), mid - 3), QPointF(x(t.low), mid + 3))
                p.drawLine(QPointF(x(t.high), mid - 3), QPointF(x(t.high), mid + 3))
                p.setPen(QColor(WARN) if t.too_wide else QColor("#d7dae0"))
                p.drawText(QRectF(right + 6, ry + i * slot, value_w, slot), Qt.AlignLeft | Qt.AlignVCenter,
                           f"{t.rate * 100:.1f}%" + (" !" if t.too_wide else ""))
        p.setPen(QColor(MUTED))
        bottom = top + len(rows) * per
        p.drawText(QRectF(8, bottom, self.width() - 16, line * 2 + 4), Qt.AlignLeft | Qt.TextWordWrap,
                   f"bar: rate, whiskers: 95% interval (0-{ceiling * 100:.0f}%); ! too few takes to read")
        p.end()

    def tooltip_rows(self) -> list[str]:
        """The figures as text (for the tooltip and for tests)."""
        out = []
        for label, tags in self.rows():
            cells = []
            for i, t in enumerate(tags):
                if t is None or t.rate is None:
                    cells.append(f"{'AB'[i]} -")
                else:
                    cells.append(f"{'AB'[i]} {t.rate * 100:.1f}% ({t.low * 100:.1f}-{t.high * 100:.1f}%)"
                                 + (" too wide to read" if t.too_wide else ""))
            out.append(f"{label}: " + ", ".join(cells))
        return out
