"""Pure sounds per frame (1/24 s): level, band, descriptors and separated components.

Each frame yields its amplitude (RMS), its band (low/mid/high/silent via the registry's
``tone_for``), spectral descriptors, and the origin noises it holds with their strengths.
Every component gets a Pure sound key (``0.12_low_hum``); a frame holding several gets a
composite key joining its components' keys, loudest first, with ``+``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.discovery.sound_features import band_centres_hz, descriptors, spectra
from engine.discovery.sound_separation import SOUNDING, separate
from engine.registries.keys import SILENT_BELOW, sound_key, tone_for

COMPONENT_FLOOR = 0.02  # RMS: quieter components are not reported
COMPOSITE_SEPARATOR = "+"


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


def _amp(x: float) -> float:
    return min(1.0, max(0.0, float(x)))


def extract_sound(samples: np.ndarray) -> list[FrameSound]:
    """Every whole or trailing partial frame of mono float samples at 48 kHz."""
    s = spectra(samples)
    if len(s.frames) == 0:
        return []
    desc = descriptors(s)
    sep = separate(s.bands)
    strength = np.sqrt(sep.power)
    peak_hz = band_centres_hz()[s.bands.argmax(axis=1)]
    out = []
    for i in range(len(s.frames)):
        amplitude = _amp(desc.rms[i])
        components: list[SoundComponent] = []
        if amplitude >= SILENT_BELOW:
            order = np.argsort(-strength[i])
            for k in order:
                st = strength[i, k]
                if st < COMPONENT_FLOOR:
                    break
                tone = tone_for(st, sep.spectrum_peak_hz[i, k])
                components.append(
                    SoundComponent(SOUNDING[k], float(st), tone, sound_key(_amp(st), tone, SOUNDING[k]))
                )
        if not components:
            components.append(
                SoundComponent("silence", amplitude, "silent", sound_key(amplitude, "silent", "silence"))
            )
        out.append(
            FrameSound(
                index=i,
                amplitude=amplitude,
                tone=tone_for(amplitude, float(peak_hz[i])),
                centroid_hz=float(desc.centroid_hz[i]),
                flatness=float(desc.flatness[i]),
                low=float(desc.low[i]),
                mid=float(desc.mid[i]),
                high=float(desc.high[i]),
                onset=float(desc.onset[i]),
                periodicity=float(desc.periodicity[i]),
                components=tuple(components),
            )
        )
    return out
