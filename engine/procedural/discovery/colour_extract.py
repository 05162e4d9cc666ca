"""Pure colours of one frame: quantised colour keys with their area share and depth.

Every pixel falls in one cell of the registry's colour grid (channels floored onto steps of
25, opacity rounded to steps of 0.05, see ``engine.procedural.registries.keys``). The cells are counted
in one ``np.bincount`` over packed cell indices; only cells holding at least ``min_share``
of the frame's area are reported, so the blended pixels along anti-aliased edges (each
coverage fraction its own colour, each a sliver of the area) do not become colours of
their own. The rest is summed in ``other_share``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.core.errors import MediaError
from engine.procedural.registries.keys import (
    COLOUR_LEVELS,
    COLOUR_STEP,
    OPACITY_LEVELS,
    OPACITY_STEP,
    colour_depth,
    colour_key,
)

MIN_SHARE = 0.005
_LEVELS = len(COLOUR_LEVELS)
_ALPHAS = len(OPACITY_LEVELS)


@dataclass(frozen=True)
class FrameColour:
    key: str  # "R,G,B_opacity"
    share: float  # of the frame's area, 0-1
    mean_rgb: tuple[int, int, int]  # mean colour of the pixels in the cell
    depth: dict[str, int]  # two nearest colour origins of the mean colour, percent


@dataclass(frozen=True)
class FrameColours:
    colours: tuple[FrameColour, ...]  # largest share first
    other_share: float  # area in cells under min_share

    def keys(self) -> set[str]:
        return {c.key for c in self.colours}


def extract_colours(frame: np.ndarray, min_share: float = MIN_SHARE) -> FrameColours:
    """Colours of an HxWx3 (RGB) or HxWx4 (RGBA) uint8 frame."""
    if frame.ndim != 3 or frame.shape[2] not in (3, 4) or frame.dtype != np.uint8:
        raise MediaError(
            f"a frame must be an HxWx3 or HxWx4 uint8 array, got shape {frame.shape} "
            f"and type {frame.dtype}"
        )
    pixels = frame.reshape(-1, frame.shape[2])
    total = len(pixels)
    if total == 0:
        return FrameColours((), 0.0)
    rgb = pixels[:, :3].astype(np.int32)
    level = rgb // COLOUR_STEP  # 255 // 25 == 10: the top level is 250
    if frame.shape[2] == 4:
        alpha = np.rint(pixels[:, 3].astype(np.float32) / 255.0 / OPACITY_STEP).astype(np.int32)
    else:
        alpha = np.full(total, _ALPHAS - 1, dtype=np.int32)
    cell = ((level[:, 0] * _LEVELS + level[:, 1]) * _LEVELS + level[:, 2]) * _ALPHAS + alpha
    size = _LEVELS**3 * _ALPHAS
    counts = np.bincount(cell, minlength=size)
    kept = np.nonzero(counts >= max(1, min_share * total))[0]
    sums = [np.bincount(cell, weights=rgb[:, c], minlength=size)[kept] for c in range(3)]
    colours = []
    for i, idx in enumerate(kept):
        a, rest = idx % _ALPHAS, idx // _ALPHAS
        b, rest = rest % _LEVELS, rest // _LEVELS
        g, r = rest % _LEVELS, rest // _LEVELS
        n = counts[idx]
        mean = tuple(int(round(s[i] / n)) for s in sums)
        colours.append(
            FrameColour(
                key=colour_key(COLOUR_LEVELS[r], COLOUR_LEVELS[g], COLOUR_LEVELS[b], OPACITY_LEVELS[a]),
                share=float(n / total),
                mean_rgb=mean,
                depth=colour_depth(*mean),
            )
        )
    colours.sort(key=lambda c: -c.share)
    reported = sum(counts[kept])
    return FrameColours(tuple(colours), float((total - reported) / total))
