"""Region notes over a frame on screen: the standing notes painted where they were drawn, and
a drawing mode in which the reviewer marks the frame up.

An overlay lies over a host widget (a FrameView, the Compare canvas, a take's picture) and
asks it for its regions: where each take's frame is drawn, and on which clip frame. Points
are kept as fractions of the frame, so a note lands on the same spot at any size.

Drawing mode (the desk's draw key, M): B box, A arrow, F freehand stroke, T text label (click,
type, Return); the tag keys of the taxonomy give the next notes a rejection tag (again: none);
Backspace withdraws your latest note on this take; Esc or M leaves. A pen draws as the mouse
does (tablet events are taken the same way; without a tablet the mouse is used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop import theme
from desktop.note_board import NoteBoard
from engine.core.review_config import review_config
from engine.store.notes import Note

TOOLS = {Qt.Key_B: "box", Qt.Key_A: "arrow", Qt.Key_F: "stroke", Qt.Key_T: "text"}
TOOL_NAMES = {"box": "box", "arrow": "arrow", "stroke": "freehand", "text": "text"}
STROKE_POINTS = 400  # a stroke is thinned to at most this many points
SMALLEST = 0.01  # a box or arrow smaller than this (of the frame) is a slip, not a note


@dataclass(frozen=True)
class Region:
    take_id: int
    rect: QRectF  # where the take's frame is drawn on the host
    take_ref: str = ""
    frame: int | None = None  # the clip frame shown (1 = the first); None: a still
    frames: int | None = None  # the clip's frame count; None: a still


def _colour(note: Note) -> QColor:
    return QColor(theme.NOTE_TAGGED if note.tag else theme.NOTE)


def paint_notes(p: QPainter, rect: QRectF, notes, frame: int | None = None) -> None:
    """Paint `notes` over a frame drawn in `rect` (those on clip frame `frame` only)."""
    p.save()
    p.setRenderHint(QPainter.Antialiasing)
    p.setClipRect(rect)
    font = QFont(p.font())
    font.setPointSize(9)
    font.setBold(True)
    p.setFont(font)
    for note in notes:
        if not note.on_frame(frame):
            continue
        colour = _colour(note)
        p.setPen(QPen(colour, 2.5))
        p.setBrush(Qt.NoBrush)
        pts = [QPointF(rect.left() + x * rect.width(), rect.top() + y * rect.height())
               for x, y in zip(note.points[0::2], note.points[1::2], strict=True)]
        if note.kind == "box":
            x, y, w, h = note.points
            p.drawRect(QRectF(pts[0], QPointF(rect.left() + (x + w) * rect.width(), rect.top() + (y + h) * rect.height())))
        elif note.kind == "arrow":
            p.drawLine(pts[0], pts[1])
            _head(p, pts[0], pts[1], colour)
        elif note.kind == "text":
            p.setBrush(colour)
            p.drawEllipse(pts[0], 3.5, 3.5)
            p.setBrush(Qt.NoBrush)
        elif note.kind == "stroke":
            path = QPainterPath(pts[0])
            for pt in pts[1:]:
                path.lineTo(pt)
            p.drawPath(path)
        label = " · ".join(part for part in (note.tag, note.text) if part)
        if label:
            _label(p, pts[0], label, colour, rect)
    p.restore()


def _head(p: QPainter, tail: QPointF, tip: QPointF, colour: QColor) -> None:
    d = tip - tail
    length = max(1e-6, (d.x() ** 2 + d.y() ** 2) ** 0.5)
    ux, uy = d.x() / length, d.y() / length
    size = 12.0
    left = QPointF(tip.x() - ux * size - uy * size * 0.6, tip.y() - uy * size + ux * size * 0.6)
    right = QPointF(tip.x() - ux * size + uy * size * 0.6, tip.y() - uy * size - ux * size * 0.6)
    p.setBrush(colour)
    p.drawPolygon(QPolygonF([tip, left, right]))
    p.setBrush(Qt.NoBrush)


def _label(p: QPainter, at: QPointF, text: str, colour: QColor, bounds: QRectF) -> None:
    box = QRectF(p.fontMetrics().boundingRect(text)).adjusted(-4, -2, 4, 2)
    box.moveTopLeft(QPointF(at.x(), at.y() - box.height() - 2))
    if box.top() < bounds.top():
        box.moveTop(at.y() + 2)
    if box.right() > bounds.right():
        box.moveRight(bounds.right())
    p.fillRect(box, QColor(theme.FRAME_BG))
    p.setPen(colour)
    p.drawText(box, Qt.AlignCenter, text)


class NoteOverlay(QWidget):
    """Paints the standing notes of the host's regions; in drawing mode, draws new ones."""

    def __init__(self, host: QWidget, board: NoteBoard, regions: Callable[[], list[Region]]):
        super().__init__(host)
        self.host, self.board, self.regions = host, board, regions
        self.tool = "box"
        self.tag: str | None = None
        self.drawing = False
        self._shape: tuple[Region, list[float]] | None = None  # the shape being drawn
        self._back: QWidget | None = None
        self._text: QLineEdit | None = None
        self._tag_keys = {t.key.upper(): t.tag for t in review_config().taxonomy if t.key}
        self.setAttribute(Qt.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WA_NoSystemBackground, True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setGeometry(host.rect())
        host.installEventFilter(self)
        board.changed.connect(self._on_changed)
        self.raise_()
        self.show()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.host and event.type() == QEvent.Resize:
            self.setGeometry(self.host.rect())
        elif obj is self._text and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self._drop_text()
            return True
        return super().eventFilter(obj, event)

    def _on_changed(self, take_ids) -> None:
        if any(r.take_id in take_ids for r in self.regions()):
            self.update()

    # -- drawing mode -----------------------------------------------------------------------
    def toggle(self) -> None:
        self.stop() if self.drawing else self.start()

    def start(self, tool: str | None = None) -> None:
        if self.board.writer is None or not self.regions():
            self.board.message.emit("Nothing to draw on here")
            return
        self.tool = tool or self.tool
        self.drawing = True
        self._back = self.host.window().focusWidget()
        self.setAttribute(Qt.WA_TransparentForMouseEvents, False)
        self.setCursor(Qt.CrossCursor)
        self.setFocus()
        self.update()

    def stop(self) -> None:
        self._drop_text()
        self.drawing, self._shape = False, None
        self.setAttribute(Qt.WA_TransparentForMouseEvents, True)
        self.unsetCursor()
        if self._back is not None:
            self._back.setFocus()
        self.update()

    def hint(self) -> str:
        tag = review_config().tag(self.tag).label if self.tag else "no tag"
        return (f"DRAWING {TOOL_NAMES[self.tool].upper()} · {tag}   B box  A arrow  F freehand  T text  "
                f"{'/'.join(self._tag_keys)} tag  Backspace withdraw  Esc done")

    def keyPressEvent(self, event) -> None:
        if not self.drawing:
            return super().keyPressEvent(event)
        key, text = event.key(), event.text().upper()
        if key in (Qt.Key_Escape, Qt.Key_M):
            self.stop()
        elif key in TOOLS:
            self.tool = TOOLS[key]
        elif text in self._tag_keys:
            tag = self._tag_keys[text]
            self.tag = None if self.tag == tag else tag
        elif key in (Qt.Key_Backspace, Qt.Key_Delete):
            self._withdraw_latest()
        self.update()
        event.accept()

    def _withdraw_latest(self) -> None:
        for region in self.regions():
            mine = [n for n in self.board.notes(region.take_id)
                    if n.id > 0 and n.author == self.board.reviewer() and n.on_frame(region.frame)]
            if mine:
                self.board.retract(mine[-1], region.take_ref)
                return
        self.board.message.emit("No note of yours on this frame to withdraw")

    # -- pointer (mouse, or a pen through tablet events) ------------------------------------
    def _at(self, pos: QPointF) -> tuple[Region, list[float]] | None:
        for region in self.regions():
            r = region.rect
            if r.adjusted(-6, -6, 6, 6).contains(pos):
                x = min(1.0, max(0.0, (pos.x() - r.left()) / r.width()))
                y = min(1.0, max(0.0, (pos.y() - r.top()) / r.height()))
                return region, [x, y]
        return None

    def _press(self, pos: QPointF) -> None:
        found = self._at(pos)
        if found is None:
            return
        region, xy = found
        if self.tool == "text":
            self._ask_text(region, xy, pos)
            return
        self._shape = (region, xy if self.tool == "stroke" else xy + xy)
        self.update()

    def _move(self, pos: QPointF) -> None:
        if self._shape is None:
            return
        region, pts = self._shape
        r = region.rect
        xy = [min(1.0, max(0.0, (pos.x() - r.left()) / r.width())),
              min(1.0, max(0.0, (pos.y() - r.top()) / r.height()))]
        if self.tool == "stroke":
            if abs(xy[0] - pts[-2]) * r.width() + abs(xy[1] - pts[-1]) * r.height() >= 2:
                pts += xy
        else:
            pts[2:] = xy
        self.update()

    def _release(self, pos: QPointF) -> None:
        if self._shape is None:
            return
        self._move(pos)
        region, pts = self._shape
        self._shape = None
        if self.tool == "box":
            x1, y1, x2, y2 = pts
            points = [min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)]
            small = points[2] < SMALLEST or points[3] < SMALLEST
        elif self.tool == "arrow":
            points = pts
            small = abs(pts[2] - pts[0]) < SMALLEST and abs(pts[3] - pts[1]) < SMALLEST
        else:
            step = max(1, (len(pts) // 2 + STROKE_POINTS - 1) // STROKE_POINTS)
            pairs = [pts[i:i + 2] for i in range(0, len(pts), 2)]
            points = [v for pair in pairs[::step] + ([pairs[-1]] if (len(pairs) - 1) % step else []) for v in pair]
            small = len(points) < 4
        if not small:
            self._add(region, self.tool, points)
        self.update()

    def _add(self, region: Region, kind: str, points, text: str = "") -> None:
        self.board.add(region.take_id, region.take_ref, kind=kind, points=points, text=text, tag=self.tag,
                       frame=region.frame if region.frames else None, frames=region.frames)

    def mousePressEvent(self, event) -> None:
        if self.drawing and event.button() == Qt.LeftButton:
            self._press(event.position())

    def mouseMoveEvent(self, event) -> None:
        if self.drawing:
            self._move(event.position())

    def mouseReleaseEvent(self, event) -> None:
        if self.drawing and event.button() == Qt.LeftButton:
            self._release(event.position())

    def tabletEvent(self, event) -> None:
        if not self.drawing:
            event.ignore()
            return
        handler = {QEvent.TabletPress: self._press, QEvent.TabletMove: self._move,
                   QEvent.TabletRelease: self._release}.get(event.type())
        if handler is not None:
            handler(event.position())
        event.accept()

    # -- text labels --------------------------------------------------------------------------
    def _ask_text(self, region: Region, xy: list[float], pos: QPointF) -> None:
        self._drop_text()
        edit = QLineEdit(self)
        edit.setPlaceholderText("label — Return keeps it, Esc drops it")
        edit.setMinimumWidth(220)
        edit.move(int(pos.x()), int(pos.y()))
        edit.installEventFilter(self)
        edit.returnPressed.connect(lambda: self._text_done(region, xy))
        edit.show()
        edit.setFocus()
        self._text = edit

    def _text_done(self, region: Region, xy: list[float]) -> None:
        text = self._text.text().strip() if self._text else ""
        self._drop_text()
        if text:
            self._add(region, "text", xy, text)

    def _drop_text(self) -> None:
        if self._text is not None:
            self._text.hide()
            self._text.deleteLater()
            self._text = None
            if self.drawing:
                self.setFocus()

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        for region in self.regions():
            paint_notes(p, region.rect, self.board.notes(region.take_id), region.frame)
        if self.drawing:
            p.setPen(QPen(QColor(theme.ACCENT), 2, Qt.DashLine))
            for region in self.regions():
                p.drawRect(region.rect.adjusted(1, 1, -1, -1))
            if self._shape is not None:
                region, pts = self._shape
                live = Note(id=0, take_id=region.take_id, author="", made_at=None, kind=self.tool,  # type: ignore[arg-type]
                            points=tuple(_live_points(self.tool, pts)), text="", tag=self.tag,
                            frame_start=None, frame_end=None)
                paint_notes(p, region.rect, [live])
            bar = QRectF(0, 0, self.width(), 22)
            p.fillRect(bar, QColor(theme.PANEL))
            p.setPen(QColor(theme.ACCENT))
            p.drawText(bar.adjusted(8, 0, -8, 0), Qt.AlignVCenter | Qt.AlignLeft, self.hint())
        p.end()


def _live_points(tool: str, pts: list[float]) -> list[float]:
    if tool == "box":
        x1, y1, x2, y2 = pts[:4]
        return [min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)]
    return pts if len(pts) >= 4 else pts + pts
