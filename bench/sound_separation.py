"""Component precision and recall of sound separation on random procedural mixes.

Each mix holds 1-3 of the ten origin noises (silence alone now and then) at random
strengths (RMS 0.05-0.3) for one second (24 frames). Scoring is per frame and component,
against the synthesiser's truth (each component's RMS in each frame), by
engine.procedural.discovery.sound_scoring:
- a component must be found where its true RMS is at least 0.02 (the report floor);
- reporting it is a false positive only where its true RMS is under 0.01 (between the
  two, e.g. a thump's fading tail, either answer is accepted);
- a frame whose truth is silent must come out as silence.
The strict figures count every reported component whose true RMS is under 0.02 as false.

Usage: .venv/bin/python bench/sound_separation.py --seed 1 --mixtures 1000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.procedural.creation.sound_synth import random_mix  # noqa: E402
from engine.procedural.discovery.sound_extract import extract_sound  # noqa: E402
from engine.procedural.discovery.sound_scoring import Score, score_frames  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mixtures", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    total = Score()
    for _ in range(args.mixtures):
        mix = random_mix(rng)
        total.add(score_frames(mix, extract_sound(mix.samples)))
    print(f"mixtures: {args.mixtures} (seed {args.seed}), frame-components required: {total.required}")
    print(f"precision: {total.precision:.4f}  recall: {total.recall:.4f}  (goal both >= 0.95)")
    print(f"strict precision (any report under 0.02 RMS counts false): {total.strict_precision:.4f}")
    print("misses by origin: " + ", ".join(f"{k} {v}" for k, v in total.misses.most_common()))
    print("false positives by origin: " + ", ".join(f"{k} {v}" for k, v in total.falses.most_common()))


if __name__ == "__main__":
    main()
