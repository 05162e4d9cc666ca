"""Pure sounds per frame (1/24 s): level, band, descriptors and separated components.

Each frame yields its amplitude (RMS), its band (low/mid/high/silent via the registry's
``tone_for``), spectral descriptors, and the origin noises it holds with their strengths.
Every component gets a Pure sound key (``0.12_low_hum``); a frame holding several gets a
composite key joining its components' keys, loudest first, with ``+``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from engine.procedural.creation.sound_synth import FRAME_SAMPLES
from engine.procedural.discovery.sound_features import (
    FrameDescriptors,
    band_centres_hz,
    descriptors,
    spectra,
)
from engine.procedural.discovery.sound_separation import SOUNDING, separate
from engine.procedural.registries.keys import SILENT_BELOW, sound_key, tone_for

COMPONENT_FLOOR = 0.02  # RMS: quieter components are not reported
COMPOSITE_SEPARATOR = "+"
BLOCK_FRAMES = 64  # frames analysed at once: arrays of half a megabyte, near the processor
REUSE_BYTES = 8 << 20


@dataclass(frozen=True)
class SoundComponent:
    timbre: str  # an origin noise
    strength: float  # its RMS in the frame
    tone: str  # the band where its power peaks
    key: str


@dataclass(frozen=True)
class FrameSound:
    index: int
    amplitude: float  # RMS of the frame
    tone: str  # low / mid / high / silent: the band where the frame's power peaks
    centroid_hz: float
    flatness: float
    low: float  # energy shares of the three bands
    mid: float
    high: float
    onset: float  # loudest eighth of the frame over the mean (1 steady .. 8 a lone click)
    periodicity: float
    components: tuple[SoundComponent, ...]  # loudest first

    @property
    def key(self) -> str:
        """The frame's Pure key: its one component's key, or the composite of several."""
        return COMPOSITE_SEPARATOR.join(c.key for c in self.components)

    @property
    def is_composite(self) -> bool:
        return len(self.components) > 1


def _bands_of(amplitude: np.ndarray, peak_hz: np.ndarray) -> list[str]:
    """tone_for over arrays, computed once per frame and component."""
    return [tone_for(a, f) for a, f in zip(amplitude.tolist(), peak_hz.tolist(), strict=True)]


def _keep_freed_blocks_for_reuse() -> None:
    """Have the allocator keep the blocks' freed arrays for the next block.

    Until a process frees its first large allocation, glibc hands every freed megabyte back
    to the system and the next block waits for fresh zeroed pages again: a first call paid
    some 40,000 page faults, a third of its time, that later calls never see. Freeing one
    large, never-touched allocation (nothing is written, so it costs no pages) raises the
    allocator's thresholds as a process's first big free does anyway. Elsewhere a no-op."""
    del_now = np.empty(REUSE_BYTES, np.uint8)
    del del_now


def _analyse(samples: np.ndarray) -> tuple[np.ndarray, FrameDescriptors]:
    """Band powers and descriptors of every frame, worked out a block of frames at a time.

    Each frame's figures depend on that frame alone, so they are the same as over the whole
    clip at once; but a long clip's spectra at once are hundreds of megabytes of fresh memory,
    where blocks keep reusing a few and stay near the processor."""
    _keep_freed_blocks_for_reuse()
    step = BLOCK_FRAMES * FRAME_SAMPLES
    bands, descs = [], []
    for start in range(0, len(samples), step):
        s = spectra(samples[start:start + step])
        bands.append(s.bands)
        descs.append(descriptors(s))
    joined = {f.name: np.concatenate([getattr(d, f.name) for d in descs]) for f in fields(FrameDescriptors)}
    return np.concatenate(bands), FrameDescriptors(**joined)


def extract_sound(samples: np.ndarray) -> list[FrameSound]:
    """Every whole or trailing partial frame of mono float samples at 48 kHz."""
    samples = np.asarray(samples, dtype=np.float32).ravel()
    if len(samples) == 0:
        return []
    bands, desc = _analyse(samples)
    sep = separate(bands)
    strength = np.clip(np.sqrt(sep.power), 0.0, 1.0)
    amplitude = np.clip(desc.rms, 0.0, 1.0)
    frame_tone = _bands_of(amplitude, band_centres_hz()[bands.argmax(axis=1)])
    sounding = amplitude >= SILENT_BELOW
    columns = {
        name: getattr(desc, name).tolist()
        for name in ("centroid_hz", "flatness", "low", "mid", "high", "onset", "periodicity")
    }
    amps = amplitude.tolist()
    # the matrices read once as Python numbers (the same values), not element by element
    strengths, peaks = strength.tolist(), sep.spectrum_peak_hz.tolist()
    heard = (strength >= COMPONENT_FLOOR).tolist()
    out = []
    for i in range(len(bands)):
        components: list[SoundComponent] = []
        if sounding[i]:
            row, hears = strengths[i], heard[i]
            present = [k for k, yes in enumerate(hears) if yes]
            present.sort(key=lambda k: -row[k])  # stable: equal strengths keep the origins' order
            for k in present:
                st = row[k]
                tone = tone_for(st, peaks[i][k])
                components.append(SoundComponent(SOUNDING[k], st, tone, sound_key(st, tone, SOUNDING[k])))
        if not components:
            a = amps[i]
            components.append(SoundComponent("silence", a, "silent", sound_key(a, "silent", "silence")))
        out.append(
            FrameSound(
                index=i,
                amplitude=amps[i],
                tone=frame_tone[i],
                centroid_hz=columns["centroid_hz"][i],
                flatness=columns["flatness"][i],
                low=columns["low"][i],
                mid=columns["mid"][i],
                high=columns["high"][i],
                onset=columns["onset"][i],
                periodicity=columns["periodicity"][i],
                components=tuple(components),
            )
        )
    return out
