"""Per-frame spectra and descriptors of a mono signal, vectorised over frames.

One real FFT over a (frames x 2000) matrix. The Hann window is scaled to unit mean square
so band powers estimate the frame's mean square; it keeps a 50 Hz hum's lines apart from
their mirror images, which a rectangular window smears with the phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from engine.procedural.creation.sound_synth import FRAME_SAMPLES, SAMPLE_RATE

LOW_HZ = 200.0
MID_HZ = 2000.0
BIN_HZ = SAMPLE_RATE / FRAME_SAMPLES
SEGMENTS = 8  # sub-frames for the onset measure


@dataclass(frozen=True)
class FrameSpectra:
    """Spectra of consecutive frames; arrays are indexed by frame first."""

    frames: np.ndarray  # (N, FRAME_SAMPLES) float32
    power: np.ndarray  # (N, bins): per-bin share of the frame's mean square
    bands: np.ndarray  # (N, B): power summed into analysis bands (sums to the mean square)


def frame_matrix(samples: np.ndarray) -> np.ndarray:
    """(N, 2000) float32 view of whole frames; a trailing partial frame is zero-padded."""
    x = np.asarray(samples, dtype=np.float32).ravel()
    n = -(-len(x) // FRAME_SAMPLES)
    if n * FRAME_SAMPLES != len(x):
        x = np.concatenate([x, np.zeros(n * FRAME_SAMPLES - len(x), np.float32)])
    return x.reshape(n, FRAME_SAMPLES)


@lru_cache(maxsize=1)
def band_edges() -> np.ndarray:
    """Bin edges of the analysis bands: single 24 Hz bins up to 600 Hz, then ~1/8 octave."""
    edges = list(range(0, 26))
    hz = 25 * BIN_HZ
    nyquist_bin = FRAME_SAMPLES // 2 + 1
    while edges[-1] < nyquist_bin:
        hz *= 2 ** (1 / 8)
        b = min(int(round(hz / BIN_HZ)), nyquist_bin)
        if b > edges[-1]:
            edges.append(b)
    return np.asarray(edges)


@lru_cache(maxsize=1)
def band_centres_hz() -> np.ndarray:
    e = band_edges()
    return (e[:-1] + e[1:] - 1) / 2 * BIN_HZ


@lru_cache(maxsize=1)
def analysis_window() -> np.ndarray:
    """Hann window scaled to unit mean square, so band powers still estimate the mean square."""
    w = np.hanning(FRAME_SAMPLES + 2)[1:-1]
    return (w / np.sqrt(np.mean(w**2))).astype(np.float32)


def spectra(samples: np.ndarray) -> FrameSpectra:
    frames = frame_matrix(samples)
    spec = np.fft.rfft(frames * analysis_window(), axis=1)
    power = spec.real**2 + spec.imag**2
    # Parseval: mean square = (|X0|^2 + 2 sum |Xk|^2 (+ Nyquist)) / n^2
    scale = np.full(power.shape[1], 2.0 / FRAME_SAMPLES**2, dtype=np.float32)
    scale[0] = 1.0 / FRAME_SAMPLES**2
    scale[-1] = 1.0 / FRAME_SAMPLES**2
    power *= scale
    bands = np.add.reduceat(power, band_edges()[:-1], axis=1)
    return FrameSpectra(frames=frames, power=power, bands=bands)


@dataclass(frozen=True)
class FrameDescriptors:
    """Per-frame descriptors, each an (N,) array."""

    rms: np.ndarray
    centroid_hz: np.ndarray
    flatness: np.ndarray  # 0 (pure tone) .. 1 (white noise)
    low: np.ndarray  # share of energy below 200 Hz
    mid: np.ndarray  # share 200 Hz - 2 kHz
    high: np.ndarray  # share above 2 kHz
    onset: np.ndarray  # loudest sub-frame energy over the mean (1 steady .. 8 one click)
    periodicity: np.ndarray  # peak normalised autocorrelation at 2.5-25 ms lags


def descriptors(s: FrameSpectra) -> FrameDescriptors:
    power = s.power
    total = power.sum(axis=1)
    safe = np.maximum(total, 1e-20)
    freqs = np.arange(power.shape[1]) * BIN_HZ
    centroid = power @ freqs / safe
    p = power[:, 1:] + 1e-20
    flatness = np.exp(np.mean(np.log(p), axis=1)) / np.mean(p, axis=1)
    lo = int(LOW_HZ / BIN_HZ)
    mi = int(MID_HZ / BIN_HZ)
    low = power[:, :lo].sum(axis=1) / safe
    mid = power[:, lo:mi].sum(axis=1) / safe
    high = power[:, mi:].sum(axis=1) / safe
    seg = (s.frames.reshape(len(s.frames), SEGMENTS, -1) ** 2).mean(axis=2)
    onset = seg.max(axis=1) / np.maximum(seg.mean(axis=1), 1e-20)
    ac = np.fft.irfft(power, n=FRAME_SAMPLES, axis=1)
    lag_lo, lag_hi = int(0.0025 * SAMPLE_RATE), int(0.025 * SAMPLE_RATE)
    periodicity = ac[:, lag_lo:lag_hi].max(axis=1) / np.maximum(ac[:, 0], 1e-20)
    silent = total < 1e-12
    return FrameDescriptors(
        rms=np.sqrt(total),
        centroid_hz=np.where(silent, 0.0, centroid),
        flatness=np.where(silent, 0.0, flatness),
        low=low,
        mid=mid,
        high=high,
        onset=np.where(silent, 1.0, onset),
        periodicity=np.where(silent, 0.0, np.clip(periodicity, 0.0, 1.0)),
    )
