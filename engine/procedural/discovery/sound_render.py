"""Sound of a registry entry, re-synthesised from its key, for listening and drawing.

A component key (``0.12_low_hum``) is its origin noise at that RMS; a composite key
(components joined by ``+``) is the sum of its components, each also given on its own so
they can be heard one by one; an origin entry (key ``hum``) is that noise at a moderate
level. The same key always renders the same samples.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from engine.procedural.creation.sound_synth import ORIGIN_NOISES, SAMPLE_RATE, synthesise
from engine.procedural.discovery.sound_extract import COMPOSITE_SEPARATOR
from engine.procedural.discovery.sound_features import BIN_HZ, spectra
from engine.procedural.registries.keys import RegistryKeyError, parse_sound_key

ORIGIN_LEVEL = 0.2  # RMS an origin entry is played at


@dataclass(frozen=True)
class SoundPart:
    label: str  # "hum 0.12 (low)"
    key: str
    timbre: str
    strength: float
    samples: np.ndarray


@dataclass(frozen=True)
class RenderedSound:
    key: str
    samples: np.ndarray  # float32 mono at SAMPLE_RATE
    parts: tuple[SoundPart, ...]  # the components, loudest first (one for a plain sound)

    @property
    def rate(self) -> int:
        return SAMPLE_RATE

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def components_of(key: str) -> list[tuple[str, float, str, str]]:
    """(timbre, strength, tone, component key) for each part of a sound key, as written."""
    if key in ORIGIN_NOISES:
        return [(key, 0.0 if key == "silence" else ORIGIN_LEVEL, "", key)]
    out = []
    for part in key.split(COMPOSITE_SEPARATOR):
        amp, tone, timbre = parse_sound_key(part)
        out.append((timbre, amp, tone, part))
    return out


def describe(key: str) -> str:
    """'hum 0.12 + hiss 0.05' for a composite, 'hum 0.12' for one sound, 'origin' for an origin."""
    if key in ORIGIN_NOISES:
        return "origin noise"
    try:
        return " + ".join(f"{t} {a:.2f}" for t, a, _tone, _k in components_of(key))
    except RegistryKeyError:
        return "?"


def render(key: str, seconds: float = 2.0) -> RenderedSound:
    """Samples of the sound a key stands for; raises RegistryKeyError for a key that is not one."""
    parts = []
    rng = np.random.default_rng(zlib.crc32(key.encode("utf-8")))
    for timbre, amp, tone, part_key in components_of(key):
        mix = synthesise((timbre,), (amp,), seconds, rng)
        label = f"{timbre} {amp:.2f}" + (f" ({tone})" if tone else "")
        parts.append(SoundPart(label, part_key, timbre, amp, mix.samples))
    parts.sort(key=lambda p: -p.strength)
    total = np.sum([p.samples for p in parts], axis=0).astype(np.float32)
    return RenderedSound(key, total, tuple(parts))


def spectrum_db(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(frequency Hz, level dB) of the mean power over the sound's frames, DC left out."""
    power = spectra(samples).power.mean(axis=0)[1:]
    freqs = np.arange(1, len(power) + 1) * BIN_HZ
    return freqs, 10 * np.log10(np.maximum(power, 1e-12))


def envelope(samples: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-column minimum and maximum of the samples, for drawing a waveform ``columns`` wide."""
    x = np.asarray(samples, dtype=np.float32)
    columns = max(1, min(columns, len(x))) if len(x) else 1
    if len(x) == 0:
        return np.zeros(1), np.zeros(1)
    edges = np.linspace(0, len(x), columns + 1).astype(int)
    lo = np.minimum.reduceat(x, edges[:-1])
    hi = np.maximum.reduceat(x, edges[:-1])
    return lo, hi
