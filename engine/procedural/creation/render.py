"""Frames of a planned clip, drawn with numpy.

A canvas larger than the frame holds a stepped gradient between the first two palette
colours (bands of solid colour, so every band is a colour of its own), lit by the planned
lighting, and a few fixed shapes in palette colours that give the camera texture to move
over. Each frame is the canvas seen through the planned camera (pan, tilt, zoom, roll...,
at its speed, with the jitter of its steadiness), with moving discs in palette colours
following the planned motion (level, direction, rhythm) on top.
"""

from __future__ import annotations

import numpy as np

from engine.procedural.creation.plan import ClipPlan
from engine.procedural.creation.pools import parse_blended

GRADIENT_BANDS = 6
SPEED_WIDTHS_PER_S = {"slow": 0.05, "medium": 0.15, "fast": 0.4}  # picture widths / second
JITTER_PX = {"locked": 0.0, "steady": 0.6, "loose": 2.5, "shaky": 7.0}
BRIGHTNESS = {"dark": 0.35, "dim": 0.6, "mid": 0.85, "bright": 1.1, "blown": 1.35}
CONTRAST = {"flat": 0.6, "normal": 1.0, "high": 1.5}
SATURATION = {"muted": 0.35, "natural": 1.0, "vivid": 1.4}
DIRECTIONS = {"none": (0, 0), "left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1),
              "in": (0, 0), "out": (0, 0)}


def _lit(colours: np.ndarray, lighting: dict) -> np.ndarray:
    c = colours.astype(np.float32)
    grey = c.mean(axis=-1, keepdims=True)
    c = grey + (c - grey) * SATURATION[lighting["saturation"]]
    c = 128 + (c - 128) * CONTRAST[lighting["contrast"]]
    return np.clip(c * BRIGHTNESS[lighting["brightness"]], 0, 255)


