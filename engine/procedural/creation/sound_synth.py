"""Procedural audio from the ten origin noises, with the truth of what was mixed.

Each origin has a physically sensible texture of its own, spread across the bands the
sound key measures (low < 200 Hz, mid < 2 kHz, high above):

========  =====  ==========================================================================
origin    band   texture
========  =====  ==========================================================================
silence   -      digital silence
rumble    low    deep noise, 20-90 Hz, slowly breathing (thunder, traffic through a wall)
hum       low    mains hum: 50 or 60 Hz with its first harmonics (a transformer, a fridge)
thump     low    an impact: a sine gliding 130 -> 50 Hz, 45 ms decay, every 0.3-0.8 s
tone      mid    a steady musical note (C4..E5) with two weak harmonics
whoosh    mid    noise through a band-pass sweeping 300 -> 1600 Hz while it swells
drip      mid    a water drop: a 60 ms blip gliding 900 -> 1500 Hz, every 0.4-0.9 s
click     high   a tick: a 3 kHz resonance ringing ~3 ms, every 0.12-0.4 s
rustle    high   crackling bursts of 2-7 kHz noise (leaves, paper)
hiss      high   steady noise, flat from 2 kHz to 20 kHz (steam, tape)
========  =====  ==========================================================================

A component's strength is its RMS level while it sounds. The mix is the plain sum; the
truth gives each component's RMS in every frame (1/24 s = 2000 samples), which is what
the extractor estimates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 48_000
FRAMES_PER_SECOND = 24
FRAME_SAMPLES = SAMPLE_RATE // FRAMES_PER_SECOND

ORIGIN_NOISES = (
    "silence", "rumble", "hum", "tone", "hiss", "rustle", "thump", "click", "whoosh", "drip",
)
TONE_PITCHES_HZ = (261.6, 329.6, 392.0, 440.0, 523.3, 659.3)
HUM_MAINS_HZ = (50.0, 60.0)
HUM_HARMONICS = (1.0, 0.55, 0.35, 0.22, 0.12)


@dataclass(frozen=True)
class Mix:
    """Samples of a procedural mix and the truth about what is in it."""

    samples: np.ndarray  # float32, mono, SAMPLE_RATE
    noises: tuple[str, ...]  # the origins mixed, in the order given
    strengths: tuple[float, ...]  # each origin's RMS level while it sounds
    frame_rms: np.ndarray  # (frames, len(noises)): each component's RMS in each frame

    @property
    def frames(self) -> int:
        return self.frame_rms.shape[0]

    def active(self, threshold: float = 0.01) -> np.ndarray:
        """(frames, noises) bool: where each component is at least ``threshold`` RMS."""
        return self.frame_rms >= threshold


def _band_noise(rng: np.random.Generator, n: int, lo: float, hi: float, tilt: float = 0.0):
    """White noise limited to lo..hi Hz (power tilted by f**tilt), in the frequency domain."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    gain = ((f >= lo) & (f <= hi)).astype(float)
    if tilt:
        gain *= (np.maximum(f, lo) / lo) ** (tilt / 2)
    return np.fft.irfft(spec * gain, n)


def _events(rng: np.random.Generator, n: int, gap_s: tuple[float, float]) -> np.ndarray:
    """Event onsets (sample indices) with random gaps, the first within one gap."""
    onsets = []
    t = rng.uniform(0.0, gap_s[1])
    while t * SAMPLE_RATE < n:
        onsets.append(int(t * SAMPLE_RATE))
        t += rng.uniform(*gap_s)
    return np.asarray(onsets, dtype=int)


def _place(n: int, onsets: np.ndarray, blip: np.ndarray) -> np.ndarray:
    out = np.zeros(n + len(blip))
    for o in onsets:
        out[o : o + len(blip)] += blip
    return out[:n]


def _blip(f0: float, f1: float, dur: float, tau: float, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(dur * SAMPLE_RATE)) / SAMPLE_RATE
    freq = f0 * (f1 / f0) ** (t / dur)  # exponential glide
    ph = 2 * np.pi * np.cumsum(freq) / SAMPLE_RATE + phase
    attack = np.minimum(1.0, t / 0.0008)
    return np.sin(ph) * np.exp(-t / tau) * attack


