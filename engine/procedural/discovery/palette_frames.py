"""Synthetic frames with a known palette, to measure colour extraction against.

Palette colours sit at the centre of their grid cell (a quantised level + 12) and are
jittered by at most +-6 per channel, so the jitter never crosses a cell boundary; their
cells are distinct. Edges of the disc are anti-aliased: those pixels blend two palette
colours and belong to no palette cell.
"""

from __future__ import annotations

import numpy as np

from engine.procedural.registries.keys import COLOUR_LEVELS, colour_key

JITTER = 6


def palette_frame(
    rng: np.random.Generator, size: tuple[int, int] = (120, 160), colours: int | None = None
) -> tuple[np.ndarray, set[str]]:
    """(HxWx3 uint8 frame, set of palette colour keys)."""
    h, w = size
    count = int(rng.integers(2, 7)) if colours is None else colours
    cells = rng.choice(10**3, size=count, replace=False)  # levels 0..9 keep +12 under 250
    levels = np.stack([cells // 100, cells // 10 % 10, cells % 10], axis=1)
    centres = np.asarray(COLOUR_LEVELS)[levels] + 12
    keys = {colour_key(*c) for c in centres}
    frame = np.zeros((h, w, 3), dtype=np.float32)
    bands = count - 1 if count > 1 else 1
    edges = np.linspace(0, w, bands + 1).astype(int)
    for i in range(bands):
        frame[:, edges[i] : edges[i + 1]] = centres[i]
    # an anti-aliased disc in the last colour, coverage from 4x4 supersampling
    cy, cx = rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.7) * w
    radius = rng.uniform(0.15, 0.3) * min(h, w)
    sub = (np.arange(4) + 0.5) / 4
    ys = (np.arange(h)[:, None] + sub[None, :]).reshape(-1)
    xs = (np.arange(w)[:, None] + sub[None, :]).reshape(-1)
    inside = ((ys[:, None] - cy) ** 2 + (xs[None, :] - cx) ** 2) <= radius**2
    coverage = inside.reshape(h, 4, w, 4).mean(axis=(1, 3))[:, :, None]
    frame = frame * (1 - coverage) + centres[-1] * coverage
    frame += rng.integers(-JITTER, JITTER + 1, size=frame.shape)
    # jitter stays inside the cell for every palette pixel (centre +-6 within +-12)
    return np.clip(np.rint(frame), 0, 255).astype(np.uint8), keys