def _canvas(plan: ClipPlan, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    pal = np.asarray([c.rgb for c in plan.palette], dtype=np.float32)
    grad = parse_blended("gradient", plan.gradient)
    lighting = parse_blended("lighting", plan.lighting)
    x = (np.arange(w, dtype=np.float32) / (w - 1))[None, :]
    y = (np.arange(h, dtype=np.float32) / (h - 1))[:, None]
    kind = grad["type"]
    field = np.broadcast_to(
        y if kind == "vertical" else x if kind == "horizontal" else (x + y) / 2 if kind == "angled"
        else np.clip(np.hypot(x - 0.5, y - 0.5) / 0.71, 0, 1), (h, w))
    steps = np.minimum(np.floor(field * GRADIENT_BANDS), GRADIENT_BANDS - 1) / (GRADIENT_BANDS - 1)
    t = (steps * grad["strength"])[..., None]
    second = pal[1] if len(pal) > 1 else pal[0]
    canvas = _lit(pal[0] * (1 - t) + second * t, lighting)
    for _ in range(int(rng.integers(5, 10))):  # fixed shapes: texture for the camera
        colour = pal[int(rng.integers(len(pal)))]
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        hh, hw = rng.uniform(0.03, 0.12) * h, rng.uniform(0.03, 0.12) * w
        y0, y1 = int(max(0, cy - hh)), int(min(h, cy + hh))
        x0, x1 = int(max(0, cx - hw)), int(min(w, cx + hw))
        canvas[y0:y1, x0:x1] = colour
    return np.clip(np.rint(canvas), 0, 255).astype(np.uint8)


def _camera_path(cam: dict, n: int, fps: float, w: int, rng: np.random.Generator):
    """Per frame (dx, dy, scale, angle) of the view over the canvas."""
    t = np.arange(n) / fps
    v = SPEED_WIDTHS_PER_S[cam["speed"]] * w
    kind = cam["motion"]
    dx = np.zeros(n)
    dy = np.zeros(n)
    scale = np.ones(n)
    angle = np.zeros(n)
    sign = 1 if rng.random() < 0.5 else -1
    if kind in ("pan", "truck", "tracking"):
        dx = sign * v * t
    elif kind == "whip_pan":
        dx = sign * 3 * v * t
    elif kind in ("tilt", "pedestal"):
        dy = sign * v * t
    elif kind == "crane":
        dy, scale = -v * t, 1 + 0.1 * t * v / w
    elif kind in ("zoom", "dolly"):
        scale = 1 + t * v / w * 1.5
    elif kind == "zoom_out":
        scale = 1.6 - t * v / w * 1.5
    elif kind in ("roll", "rotate"):
        angle = sign * t * v / w * 1.2
    elif kind == "arc":
        dx, scale = sign * v * t, 1 + 0.15 * np.sin(t)
    elif kind == "birds_eye":
        angle, scale = t * v / w * 0.6, 1 + t * v / w * 0.5
    jitter = JITTER_PX[cam["steadiness"]] + (5.0 if kind == "handheld" else 0.0)
    if jitter:
        dx = dx + rng.normal(0, jitter, n)
        dy = dy + rng.normal(0, jitter, n)
    return dx, dy, np.clip(scale, 0.4, 3.0), angle


# Composition: disc radius (share of the height) per framing, and where the discs start
# (x range, y range as shares of the frame) per placement.
FRAMING_RADIUS = {
    "extreme_close": (0.35, 0.45), "close": (0.2, 0.28), "medium": (0.1, 0.16),
    "wide": (0.05, 0.08), "extreme_wide": (0.02, 0.04),
}
PLACEMENT_AREA = {
    "left": ((0.1, 0.35), (0.2, 0.8)), "right": ((0.65, 0.9), (0.2, 0.8)),
    "top": ((0.2, 0.8), (0.1, 0.35)), "bottom": ((0.2, 0.8), (0.65, 0.9)),
    "center": ((0.4, 0.6), (0.4, 0.6)),
}


def _start(count: int, h: int, w: int, rng: np.random.Generator, layout: dict | None) -> np.ndarray:
    """Where the discs start: anywhere, or in the composition's area; a symmetric
    composition places them in mirrored pairs about the vertical centre line."""
    if layout is None:
        return np.stack([rng.uniform(0.15, 0.85, count) * w, rng.uniform(0.15, 0.85, count) * h], axis=1)
    (x0, x1), (y0, y1) = PLACEMENT_AREA[layout["placement"]]
    start = np.stack([rng.uniform(x0, x1, count) * w, rng.uniform(y0, y1, count) * h], axis=1)
    if layout["balance"] == "symmetric":
        start[1::2, 0] = w - start[::2, 0]
        start[1::2, 1] = start[::2, 1]
    return start


def _discs(mot: dict, n: int, fps: float, h: int, w: int, count: int, rng: np.random.Generator,
           layout: dict | None = None):
    """Per frame and disc the (x, y) centre, following the planned motion."""
    t = np.arange(n) / fps
    start = _start(count, h, w, rng, layout)
    if mot["rhythm"] == "still" or mot["level"] <= 0:
        return np.repeat(start[None], n, axis=0)
    speed = mot["level"] * 0.04 * w  # px per second
    ux, uy = DIRECTIONS[mot["direction"]]
    if (ux, uy) == (0, 0):
        ang = rng.uniform(0, 2 * np.pi, count)
        ux, uy = np.cos(ang), np.sin(ang)
    if mot["rhythm"] == "pulsing":
        dist = speed * (t + 0.25 * np.sin(2 * np.pi * 2 * t) / np.pi)
    else:
        dist = speed * t
    pos = start[None] + np.stack([np.outer(dist, np.ones(count) * ux), np.outer(dist, np.ones(count) * uy)], axis=2)
    if mot["rhythm"] == "wave":
        pos[..., 1] += 0.08 * h * np.sin(2 * np.pi * 1.5 * t)[:, None]
    elif mot["rhythm"] == "random":
        pos += np.cumsum(rng.normal(0, speed / fps, (n, count, 2)), axis=0)
    pos[..., 0] %= w
    pos[..., 1] %= h
    return pos


def render_frames(plan: ClipPlan, width: int, height: int, fps: float, rng: np.random.Generator) -> np.ndarray:
    """(frames, height, width, 3) uint8."""
    n = max(2, int(round(plan.seconds * fps)))
    cam = parse_blended("camera", plan.camera)
    mot = parse_blended("motion", plan.motion)
    margin = 1.5
    ch, cw = int(height * margin), int(width * margin)
    canvas = _canvas(plan, ch, cw, rng)
    dx, dy, scale, angle = _camera_path(cam, n, fps, width, rng)
    xs = np.arange(width, dtype=np.float32)[None, :]
    ys = np.arange(height, dtype=np.float32)[:, None]
    X = np.arange(width, dtype=np.float32) - width / 2
    Y = np.arange(height, dtype=np.float32) - height / 2
    flat = canvas.reshape(-1, 3)
    pal = np.asarray([c.rgb for c in plan.palette], dtype=np.uint8)
    count = int(rng.integers(2, 5))
    layout = parse_blended("composition", plan.composition) if plan.composition else None
    if layout and layout["balance"] == "symmetric":
        count = 2 * max(1, count // 2)
    centres = _discs(mot, n, fps, height, width, count, rng, layout)
    size = FRAMING_RADIUS[layout["framing"]] if layout else (0.05, 0.12)
    radii = rng.uniform(*size, count) * height
    if layout and layout["balance"] == "symmetric":
        radii[1::2] = radii[::2]
    colours = pal[rng.integers(0, len(pal), count)]
    out = np.empty((n, height, width, 3), dtype=np.uint8)
    for f in range(n):
        cx = cw / 2 + dx[f]
        cy = ch / 2 + dy[f]
        if angle[f] == 0 and scale[f] == 1:
            x0 = int(round(cx - width / 2)) % (cw - width)
            y0 = int(round(cy - height / 2)) % (ch - height)
            out[f] = canvas[y0 : y0 + height, x0 : x0 + width]
        else:
            c, s = np.cos(angle[f]) / scale[f], np.sin(angle[f]) / scale[f]
            u = np.add.outer(-s * Y + cx, c * X).astype(np.int32) % cw
            v = np.add.outer(c * Y + cy, s * X).astype(np.int32) % ch
            v *= cw
            v += u
            np.take(flat, v, axis=0, out=out[f])
        for k in range(count):
            px, py, r = centres[f, k, 0], centres[f, k, 1], radii[k]
            y0, y1 = int(max(0, py - r)), int(min(height, py + r + 1))
            x0, x1 = int(max(0, px - r)), int(min(width, px + r + 1))
            if y0 >= y1 or x0 >= x1:
                continue
            inside = (xs[:, x0:x1] - px) ** 2 + (ys[y0:y1] - py) ** 2 <= r * r
            out[f, y0:y1, x0:x1][inside] = colours[k]
    return out
