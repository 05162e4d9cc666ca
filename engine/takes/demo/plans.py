"""The demo episode's script: scenes, shots and their plans, chosen deterministically from a seed.

A small heist-at-the-harbour story in three scenes, so that scrubbing the filmstrip reads as
a sequence: establishing ENV shots, two recurring characters (one human, one non-human),
kinetic actions the lexicon knows, and shot sizes from wide to close.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from engine.core.plans import ShotPlan, Subject, parse_plan

CHARACTERS = (
    Subject(name="Mara Quell", identity="human", emotion="", description="courier in a storm coat"),
    Subject(name="Unit Seven", identity="non_human", emotion="", description="a salvage robot with a cracked visor"),
)

SCENES = (
    {
        "code": "SC01",
        "title": "The harbour at dusk",
        "environment": "rain-slick container harbour, stacked cargo, cranes against the sky",
        "lighting": "low amber dusk light with sodium-vapour practicals",
        "palette": ((28, 36, 64), (214, 120, 52)),
    },
    {
        "code": "SC02",
        "title": "Inside the warehouse",
        "environment": "abandoned cold-storage warehouse, hanging chains, frost on steel",
        "lighting": "hard cyan top light through broken skylights, deep shadows",
        "palette": ((12, 40, 48), (120, 210, 220)),
    },
    {
        "code": "SC03",
        "title": "Rooftop escape",
        "environment": "wind-blown rooftop above the old quarter, antennas and water tanks",
        "lighting": "blue-hour ambience with a single red aircraft beacon",
        "palette": ((22, 24, 58), (230, 70, 80)),
    },
)

ACTIONS = (
    "pushes a rusted door open against the wind",
    "runs along the edge of the quay",
    "climbs a service ladder hand over hand",
    "reaches for a dropped data key",
    "turns sharply toward a sound",
    "falls back against a container",
    "fights off a security drone",
    "collapses to one knee, exhausted",
    "hauls a heavy crate across the floor",
    "leaps the gap between two roofs",
)
EMOTIONS = ("wary", "determined", "afraid", "defiant", "exhausted", "focused", "relieved")
SHOT_SIZES = ("wide", "medium", "close")
# Targets the demo's takes are made for; the keyframe targets see two system-prompt versions.
KEYFRAME_TARGET = "nbp"
VIDEO_TARGETS = ("kling_t2v", "kling_i2v", "veo")


@dataclass(frozen=True)
class DemoShot:
    code: str
    scene: str
    scene_index: int
    index_in_scene: int
    position: int
    plan: ShotPlan
    palette: tuple[tuple[int, int, int], tuple[int, int, int]]


def demo_script(seed: int, shots_per_scene: int = 8) -> list[DemoShot]:
    """The episode's shots in sequence order, the same for the same seed."""
    rng = random.Random(seed)
    shots: list[DemoShot] = []
    position = 0
    for scene_index, scene in enumerate(SCENES):
        for i in range(shots_per_scene):
            position += 1
            env_only = i == 0 or (i == shots_per_scene - 1 and scene_index == 1)
            size = "wide" if env_only else rng.choice(SHOT_SIZES)
            video = not env_only and rng.random() < 0.3
            target = rng.choice(VIDEO_TARGETS) if video else KEYFRAME_TARGET
            subjects = []
            if not env_only:
                cast = list(CHARACTERS) if rng.random() < 0.25 else [rng.choice(CHARACTERS)]
                subjects = [
                    {"name": c.name, "identity": c.identity, "emotion": rng.choice(EMOTIONS),
                     "description": c.description}
                    for c in cast
                ]
            raw = {
                "pipeline": "video" if video else "keyframe",
                "target_model": target,
                "shot_size": size,
                "env_only": env_only,
                "environment": scene["environment"],
                "lighting": scene["lighting"],
                "subjects": subjects,
                "action": "" if env_only else rng.choice(ACTIONS),
                "note": scene["title"],
            }
            code = f"EP01_{scene['code']}_SH{(i + 1) * 10:03d}"
            shots.append(
                DemoShot(
                    code=code,
                    scene=scene["code"],
                    scene_index=scene_index,
                    index_in_scene=i,
                    position=position,
                    plan=parse_plan(raw, where=f"demo shot {code}"),
                    palette=scene["palette"],
                )
            )
    return shots
