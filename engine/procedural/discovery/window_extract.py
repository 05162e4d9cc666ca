"""Blended values of a window of frames (about one second): motion, camera, gradient,
lighting and composition, formatted with the registry's blended key formatters.

Camera movement comes from the global shift between consecutive frames, found by phase
correlation on downscaled grey frames. Directions follow the camera: when the picture
slides left, the camera pans right. The motion direction is the picture's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.core.errors import MediaError
from engine.procedural.registries.keys import (
    camera_key,
    composition_key,
    gradient_key,
    lighting_bands,
    lighting_key,
    motion_key,
)

ANALYSIS_WIDTH = 96


@dataclass(frozen=True)
class WindowValues:
    shift_px: tuple[tuple[float, float], ...]  # per frame pair (dx, dy) of the picture, px
    camera_direction: str  # none / left / right / up / down
    camera: str
    motion: str
    gradient: str
    lighting: str
    composition: str


def _grey(frame: np.ndarray) -> np.ndarray:
    rgb = frame[..., :3].astype(np.float32)
    return rgb @ np.asarray([0.299, 0.587, 0.114], dtype=np.float32)


def _downscale(grey: np.ndarray) -> tuple[np.ndarray, int]:
    f = max(1, grey.shape[1] // ANALYSIS_WIDTH)
    h, w = grey.shape[0] // f * f, grey.shape[1] // f * f
    return grey[:h, :w].reshape(h // f, f, w // f, f).mean(axis=(1, 3)), f


def _shifts(small: np.ndarray) -> np.ndarray:
    """(pairs, 2) picture shift (dx, dy) between consecutive frames by phase correlation."""
    h, w = small.shape[1:]
    win = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    spec = np.fft.rfft2((small - small.mean(axis=(1, 2), keepdims=True)) * win)
    cross = spec[1:] * np.conj(spec[:-1])
    cross /= np.maximum(np.abs(cross), 1e-9)
    corr = np.fft.irfft2(cross, s=(h, w))
    flat = corr.reshape(len(corr), -1).argmax(axis=1)
    dy, dx = np.unravel_index(flat, (h, w))
    dy = np.where(dy > h // 2, dy - h, dy)
    dx = np.where(dx > w // 2, dx - w, dx)
    return np.stack([dx, dy], axis=1).astype(np.float64)


def _camera(shift: np.ndarray, width: int, fps: float) -> tuple[str, str, str, str]:
    mean = shift.mean(axis=0)
    speed = float(np.hypot(*mean)) * fps / width  # picture widths per second
    jitter = float(np.sqrt(((shift - mean) ** 2).sum(axis=1).mean())) / width * fps
    steadiness = (
        "locked" if jitter < 0.005 else "steady" if jitter < 0.03
        else "loose" if jitter < 0.1 else "shaky"
    )
    if speed < 0.01:
        motion, direction = ("handheld" if steadiness == "shaky" else "static"), "none"
    elif abs(mean[0]) >= abs(mean[1]):
        direction = "right" if mean[0] < 0 else "left"
        motion = "whip_pan" if speed >= 0.6 else "pan"
    else:
        direction = "down" if mean[1] < 0 else "up"
        motion = "tilt"
    band = "slow" if speed < 0.08 else "medium" if speed < 0.25 else "fast"
    return motion, band, steadiness, direction


def _gradient(grey: np.ndarray) -> str:
    h, w = grey.shape
    ys, xs = np.mgrid[0:h, 0:w]
    x = (xs / max(w - 1, 1) - 0.5).ravel()
    y = (ys / max(h - 1, 1) - 0.5).ravel()
    r = np.hypot(x, y)
    g = grey.ravel() - grey.mean()
    fits = {}
    for name, basis in (("horizontal", x), ("vertical", y), ("radial", r - r.mean())):
        coef = float(basis @ g / (basis @ basis))
        fits[name] = (float(np.ptp(coef * basis)), coef)
    kind = max(fits, key=lambda k: fits[k][0])
    hx, vy = fits["horizontal"][0], fits["vertical"][0]
    if kind in ("horizontal", "vertical") and min(hx, vy) > 0.5 * max(hx, vy):
        kind, spread = "angled", float(np.hypot(hx, vy))
    else:
        spread = fits[kind][0]
    return gradient_key(kind, min(1.0, spread / 255.0))


def _composition(grey: np.ndarray) -> str:
    h, w = grey.shape
    salient = np.abs(grey - np.median(grey))
    mask = salient > max(20.0, float(salient.mean()))
    share = float(mask.mean())
    framing = (
        "extreme_close" if share > 0.6 else "close" if share > 0.35 else "medium"
        if share > 0.15 else "wide" if share > 0.04 else "extreme_wide"
    )
    mirror = float(np.abs(grey - grey[:, ::-1]).mean())
    balance = "symmetric" if mirror < 8.0 else "asymmetric"
    if not mask.any():
        return composition_key(framing, balance, "center")
    ys, xs = np.nonzero(mask)
    cx, cy = xs.mean() / w - 0.5, ys.mean() / h - 0.5
    if max(abs(cx), abs(cy)) < 0.12:
        place = "center"
    elif abs(cx) >= abs(cy):
        place = "left" if cx < 0 else "right"
    else:
        place = "top" if cy < 0 else "bottom"
    return composition_key(framing, balance, place)


def extract_window(frames: list[np.ndarray] | np.ndarray, fps: float = 24.0) -> WindowValues:
    """Blended values of a window: a sequence of at least two HxWx3/4 uint8 frames."""
    if len(frames) < 2:
        raise MediaError(f"a window needs at least two frames, got {len(frames)}")
    shapes = {f.shape for f in frames}
    if len(shapes) != 1:
        raise MediaError(f"frames of one window differ in size: {sorted(shapes)}")
    grey = np.stack([_grey(f) for f in frames])
    small, factor = zip(*(_downscale(g) for g in grey), strict=True)
    small = np.stack(small)
    shift = _shifts(small) * factor[0]
    width = grey.shape[2]
    motion_type, speed, steadiness, direction = _camera(shift, width, fps)
    diffs = np.abs(np.diff(small, axis=0)).mean(axis=(1, 2))
    level = float(diffs.mean()) / 25.5  # 0 still .. 10 every pixel changes fully
    half = len(diffs) // 2 or 1
    a, b = diffs[:half].mean(), diffs[half:].mean() if len(diffs) > 1 else diffs.mean()
    cv = float(diffs.std() / max(diffs.mean(), 1e-6))
    trend = "increasing" if b > 1.3 * a + 0.5 else "decreasing" if a > 1.3 * b + 0.5 else (
        "pulsing" if cv > 0.5 else "steady"
    )
    rhythm = "still" if level < 0.05 else "even" if cv < 0.25 else "pulsing" if cv < 0.6 else "random"
    picture_dir = {"left": "right", "right": "left", "up": "down", "down": "up"}.get(direction, "none")
    mean_frame = np.stack(frames).astype(np.float32).mean(axis=0)
    rgb = mean_frame[..., :3]
    luma = grey.mean(axis=0)
    mx, mn = rgb.max(axis=2), rgb.min(axis=2)
    saturation = float(np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-6), 0.0).mean())
    return WindowValues(
        shift_px=tuple((float(x), float(y)) for x, y in shift),
        camera_direction=direction,
        camera=camera_key(motion_type, speed, steadiness),
        motion=motion_key(level, trend, picture_dir, rhythm),
        gradient=_gradient(luma),
        lighting=lighting_key(*lighting_bands(float(luma.mean()), float(luma.std()), saturation)),
        composition=_composition(luma),
    )
