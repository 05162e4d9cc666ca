"""A frame on screen: the decoded pixmap fitted into the widget on a dark ground, or a
placeholder that says why it cannot be shown (missing file, damaged file, refused size)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop import theme


class FrameView(QWidget):
    """Shows one frame with a caption and a status edge. `painted` fires after a frame (or a
    placeholder with its reason) reached the screen; `clicked` when the reviewer clicks it."""

    painted = Signal()
    clicked = Signal()
    resized = Signal()  # frames should be decoded at the new size

    def __init__(self, parent=None, *, caption_size: int = 10):
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self._message = ""
        self._error = True
        self._caption = ""
        self._subcaption = ""
        self._status = ""
        self._highlight = False
        self._caption_size = caption_size
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.frames_painted = 0

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def frame_area(self) -> QRect:
        return self.rect().adjusted(4, 4, -4, -26)

    def display_size(self) -> QSize:
        """The pixel size frames are decoded at: exactly the frame area, so a paint draws the
        pixmap as it is, with no scaling on the GUI thread."""
        ratio = self.devicePixelRatioF()
        area = self.frame_area()
        return QSize(max(64, int(area.width() * ratio)), max(36, int(area.height() * ratio)))

    def set_frame(self, pixmap: QPixmap | None, message: str = "", *, error: bool = True) -> None:
        self._pixmap = pixmap
        self._message = message
        self._error = error
        self.update()

    def set_caption(self, caption: str, subcaption: str = "", status: str = "") -> None:
        self._caption, self._subcaption, self._status = caption, subcaption, status
        self.update()

    def set_highlight(self, on: bool) -> None:
        self._highlight = on
        self.update()

    def has_content(self) -> bool:
        return self._pixmap is not None or bool(self._message)

    def message(self) -> str:
        return self._message

    def pixmap(self) -> QPixmap | None:
        return self._pixmap

    def picture_rect(self) -> QRect | None:
        """Where the frame is drawn in the widget (notes are placed over it); None: no frame."""
        if self._pixmap is None or self._pixmap.isNull():
            return None
        natural = self._pixmap.size() / self._pixmap.devicePixelRatio()
        size = QSize(natural)
        size.scale(self.frame_area().size(), Qt.KeepAspectRatio)
        if abs(size.width() - natural.width()) <= 2 and abs(size.height() - natural.height()) <= 2:
            size = natural  # decoded for this very area: draw it as it is
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.frame_area().center())
        return target

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.FRAME_BG))
        area = self.frame_area()
        target = self.picture_rect()
        if target is not None:
            natural = self._pixmap.size() / self._pixmap.devicePixelRatio()
            size = target.size()
            if size != natural:  # only while a resize waits for the frame at the new size
                p.setRenderHint(QPainter.SmoothPixmapTransform)
                p.drawPixmap(target, self._pixmap)
            else:
                p.drawPixmap(target.topLeft(), self._pixmap)
        elif self._message:
            p.setPen(QPen(QColor(theme.RAISED), 1, Qt.DashLine))
            p.drawRect(area.adjusted(8, 8, -8, -8))
            p.setPen(QColor(theme.STATUS_COLOURS["rejected"] if self._error else theme.MUTED))
            p.drawText(area.adjusted(24, 24, -24, -24), Qt.AlignCenter | Qt.TextWordWrap, self._message)
        else:
            p.setPen(QColor(theme.MUTED))
            p.drawText(area, Qt.AlignCenter, "loading…")
        edge = theme.status_colour(self._status) if self._status else QColor(theme.RAISED)
        if self._highlight:
            edge = QColor(theme.ACCENT)
        p.setPen(QPen(edge, 3 if (self._status or self._highlight) else 1))
        p.drawRect(self.rect().adjusted(1, 1, -2, -2))
        p.setPen(QColor(theme.TEXT))
        font = p.font()
        font.setPointSize(self._caption_size)
        font.setBold(True)
        p.setFont(font)
        bar = QRect(10, self.height() - 24, self.width() - 20, 20)
        p.drawText(bar, Qt.AlignLeft | Qt.AlignVCenter, self._caption)
        font.setBold(False)
        p.setFont(font)
        p.setPen(QColor(theme.MUTED))
        p.drawText(bar, Qt.AlignRight | Qt.AlignVCenter, self._subcaption)
        p.end()
        if self.has_content():
            self.frames_painted += 1
            self.painted.emit()
