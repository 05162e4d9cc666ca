"""The filmstrip: thumbnails of the whole episode in sequence order, a status bar under each,
the shot under review outlined. Drag along it to scrub; click to jump."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate

from desktop import theme
from desktop.frame_cache import FrameLoader
from desktop.frame_decode import FrameKey
from desktop.strip_model import SHOT_ROLE, STATUS_ROLE, TAKE_ROLE

THUMB = QSize(176, 99)
CELL = QSize(THUMB.width() + 8, THUMB.height() + 34)


def thumb_key(path: Path, kind: str) -> FrameKey:
    return FrameKey(str(path), kind, 0, THUMB.width(), THUMB.height())


class _ThumbDelegate(QStyledItemDelegate):
    def __init__(self, strip: Filmstrip):
        super().__init__(strip)
        self.strip = strip

    def sizeHint(self, _option, _index) -> QSize:
        return CELL

    def paint(self, p: QPainter, option, index: QModelIndex) -> None:
        shot = index.data(SHOT_ROLE)
        take = index.data(TAKE_ROLE)
        status = index.data(STATUS_ROLE)
        r = option.rect.adjusted(4, 4, -4, -4)
        thumb = QRect(r.left(), r.top(), THUMB.width(), THUMB.height())
        p.save()
        p.fillRect(r, QColor(theme.PANEL))
        p.fillRect(thumb, QColor(theme.FRAME_BG))
        if take is not None:
            key = self.strip.key_for(take)
            pixmap = self.strip.loader.request(key, priority=-1) if key else None
            if pixmap is not None:
                size = pixmap.size()
                size.scale(thumb.size(), Qt.KeepAspectRatio)
                target = QRect(0, 0, size.width(), size.height())
                target.moveCenter(thumb.center())
                p.drawPixmap(target, pixmap)
            else:
                failed = self.strip.loader.failure(key) if key else "no file"
                p.setPen(QColor(theme.STATUS_COLOURS["rejected"] if failed else theme.MUTED))
                p.drawText(thumb.adjusted(6, 6, -6, -6), Qt.AlignCenter | Qt.TextWordWrap,
                           "missing" if failed and "missing" in failed else ("unreadable" if failed else "…"))
        else:
            p.setPen(QColor(theme.MUTED))
            p.drawText(thumb, Qt.AlignCenter, "no takes" if shot is not None else "…")
        bar = QRect(r.left(), thumb.bottom() + 2, r.width(), 4)
        p.fillRect(bar, theme.status_colour(status or "pending_review"))
        p.setPen(QColor(theme.TEXT))
        text_rect = QRect(r.left() + 2, bar.bottom() + 2, r.width() - 4, 18)
        code = shot.code if shot else ""
        p.drawText(text_rect, Qt.AlignLeft | Qt.AlignVCenter,
                   p.fontMetrics().elidedText(code, Qt.ElideLeft, text_rect.width() - 30))
        if shot is not None and len(shot.takes) > 1:
            p.setPen(QColor(theme.MUTED))
            p.drawText(text_rect, Qt.AlignRight | Qt.AlignVCenter, f"×{len(shot.takes)}")
        if option.state & QStyle.State_Selected:
            p.setPen(QPen(QColor(theme.ACCENT), 3))
            p.drawRect(option.rect.adjusted(2, 2, -3, -3))
        p.restore()


class Filmstrip(QListView):
    """Emits `row_scrubbed(row)` as the reviewer clicks or drags along the strip."""

    row_scrubbed = Signal(int)

    def __init__(self, loader: FrameLoader, resolve, parent=None):
        super().__init__(parent)
        self.loader = loader
        self._resolve = resolve  # take -> Path | None
        self.setFlow(QListView.LeftToRight)
        self.setWrapping(False)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setFocusPolicy(Qt.NoFocus)
        self.setItemDelegate(_ThumbDelegate(self))
        self.setFixedHeight(CELL.height() + 16)
        self.setMouseTracking(False)
        loader.frame_loaded.connect(self._on_frame)
        self._scrubbing = False
        self._keys: dict[str | None, FrameKey | None] = {}
        self._repaint = QTimer(self, singleShot=True, interval=40)
        self._repaint.timeout.connect(self.viewport().update)
        self.horizontalScrollBar().valueChanged.connect(self._on_scrolled)

    def key_for(self, take) -> FrameKey | None:
        found = self._keys.get(take.output_path, False)
        if found is False:
            path = self._resolve(take)
            found = thumb_key(path, take.media_kind) if path is not None else None
            if len(self._keys) > 50_000:
                self._keys.clear()
            self._keys[take.output_path] = found
        return found

    def _on_frame(self, key: FrameKey) -> None:
        # Thumbnails arrive by the hundred: repaint at most every 40 ms, not once each.
        if key.width == THUMB.width() and key.height == THUMB.height() and not self._repaint.isActive():
            self._repaint.start()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self._scrubbing = True
            self._scrub_to(event.position().toPoint())
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._scrubbing:
            self._scrub_to(event.position().toPoint())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        self._scrubbing = False
        super().mouseReleaseEvent(event)

    def _scrub_to(self, pos) -> None:
        index = self.indexAt(pos)
        if index.isValid():
            self.row_scrubbed.emit(self.model().strip_row(index.row()))

    def _index(self, row: int) -> QModelIndex:
        """The view's index of strip row `row` (the model shows a window of the strip)."""
        return self.model().index(self.model().view_row(row), 0)

    def _on_scrolled(self, value: int) -> None:
        """At the window's start, the rows before it come in (the view keeps its place)."""
        bar = self.horizontalScrollBar()
        if value == bar.minimum() and self.model() is not None and self.model().offset > 0:
            first = self.model().offset
            if self.model().extend_back():
                self.scrollTo(self._index(first), QAbstractItemView.PositionAtTop)

    def select_row(self, row: int) -> None:
        """Outline the shot under review (repaints two cells)."""
        index = self._index(row)
        if index.isValid() and index != self.currentIndex():
            self.selectionModel().setCurrentIndex(index, self.selectionModel().SelectionFlag.ClearAndSelect)

    def show_row(self, row: int) -> None:
        """Outline it and scroll it to the middle (repaints the whole strip)."""
        self.select_row(row)
        index = self._index(row)
        if index.isValid():
            self.scrollTo(index, QAbstractItemView.PositionAtCenter)
