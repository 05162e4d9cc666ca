"""A sound seen: its waveform and spectrum, drawn in unit coordinates made off the GUI
thread with the render (sound_drawing) and scaled to the widget when painted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from desktop.theme import ACCENT, FRAME_BG, MUTED, PANEL, RAISED
from engine.procedural.discovery.sound_render import RenderedSound, envelope, spectrum_db

WAVE_COLUMNS = 1024
SPECTRUM_POINTS = 1024
LO_HZ, HI_HZ = 20.0, 24_000.0
BANDS = ((LO_HZ, 200.0, "low"), (200.0, 2000.0, "mid"), (2000.0, HI_HZ, "high"))  # as the sound key measures
GRID_HZ = (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)


def _x_of(f):
    """Where a frequency sits across the spectrum, 0 (20 Hz) to 1 (24 kHz), on a log scale."""
    return np.log10(np.asarray(f, dtype=float) / LO_HZ) / np.log10(HI_HZ / LO_HZ)


@dataclass(frozen=True)
class SoundDrawing:
    """A sound's waveform and spectrum in unit coordinates (any size scales them), made
    off the GUI thread with its render so painting is a few calls."""

    peak: float
    wave: list  # QLineF per column, x 0..1, y -1..1 of the peak
    top_db: float | None  # None: silent in every band
    area: QPolygonF | None  # the spectrum's filled area, x 0..1, y 0..1 of 80 dB
    curve: QPolygonF | None


def sound_drawing(sound: RenderedSound, spectrum=None) -> SoundDrawing:
    samples = sound.samples
    peak = max(float(np.max(np.abs(samples))) if len(samples) else 0.0, 1e-6)
    lo, hi = envelope(samples, WAVE_COLUMNS)
    n = max(1, len(lo))
    wave = [QLineF(i / n, b / peak, i / n, a / peak) for i, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True))]
    freqs, db = spectrum if spectrum is not None else spectrum_db(samples)
    if not np.isfinite(db.max()) or db.max() <= -110:
        return SoundDrawing(peak, wave, None, None, None)
    top_db = float(np.ceil(db.max() / 10) * 10)
    keep = (freqs >= LO_HZ) & (freqs <= HI_HZ)
    xs = _x_of(freqs[keep])
    ys = (np.clip(db[keep], top_db - 80, top_db) - (top_db - 80)) / 80
    # at most SPECTRUM_POINTS across: the loudest bin of each step (a peak is never lost)
    step = np.minimum((xs * SPECTRUM_POINTS).astype(int), SPECTRUM_POINTS - 1)
    starts = np.flatnonzero(np.r_[True, step[1:] != step[:-1]])
    xs, ys = xs[starts], np.maximum.reduceat(ys, starts)
    curve = QPolygonF([QPointF(x, y) for x, y in zip(xs.tolist(), ys.tolist(), strict=True)])
    area = QPolygonF(curve)
    area.append(QPointF(float(xs[-1]), 0.0))
    area.prepend(QPointF(float(xs[0]), 0.0))
    return SoundDrawing(peak, wave, top_db, area, curve)


def _pen(colour: str, width: float = 1.0, style=Qt.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)  # the same width however the unit drawing is scaled
    return pen


class SoundView(QWidget):
    """The waveform (top) and spectrum (bottom) of one rendered sound, painted directly."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sound: RenderedSound | None = None
        self.drawing: SoundDrawing | None = None
        self.setMinimumSize(360, 260)

    def set_sound(self, sound: RenderedSound | None, drawing: SoundDrawing | None = None) -> None:
        """Show a rendered sound; its drawing is made here unless given (the panel makes it
        off the GUI thread with the render)."""
        self.sound = sound
        self.drawing = None if sound is None else (drawing or sound_drawing(sound))
        self.update()

    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor(FRAME_BG))
        if self.sound is None:
            p.setPen(QColor(MUTED))
            p.drawText(self.rect(), Qt.AlignCenter, "Select a sound to see and hear it")
            return
        w, h = self.width(), self.height()
        wave = QRectF(48, 28, w - 64, h * 0.42 - 28)
        spec = QRectF(48, h * 0.42 + 36, w - 64, h * 0.58 - 64)
        self._caption(p, wave, f"Waveform  {self.sound.seconds:.1f} s")
        self._caption(p, spec, "Spectrum (mean power per frame)")
        self._waveform(p, wave)
        self._spectrum_plot(p, spec)

    def _caption(self, p: QPainter, r: QRectF, text: str) -> None:
        p.setPen(QColor(MUTED))
        f = QFont(self.font())
        f.setPointSizeF(8.5)
        p.setFont(f)
        p.drawText(QRectF(r.left(), r.top() - 20, r.width(), 16), Qt.AlignLeft | Qt.AlignVCenter, text)
        p.fillRect(r, QColor(PANEL))

    def _waveform(self, p: QPainter, r: QRectF) -> None:
        d = self.drawing
        mid = r.center().y()
        p.setPen(_pen(RAISED))
        p.drawLine(QPointF(r.left(), mid), QPointF(r.right(), mid))
        p.save()
        p.translate(r.left(), mid)
        p.scale(r.width(), -r.height() / 2 * 0.92)
        p.setPen(_pen(ACCENT))
        p.setRenderHint(QPainter.Antialiasing, False)  # upright lines: nothing to smooth
        p.drawLines(d.wave)
        p.restore()
        p.setPen(QColor(MUTED))
        p.drawText(QRectF(r.left() - 46, r.top(), 42, 14), Qt.AlignRight, f"{d.peak:.2f}")

    def _spectrum_plot(self, p: QPainter, r: QRectF) -> None:
        d = self.drawing
        if d.top_db is None:
            p.setPen(QColor(MUTED))
            p.drawText(r, Qt.AlignCenter, "silent: no energy in any band")
            return
        floor_db = d.top_db - 80

        def x_at(f: float) -> float:
            return r.left() + r.width() * float(_x_of(f))

        def y_at(db: float) -> float:
            return r.bottom() - r.height() * (db - floor_db) / 80

        for i, (a, b, name) in enumerate(BANDS):
            xa, xb = x_at(a), x_at(b)
            if i % 2:
                p.fillRect(QRectF(xa, r.top(), xb - xa, r.height()), QColor("#23262d"))
            p.setPen(QColor(MUTED))
            p.drawText(QRectF(xa, r.bottom() + 2, xb - xa, 14), Qt.AlignCenter, name)
        p.setPen(_pen(RAISED, 1, Qt.DotLine))
        for f in GRID_HZ:
            p.drawLine(QPointF(x_at(f), r.top()), QPointF(x_at(f), r.bottom()))
        for db in range(int(floor_db), int(d.top_db) + 1, 20):
            p.drawLine(QPointF(r.left(), y_at(db)), QPointF(r.right(), y_at(db)))
            p.setPen(QColor(MUTED))
            p.drawText(QRectF(r.left() - 46, y_at(db) - 7, 42, 14), Qt.AlignRight, f"{db} dB")
            p.setPen(_pen(RAISED, 1, Qt.DotLine))
        p.save()
        p.translate(r.left(), r.bottom())
        p.scale(r.width(), -r.height())
        fill = QColor(ACCENT)
        fill.setAlpha(60)
        p.setPen(Qt.NoPen)
        p.setBrush(fill)
        p.drawPolygon(d.area)
        p.setBrush(Qt.NoBrush)
        p.setPen(_pen(ACCENT, 1.4))
        p.drawPolyline(d.curve)
        p.restore()
