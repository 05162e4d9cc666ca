"""Playing, stepping and shuttling inside a clip take, as in dailies players: Space plays and
pauses, `,`/`.` step one frame, J/K/L reverse/stop/forward (tap J or L again to go faster:
2x, 4x, 8x; the other way first slows down, then turns round; K stops). Frames are decoded
with PyAV in batches on a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.frame_decode import ClipInfo, FrameFailure, clip_info

BATCH = 12  # frames decoded per request (see frame_decode.decode)
MAX_SPEED = 8


class ClipPlayer(QObject):
    frame_changed = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.path: Path | None = None
        self.info: ClipInfo | None = None
        self.error = ""
        self.frame = 0
        self.speed = 0  # signed frames per tick direction x multiplier
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._infos: dict[Path, ClipInfo | str] = {}

    @property
    def active(self) -> bool:
        return self.path is not None

    @property
    def frames(self) -> int:
        return self.info.frames if self.info else 0

    def load(self, path: Path | None) -> None:
        if path == self.path:
            return
        self.stop()
        self.path, self.info, self.error, self.frame = path, None, "", 0
        if path is None:
            return
        known = self._infos.get(path)
        if known is None:
            try:
                known = clip_info(path)
            except FrameFailure as exc:
                known = str(exc)
            self._infos[path] = known
        if isinstance(known, str):
            self.error = known
        else:
            self.info = known

    def seek(self, frame: int) -> None:
        if not self.info:
            return
        frame = max(0, min(self.info.frames - 1, frame))
        if frame != self.frame:
            self.frame = frame
            self.frame_changed.emit(frame)

    def step(self, delta: int) -> None:
        self.stop()
        self.seek(self.frame + delta)

    def shuttle(self, direction: int) -> None:
        """J (-1) / L (+1): start, or speed up when already going that way; against the way
        it is going, halve the speed first and turn round from 1x."""
        if not self.info:
            return
        if self.speed and (self.speed > 0) == (direction > 0):
            self.speed = max(-MAX_SPEED, min(MAX_SPEED, self.speed * 2))
        elif abs(self.speed) > 1:
            self.speed //= 2
        else:
            self.speed = direction
        self._run()

    def toggle_play(self) -> None:
        """Space: play forward at 1x from here (from the start when at the end), or pause."""
        if not self.info:
            return
        if self.playing:
            self.stop()
            return
        if self.frame >= self.info.frames - 1:
            self.seek(0)
        self.speed = 1
        self._run()

    def _run(self) -> None:
        self._timer.start(max(5, int(1000 / self.info.fps)))

    def stop(self) -> None:
        self.speed = 0
        self._timer.stop()

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        if not self.info:
            self.stop()
            return
        target = self.frame + self.speed
        if target < 0 or target >= self.info.frames:
            self.seek(target)
            self.stop()
            return
        self.seek(target)
