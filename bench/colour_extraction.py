"""Colour extraction against synthetic frames with known palettes.

Each frame (160x120) holds 2-6 palette colours drawn from distinct grid cells, placed at
cell centres (a quantised level + 12) and then jittered by up to +-6 per channel, painted
as vertical bands with an anti-aliased disc on top (edge pixels blend two palette colours).
Prints the share of palette keys recovered (goal 100%) and the number of spurious keys
holding at least 0.5% of the area (goal 0).

Usage: .venv/bin/python bench/colour_extraction.py --seed 1 --frames 1000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.procedural.discovery.colour_extract import extract_colours  # noqa: E402
from engine.procedural.discovery.palette_frames import palette_frame  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--frames", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    wanted = found = spurious = 0
    elapsed = 0.0
    for _ in range(args.frames):
        frame, palette = palette_frame(rng)
        t0 = time.perf_counter()
        keys = extract_colours(frame).keys()
        elapsed += time.perf_counter() - t0
        wanted += len(palette)
        found += len(palette & keys)
        spurious += len(keys - palette)
    print(f"frames: {args.frames} (seed {args.seed}), palette keys: {wanted}")
    print(f"palette keys recovered: {found}/{wanted} = {100 * found / wanted:.2f}% (goal 100%)")
    print(f"spurious keys at >= 0.5% of the area: {spurious} (goal 0)")
    print(f"extraction: {1000 * elapsed / args.frames:.2f} ms per 160x120 frame")


if __name__ == "__main__":
    main()
