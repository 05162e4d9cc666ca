"""A take's picture beside its details: the still, or a clip's poster frame, from the store's
thumbnail of the take's file (made on first use), or one line saying why there is none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from engine.core.errors import MediaError
from engine.takes.thumbnails import thumbnail


class TakePicture(QLabel):
    def __init__(self, width: int = 320, parent=None):
        super().__init__(parent)
        self.setObjectName("caption")
        self.setAlignment(Qt.AlignCenter)
        self.setFixedSize(width, width * 9 // 16)
        self.setStyleSheet("background: #0b0c0e; border-radius: 4px;")
        self.shown: Path | None = None

    def show_take(self, media_dir: Path, path: Path | None) -> bool:
        """Show the picture of the file at `path`; False (and the reason shown) when none."""
        self.shown = None
        if path is None:
            return self._none("this take has no output file")
        try:
            pixmap = QPixmap(str(thumbnail(media_dir, path)))
        except MediaError as exc:
            return self._none(str(exc))
        if pixmap.isNull():
            return self._none(f"{path.name}: cannot be shown")
        self.setPixmap(pixmap.scaled(self.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation))
        self.shown = path
        return True

    def _none(self, reason: str) -> bool:
        self.clear()
        self.setWordWrap(True)
        self.setText(reason)
        return False
