"""Choice pools read from the registries: every entry of an aspect with its derived count and
creation time, plus, for blended aspects, the combinations of the aspect's origin vocabulary
(engine.procedural.registries.keys) not discovered yet (count 0, no date: they count as new, so the
choices favour exploring them). Nothing here is a hard-coded default: the vocabulary is the
registry's own definition of its keys.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy.orm import Session

from engine.procedural.registries import keys as K
from engine.procedural.registries.choice import recent_weights, underused_weights, weighted_sample
from engine.procedural.registries.query import entries


@dataclass(frozen=True)
class PoolItem:
    key: str
    name: str
    count: int
    created_at: datetime | None
    value: dict | None = None
    depth: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Pools:
    colour: tuple[PoolItem, ...]
    sound: tuple[PoolItem, ...]
    motion: tuple[PoolItem, ...]
    camera: tuple[PoolItem, ...]
    gradient: tuple[PoolItem, ...]
    lighting: tuple[PoolItem, ...]
    composition: tuple[PoolItem, ...] = ()


def _vocabulary(aspect: str) -> list[str]:
    if aspect == "camera":
        return [K.camera_key(*c) for c in itertools.product(K.CAMERA_MOTIONS, K.CAMERA_SPEEDS, K.CAMERA_STEADINESS)]
    if aspect == "gradient":
        return [K.gradient_key(t, s) for t, s in itertools.product(K.GRADIENT_TYPES, (0.25, 0.5, 0.75, 1.0))]
    if aspect == "motion":
        return [K.motion_key(lv, "steady", d, r) for lv, d, r in
                itertools.product((0.5, 2.0, 5.0), K.MOTION_DIRECTIONS, K.MOTION_RHYTHMS)]
    if aspect == "lighting":
        return [K.lighting_key(*c) for c in itertools.product(K.LIGHTING_BRIGHTNESS, K.LIGHTING_CONTRAST, K.LIGHTING_SATURATION)]
    if aspect == "composition":
        return K.blended_grid("composition")
    raise ValueError(f"no origin vocabulary for blended aspect {aspect!r}")


def _items(session: Session, registry: str, aspect: str) -> list[PoolItem]:
    return [
        PoolItem(e.key, e.name, e.count, e.created_at, e.value, tuple(sorted(e.depth.items())))
        for e in entries(session, registry, aspect, with_sources=False)
    ]


def _blended(session: Session, aspect: str) -> tuple[PoolItem, ...]:
    items = _items(session, "blended", aspect)
    known = {i.key for i in items}
    try:
        vocab = _vocabulary(aspect)
    except ValueError:
        vocab = []
    extra = [PoolItem(k, k.replace("_", " "), 0, None) for k in vocab if k not in known]
    valid = []
    for i in items:  # keys no form below can read (only possible for imported text) are left out
        try:
            parse_blended(aspect, i.key)
        except (ValueError, K.RegistryKeyError):
            continue
        valid.append(i)
    return tuple(valid + extra)


def load_pools(session: Session) -> Pools:
    colours = []
    for item in _items(session, "pure", "colour"):
        if K.parse_colour_key(item.key)[3] == 1.0:  # opaque colours only: video has no alpha
            colours.append(item)
    sounds = [i for i in _items(session, "pure", "sound") if sound_timbre(i.key) is not None]
    return Pools(
        tuple(colours), tuple(sounds), _blended(session, "motion"), _blended(session, "camera"),
        _blended(session, "gradient"), _blended(session, "lighting"), _blended(session, "composition"),
    )


# --- reading keys ---------------------------------------------------------------------------

def sound_timbre(key: str) -> str | None:
    """The origin noise of a pure sound key ('0.12_low_hum' or an origin's own 'hum')."""
    if key in K.SOUND_ORIGINS:
        return key
    try:
        return K.parse_sound_key(key)[2]
    except K.RegistryKeyError:
        return None


def sound_amplitude(key: str) -> float | None:
    try:
        return K.parse_sound_key(key)[0]
    except K.RegistryKeyError:
        return None


# Imported motion keys use other words for direction and rhythm ('3.5_steady',
# '3.5_increasing_horizontal_pulsing'): read as the nearest of ours.
IMPORTED_DIRECTIONS = {"horizontal": "right", "vertical": "up", "neutral": "none"}
IMPORTED_RHYTHMS = {"steady": "even"}
IMPORTED_CAMERA = {"speed": "medium", "steadiness": "steady"}  # a move stored without them


def _motion_parts(key: str) -> dict:
    parts = key.split("_")
    try:
        level = float(parts[0])
    except ValueError:
        raise ValueError(f"motion key {key!r} does not start with a level") from None
    trend = parts[1] if len(parts) > 1 else "steady"
    direction = parts[2] if len(parts) > 2 else "none"
    rhythm = parts[3] if len(parts) > 3 else "even"
    if len(parts) > 4:
        raise ValueError(f"motion key {key!r} is not level_trend_direction_rhythm")
    direction = IMPORTED_DIRECTIONS.get(direction, direction)
    rhythm = IMPORTED_RHYTHMS.get(rhythm, rhythm)
    K.motion_key(level, trend, direction, rhythm)  # checks every part
    return {"level": level, "trend": trend, "direction": direction, "rhythm": rhythm}


def parse_blended(aspect: str, key: str) -> dict:
    """The parts of a blended key this module renders: camera, motion, gradient, lighting,
    composition. Imported forms are read too: a motion '3.5_steady', a camera move 'pan'."""
    if aspect == "camera":
        for speed in K.CAMERA_SPEEDS:
            for steady in K.CAMERA_STEADINESS:
                suffix = f"_{speed}_{steady}"
                if key.endswith(suffix) and key[: -len(suffix)] in K.CAMERA_MOTIONS:
                    return {"motion": key[: -len(suffix)], "speed": speed, "steadiness": steady}
        if key in K.CAMERA_MOTIONS:
            return {"motion": key, **IMPORTED_CAMERA}
        raise ValueError(f"camera key {key!r} is not motion_speed_steadiness")
    if aspect == "motion":
        return _motion_parts(key)
    parts = key.split("_")
    if aspect == "gradient":
        if len(parts) != 2:
            raise ValueError(f"gradient key {key!r} is not type_strength")
        K.gradient_key(parts[0], float(parts[1]))
        return {"type": parts[0], "strength": float(parts[1])}
    if aspect == "lighting":
        if len(parts) != 3:
            raise ValueError(f"lighting key {key!r} is not brightness_contrast_saturation")
        K.lighting_key(*parts)
        return {"brightness": parts[0], "contrast": parts[1], "saturation": parts[2]}
    if aspect == "composition":
        framing, balance, placement = key.rsplit("_", 2) if key.count("_") >= 2 else (key, "", "")
        K.composition_key(framing, balance, placement)
        return {"framing": framing, "balance": balance, "placement": placement}
    raise ValueError(f"unknown blended aspect {aspect!r}")


def colour_rgb(item: PoolItem) -> tuple[int, int, int]:
    """The colour to paint: the measured value when the entry has one inside its cell, else
    the centre of its grid cell (so extraction finds the same key again)."""
    r, g, b, _a = K.parse_colour_key(item.key)
    v = item.value or {}
    if all(isinstance(v.get(c), (int, float)) for c in "rgb"):
        rgb = (int(v["r"]), int(v["g"]), int(v["b"]))
        if K.colour_key(*rgb) == item.key:
            return rgb
    return tuple(min(255, c + K.COLOUR_STEP // 2) for c in (r, g, b))


# --- choosing -------------------------------------------------------------------------------

def weights(pool: tuple[PoolItem, ...] | list[PoolItem], now: datetime | None = None) -> np.ndarray:
    """Favour underused (1/(1+count)) and recent (1/(1+days)) at once: the product."""
    return underused_weights([i.count for i in pool]) * recent_weights([i.created_at for i in pool], now)


def choose(
    pool, rng: np.random.Generator, k: int = 1, keep: Callable[[PoolItem], bool] | None = None,
    now: datetime | None = None,
) -> tuple[list[PoolItem], bool]:
    """`k` distinct items; with `keep`, from the items it keeps when there are any.
    Returns (items, whether `keep` could be honoured)."""
    pool = list(pool)
    honoured = True
    if keep is not None:
        kept = [i for i in pool if keep(i)]
        if kept:
            pool = kept
        else:
            honoured = False
    return weighted_sample(pool, weights(pool, now or datetime.now(UTC)), k, rng), honoured