def texture(origin: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of one origin's texture, RMS 1 over the samples where it sounds."""
    t = np.arange(n) / SAMPLE_RATE
    if origin == "silence":
        return np.zeros(n)
    if origin == "rumble":
        x = _band_noise(rng, n, 20.0, 90.0, tilt=-1.0)
        x *= 1.0 + 0.25 * np.sin(2 * np.pi * rng.uniform(0.2, 0.5) * t + rng.uniform(0, 6.3))
    elif origin == "hum":
        f0 = HUM_MAINS_HZ[rng.integers(len(HUM_MAINS_HZ))]
        x = sum(
            a * np.sin(2 * np.pi * f0 * (k + 1) * t + rng.uniform(0, 2 * np.pi))
            for k, a in enumerate(HUM_HARMONICS)
        )
    elif origin == "tone":
        f0 = TONE_PITCHES_HZ[rng.integers(len(TONE_PITCHES_HZ))]
        x = sum(
            a * np.sin(2 * np.pi * f0 * (k + 1) * t + rng.uniform(0, 2 * np.pi))
            for k, a in enumerate((1.0, 0.3, 0.1))
        )
    elif origin == "hiss":
        x = _band_noise(rng, n, 2000.0, 20000.0)
    elif origin == "rustle":
        carrier = _band_noise(rng, n, 2000.0, 7000.0)
        env = np.zeros(n)
        for o in _events(rng, n, (0.015, 0.06)):
            length = int(rng.uniform(0.008, 0.03) * SAMPLE_RATE)
            env[o : o + length] += rng.uniform(0.5, 1.0) * np.hanning(length)[: n - o]
        x = carrier * env
    elif origin == "thump":
        blip = _blip(130.0, 50.0, 0.25, 0.045)
        x = _place(n, _events(rng, n, (0.3, 0.8)), blip)
    elif origin == "click":
        blip = _blip(3000.0, 3000.0, 0.015, 0.003)
        x = _place(n, _events(rng, n, (0.12, 0.4)), blip)
    elif origin == "whoosh":
        x = np.zeros(n)
        for o in _events(rng, n, (0.5, 1.1)):
            length = min(int(rng.uniform(0.35, 0.6) * SAMPLE_RATE), n - o)
            if length < 64:
                continue
            x[o : o + length] += _sweep(rng, length)
    elif origin == "drip":
        blip = _blip(900.0, 1500.0, 0.06, 0.02)
        x = _place(n, _events(rng, n, (0.4, 0.9)), blip)
    else:
        raise ValueError(f"unknown origin noise {origin!r}: expected one of {ORIGIN_NOISES}")
    return _normalise(x)


def _sweep(rng: np.random.Generator, length: int) -> np.ndarray:
    """A whoosh: noise band-passed around a centre sweeping 300 -> 1600 Hz, under a swell."""
    hop = 500
    chunks = -(-length // hop)
    noise = rng.standard_normal(chunks * hop + hop)
    out = np.zeros(chunks * hop + hop)
    win = np.hanning(2 * hop)
    f = np.fft.rfftfreq(2 * hop, 1.0 / SAMPLE_RATE)
    for i in range(chunks):
        centre = 300.0 * (1600.0 / 300.0) ** (i / max(chunks - 1, 1))
        gain = np.exp(-0.5 * (np.log2(np.maximum(f, 1.0) / centre) / 0.35) ** 2)
        seg = np.fft.irfft(np.fft.rfft(noise[i * hop : i * hop + 2 * hop] * win) * gain)
        out[i * hop : i * hop + 2 * hop] += seg
    return out[:length] * np.hanning(length) ** 0.5


def _normalise(x: np.ndarray) -> np.ndarray:
    frames = _frame_rms(x)
    sounding = frames > 0.05 * frames.max() if frames.size and frames.max() > 0 else frames > 0
    if not sounding.any():
        return np.zeros_like(x)
    level = np.sqrt(np.mean(frames[sounding] ** 2))
    return x / level


def _frame_rms(x: np.ndarray) -> np.ndarray:
    n = len(x) // FRAME_SAMPLES
    return np.sqrt(np.mean(x[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES) ** 2, axis=1))


def synthesise(
    noises: tuple[str, ...] | list[str],
    strengths: tuple[float, ...] | list[float],
    seconds: float,
    rng: np.random.Generator,
) -> Mix:
    """Mix 1 to 4 origin noises at the given strengths (RMS while sounding) for ``seconds``.

    Deterministic for a given generator state. The clip is a whole number of frames.
    """
    if not 1 <= len(noises) <= 4:
        raise ValueError(f"a mix holds 1 to 4 origin noises, got {len(noises)}")
    if len(noises) != len(strengths):
        raise ValueError(f"{len(noises)} noises but {len(strengths)} strengths")
    for name in noises:
        if name not in ORIGIN_NOISES:
            raise ValueError(f"unknown origin noise {name!r}: expected one of {ORIGIN_NOISES}")
    n = max(1, round(seconds * FRAMES_PER_SECOND)) * FRAME_SAMPLES
    parts = [texture(name, n, rng) * float(s) for name, s in zip(noises, strengths, strict=True)]
    samples = np.sum(parts, axis=0)
    frame_rms = np.stack([_frame_rms(p) for p in parts], axis=1)
    return Mix(
        samples=samples.astype(np.float32),
        noises=tuple(noises),
        strengths=tuple(float(s) for s in strengths),
        frame_rms=frame_rms,
    )


def random_mix(
    rng: np.random.Generator,
    seconds: float = 1.0,
    max_noises: int = 3,
    strength_range: tuple[float, float] = (0.05, 0.3),
) -> Mix:
    """A random mix: silence alone, or 1..max_noises distinct sounding origins."""
    sounding = ORIGIN_NOISES[1:]
    count = int(rng.integers(1, max_noises + 1))
    if rng.random() < 1 / (len(ORIGIN_NOISES) * 3):
        return synthesise(("silence",), (0.0,), seconds, rng)
    picks = rng.choice(len(sounding), size=count, replace=False)
    noises = tuple(sounding[i] for i in picks)
    strengths = tuple(float(s) for s in rng.uniform(*strength_range, size=count))
    return synthesise(noises, strengths, seconds, rng)
