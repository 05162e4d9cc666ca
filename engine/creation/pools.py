"""Choice pools read from the registries: every entry of an aspect with its derived count and
creation time, plus, for blended aspects, the combinations of the aspect's origin vocabulary
(engine.registries.keys) not discovered yet (count 0, no date: they count as new, so the
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

from engine.creation.choice import recent_weights, underused_weights, weighted_sample
from engine.registries import keys as K
from engine.registries.query import entries


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
    for i in items:  # imported entries may use another key format: keep only ours
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
        _blended(session, "gradient"), _blended(session, "lighting"),
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


def parse_blended(aspect: str, key: str) -> dict:
    """The parts of a blended key this module renders: camera, motion, gradient, lighting."""
    if aspect == "camera":
        for speed in K.CAMERA_SPEEDS:
            for steady in K.CAMERA_STEADINESS:
                suffix = f"_{speed}_{steady}"
                if key.endswith(suffix) and key[: -len(suffix)] in K.CAMERA_MOTIONS:
                    return {"motion": key[: -len(suffix)], "speed": speed, "steadiness": steady}
        raise ValueError(f"camera key {key!r} is not motion_speed_steadiness")
    parts = key.split("_")
    if aspect == "motion":
        if len(parts) != 4:
            raise ValueError(f"motion key {key!r} is not level_trend_direction_rhythm")
        K.motion_key(float(parts[0]), parts[1], parts[2], parts[3])
        return {"level": float(parts[0]), "trend": parts[1], "direction": parts[2], "rhythm": parts[3]}
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
