"""A clip's plan: every choice drawn from the registry pools, honouring an interpreted prompt.

Without a hint each choice is a weighted draw (underused and recent favoured). With one, the
pool is narrowed first: named colours are taken as they are, palette moods ("night", "warm")
and lighting, motion, camera, gradient words narrow by the filters in
config/interpretation.json, negations remove what they name.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import numpy as np

from engine.procedural.creation.pools import (
    PoolItem,
    Pools,
    choose,
    colour_rgb,
    parse_blended,
    sound_amplitude,
    sound_timbre,
)
from engine.procedural.interpretation.config import InterpretationConfig


@dataclass(frozen=True)
class PaletteColour:
    key: str
    name: str
    rgb: tuple[int, int, int]


@dataclass(frozen=True)
class SoundChoice:
    key: str
    name: str
    timbre: str
    strength: float


@dataclass(frozen=True)
class ClipPlan:
    palette: tuple[PaletteColour, ...]
    motion: str
    camera: str
    gradient: str
    lighting: str
    sounds: tuple[SoundChoice, ...]
    seconds: float
    honoured: tuple[str, ...]  # hints taken from the prompt
    not_honoured: tuple[str, ...]  # hints no registry value could satisfy
    composition: str = ""  # a composition key; empty: the renderer's default layout

    def describe(self) -> str:
        """A plain sentence of the choices, in registry names."""
        cam = parse_blended("camera", self.camera)
        mot = parse_blended("motion", self.motion)
        grad = parse_blended("gradient", self.gradient)
        light = parse_blended("lighting", self.lighting)
        colours = " and ".join(c.name for c in self.palette)
        sounds = " and ".join(s.name for s in self.sounds)
        return (
            f"{colours}, {grad['type']} gradient, {cam['speed']} {cam['motion'].replace('_', ' ')} "
            f"{cam['steadiness']}, {mot['rhythm']} motion {mot['direction']}, "
            f"{light['brightness']} {light['contrast']} {light['saturation']} lighting, sounds {sounds}"
            + (f", {self.composition.replace('_', ' ')} composition" if self.composition else "")
        )


def _hls(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    return h * 360.0, lightness, s


def _palette_filter(spec: dict):
    def keep(item: PoolItem) -> bool:
        hue, light, sat = _hls(colour_rgb(item))
        if "lightness" in spec and not spec["lightness"][0] <= light <= spec["lightness"][1]:
            return False
        if "saturation" in spec and not spec["saturation"][0] <= sat <= spec["saturation"][1]:
            return False
        return not ("hue" in spec and not any(lo <= hue <= hi for lo, hi in spec["hue"]))
    return keep


def _dominant(item: PoolItem) -> str | None:
    return max(item.depth, key=lambda d: d[1])[0] if item.depth else None


def _negated(instruction: dict, domain: str) -> list[dict]:
    return [n for n in instruction.get("negations", []) if n["domain"] == domain]


def _plan_palette(pools: Pools, ins: dict, cfg: InterpretationConfig, rng, honoured, missed):
    negs = _negated(ins, "palette")
    bad_keys = {n.get("key") for n in negs}
    bad_words = {n["value"] for n in negs}
    mood_specs = [cfg.filters["palette"][w] for w in bad_words if w in cfg.filters["palette"]]

    def allowed(item: PoolItem) -> bool:
        if item.key in bad_keys or item.name.lower() in bad_words or _dominant(item) in bad_words:
            return False
        return not any(_palette_filter(s)(item) for s in mood_specs)

    pool = [i for i in pools.colour if allowed(i)] or list(pools.colour)
    size = int(rng.integers(2, 4))
    by_key = {i.key: i for i in pools.colour}
    chosen: list[PoolItem] = []
    for key in ins.get("palette_keys", [])[:3]:
        if key in by_key and by_key[key] not in chosen:
            chosen.append(by_key[key])
            honoured.append(f"palette:{by_key[key].name.lower()}")
    moods = [w for w in ins.get("palette", []) if w in cfg.filters["palette"]]
    for w in moods:
        if len(chosen) >= 3:
            break
        rest = [i for i in pool if i not in chosen]
        want = max(1, size - len(chosen) - (len(moods) - 1))
        picks, ok = choose(rest, rng, want, _palette_filter(cfg.filters["palette"][w]))
        (honoured if ok else missed).append(f"palette:{w}")
        chosen += picks
    size = max(size, min(3, len(chosen)))
    if len(chosen) < size:
        rest = [i for i in pool if i not in chosen]
        chosen += choose(rest, rng, size - len(chosen))[0]
    return tuple(PaletteColour(i.key, i.name, colour_rgb(i)) for i in chosen[:3])


def _part_filter(aspect: str, spec: dict):
    def keep(item: PoolItem) -> bool:
        parts = parse_blended(aspect, item.key)
        for name, allowed in spec.items():
            value = parts[name]
            if isinstance(value, float):
                if not allowed[0] <= value <= allowed[1]:
                    return False
            elif value not in allowed:
                return False
        return True
    return keep


def _plan_blended(aspect: str, pool, hint: dict | None, label: str | None, negs: list, rng, honoured, missed) -> str:
    """One blended key: the hint's exact key, else a draw narrowed by the hint's parts."""
    if hint and hint.get("key") in {i.key for i in pool}:
        honoured.append(f"{aspect}:{label}")
        return hint["key"]
    neg_specs = [_part_filter(aspect, s) for s in negs]
    base = [i for i in pool if not any(f(i) for f in neg_specs)] or list(pool)
    spec = {k: v for k, v in (hint or {}).items() if k != "key"}
    picks, ok = choose(base, rng, 1, _part_filter(aspect, spec) if spec else None)
    if spec:
        (honoured if ok else missed).append(f"{aspect}:{label}")
    return picks[0].key


def _spec(aspect: str, value, cfg: InterpretationConfig) -> dict | None:
    """The parts a hint asks for: an exact registry key, or a filter from the config."""
    if value is None:
        return None
    if aspect == "camera":
        spec = {}
        if value.get("key"):
            spec["key"] = value["key"]
        if value.get("motion"):
            spec["motion"] = [value["motion"]]
        if value.get("speed"):
            spec["speed"] = [value["speed"]]
        return spec
    if aspect == "gradient":
        try:
            parse_blended("gradient", value)
            return {"key": value}
        except ValueError:
            return {"type": [value]}
    table = cfg.filters.get(aspect, {})
    if value in table:
        return {k: (v if isinstance(v, list) else [v]) for k, v in table[value].items()}
    try:
        parse_blended(aspect, value)
        return {"key": value}
    except ValueError:
        return None


def _neg_specs(aspect: str, ins: dict, cfg: InterpretationConfig) -> list[dict]:
    out = []
    for n in _negated(ins, aspect):
        value = {"motion": n["value"]} if aspect == "camera" else n["value"]
        spec = _spec(aspect, value, cfg)
        if spec:
            if "key" in spec:
                key = spec.pop("key")
                parts = parse_blended(aspect, key)
                spec = {k: ([v, v] if isinstance(v, float) else [v]) for k, v in parts.items()}
            out.append(spec)
    return out


def _plan_sounds(pools: Pools, ins: dict, rng, honoured, missed) -> tuple[SoundChoice, ...]:
    banned = {n["value"] for n in _negated(ins, "sound")}
    pool = [i for i in pools.sound if sound_timbre(i.key) not in banned] or list(pools.sound)
    wanted = [t for t in ins.get("sounds", []) if t not in banned]
    chosen: list[PoolItem] = []
    for t in wanted[:4]:
        picks, ok = choose(pool, rng, 1, lambda i, t=t: sound_timbre(i.key) == t)
        (honoured if ok else missed).append(f"sound:{t}")
        if ok:
            chosen += picks
    if not wanted:
        count = int(rng.integers(1, 4))
        while len(chosen) < count:
            have = {sound_timbre(c.key) for c in chosen}
            rest = [i for i in pool if sound_timbre(i.key) not in have]
            if not rest:
                break
            chosen += choose(rest, rng, 1)[0]
    out = []
    for item in chosen:
        timbre = sound_timbre(item.key)
        amp = sound_amplitude(item.key)
        strength = 0.0 if timbre == "silence" else (amp if amp and amp >= 0.02 else float(rng.uniform(0.05, 0.3)))
        out.append(SoundChoice(item.key, item.name, timbre, min(0.5, strength)))
    if len(out) > 1:  # silence mixed with sounds is nothing
        out = [s for s in out if s.timbre != "silence"] or out[:1]
    return tuple(out)


def plan_clip(
    pools: Pools, instruction: dict | None, cfg: InterpretationConfig, rng: np.random.Generator,
    seconds: float | None = None, default_seconds: float = 3.0,
) -> ClipPlan:
    ins = instruction or {}
    honoured: list[str] = []
    missed: list[str] = []
    palette = _plan_palette(pools, ins, cfg, rng, honoured, missed)
    choices = {}
    aspects = ["motion", "camera", "gradient", "lighting"] + (["composition"] if pools.composition else [])
    for aspect in aspects:
        value = ins.get(aspect)
        label = (value.get("motion") if isinstance(value, dict) else value)
        choices[aspect] = _plan_blended(
            aspect, getattr(pools, aspect), _spec(aspect, value, cfg), label,
            _neg_specs(aspect, ins, cfg), rng, honoured, missed,
        )
    sounds = _plan_sounds(pools, ins, rng, honoured, missed)
    secs = seconds if seconds is not None else ins.get("duration_s") or default_seconds
    return ClipPlan(
        palette, choices["motion"], choices["camera"], choices["gradient"], choices["lighting"],
        sounds, float(secs), tuple(honoured), tuple(missed), choices.get("composition", ""),
    )
