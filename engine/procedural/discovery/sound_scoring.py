"""How well extraction found what a procedural mix holds: per frame and component.

The rules (the separation bench and the sound loop both use them):
- a component must be found where its true RMS is at least the report floor (0.02);
- reporting it is false only where its true RMS is under half the floor (between the two,
  e.g. a thump's fading tail, either answer is accepted);
- a frame whose truth is silent must come out as silence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.procedural.creation.sound_synth import Mix
from engine.procedural.discovery.sound_extract import COMPONENT_FLOOR, FrameSound


@dataclass
class Score:
    found: int = 0  # required components reported
    false: int = 0  # reported where the truth is under half the floor
    missed: int = 0  # required and not reported
    strict_false: int = 0  # reported where the truth is under the floor
    misses: Counter = field(default_factory=Counter)
    falses: Counter = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.found / max(self.found + self.false, 1)

    @property
    def recall(self) -> float:
        return self.found / max(self.found + self.missed, 1)

    @property
    def strict_precision(self) -> float:
        return self.found / max(self.found + self.strict_false, 1)

    @property
    def required(self) -> int:
        return self.found + self.missed

    def add(self, other: Score) -> None:
        self.found += other.found
        self.false += other.false
        self.missed += other.missed
        self.strict_false += other.strict_false
        self.misses.update(other.misses)
        self.falses.update(other.falses)


def score_frames(mix: Mix, frames: list[FrameSound]) -> Score:
    """Score extracted frames against the mix's truth (each component's RMS per frame)."""
    score = Score()
    for f in frames:
        truth = {n: float(mix.frame_rms[f.index, j]) for j, n in enumerate(mix.noises)}
        required = {n for n, r in truth.items() if r >= COMPONENT_FLOOR and n != "silence"}
        if not required and max(truth.values()) < COMPONENT_FLOOR / 2:
            required = {"silence"}
        found = {c.timbre for c in f.components}
        if found == {"silence"} and not required:
            found = set()  # a frame between the two limits: either answer is accepted
        for n in found:
            if n in required:
                score.found += 1
            else:
                score.strict_false += 1
                if truth.get(n, 0.0) < COMPONENT_FLOOR / 2:
                    score.false += 1
                    score.falses[n] += 1
        for n in required - found:
            score.missed += 1
            score.misses[n] += 1
    return score
