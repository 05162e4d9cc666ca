"""Separate a frame holding several origin noises into its components and their strengths.

Each sounding origin has a few spectral templates ("atoms"): band-power shapes learned once
from the procedural textures themselves (k-means over isolated frames of each origin, so
each origin's own variety, a hum at 50 or 60 Hz, a thump early or late in the frame, has an
atom of its own). A frame's band powers are explained as a non-negative sum of atoms with
multiplicative updates minimising the generalised KL divergence, which weighs the quiet
parts of a spectrum (the gaps between a hum's lines) as much as its peaks.

The fit alone over-explains: one origin's atoms soak up what another origin's variety
leaves over. So every origin the fit uses is then put to the test: the frame is refitted
without it, and the origin stays only if the fit gets clearly worse (the divergence rises
by at least ``KEEP_RISE`` of the frame's power). Powers of independent sounds add, so a
kept origin's fitted power is its share of the frame's mean square and its strength is the
square root: its RMS in the frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from engine.discovery.sound_features import spectra
from engine.discovery.sound_synth import ORIGIN_NOISES, SAMPLE_RATE, texture

SOUNDING = ORIGIN_NOISES[1:]
ATOMS_PER_ORIGIN = {
    "rumble": 6, "hum": 6, "tone": 6, "hiss": 4, "rustle": 6,
    "thump": 8, "click": 8, "whoosh": 8, "drip": 8,
}
TRAINING_SEED = 20_240_601
TRAINING_SECONDS = 24.0
TRAINING_CLIPS = 24  # each clip draws its own pitch, mains frequency, timings
FIT_ITERATIONS = 80
REFIT_ITERATIONS = 20
KEEP_RISE = 0.01


@dataclass(frozen=True)
class Dictionary:
    atoms: np.ndarray  # (B, K) band-power shapes, each column sums to 1
    origin_of_atom: np.ndarray  # (K,) index into SOUNDING


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 30) -> np.ndarray:
    centres = x[rng.choice(len(x), size=k, replace=False)]
    for _ in range(rounds):
        d = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2)
        label = d.argmin(axis=1)
        for j in range(k):
            if (label == j).any():
                centres[j] = x[label == j].mean(axis=0)
    return centres


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """The atoms, learned deterministically from the textures (cached per process)."""
    rng = np.random.default_rng(TRAINING_SEED)
    atoms, owners = [], []
    n = int(TRAINING_SECONDS * SAMPLE_RATE)
    for index, origin in enumerate(SOUNDING):
        clips = [texture(origin, n // TRAINING_CLIPS, rng) for _ in range(TRAINING_CLIPS)]
        bands = spectra(np.concatenate(clips)).bands.astype(np.float64)
        total = bands.sum(axis=1)
        keep = total > 0.01 * total.max()
        shapes = bands[keep] / total[keep, None]
        centres = _kmeans(np.sqrt(shapes), ATOMS_PER_ORIGIN[origin], rng) ** 2
        centres /= centres.sum(axis=1, keepdims=True)
        atoms.append(centres)
        owners += [index] * len(centres)
    return Dictionary(atoms=np.concatenate(atoms).T.astype(np.float32), origin_of_atom=np.asarray(owners))


def _kl(v: np.ndarray, wh: np.ndarray) -> np.ndarray:
    return (v * np.log(v / wh) - v + wh).sum(axis=0)


def _update(w: np.ndarray, wsum: np.ndarray, v: np.ndarray, h: np.ndarray, rounds: int):
    for _ in range(rounds):
        h *= (w.T @ (v / (w @ h + 1e-15))) / wsum
    return h


@dataclass(frozen=True)
class Separation:
    power: np.ndarray  # (N, origins): kept origins' fitted power (mean square) per frame
    spectrum_peak_hz: np.ndarray  # (N, origins): where each origin's fitted power peaks


def separate(bands: np.ndarray) -> Separation:
    """Components of every frame at once, from its band powers (N, B)."""
    from engine.discovery.sound_features import band_centres_hz

    d = dictionary()
    w = d.atoms
    v = bands.astype(np.float32).T + np.float32(1e-12)
    n_atoms = w.shape[1]
    wsum = w.sum(axis=0)[:, None]
    mass = v.sum(axis=0)
    h = _update(w, wsum, v, np.full((n_atoms, v.shape[1]), 1.0 / n_atoms, np.float32) * mass,
                FIT_ITERATIONS)
    base = _kl(v, w @ h + 1e-15)
    per_origin = np.zeros((len(SOUNDING), v.shape[1]))
    np.add.at(per_origin, d.origin_of_atom, h)
    keep = np.zeros_like(per_origin, dtype=bool)
    peaks = np.zeros_like(per_origin)
    centres = band_centres_hz()
    for k in range(len(SOUNDING)):
        own = d.origin_of_atom == k
        cols = np.nonzero(per_origin[k] > 1e-3 * mass)[0]
        if len(cols) == 0:
            continue
        hk = h[:, cols].copy()
        hk[own] = 0.0
        hk = _update(w, wsum, v[:, cols], hk, REFIT_ITERATIONS)
        rise = (_kl(v[:, cols], w @ hk + 1e-15) - base[cols]) / mass[cols]
        keep[k, cols] = rise >= KEEP_RISE
        peaks[k, cols] = centres[(w[:, own] @ h[own][:, cols]).argmax(axis=0)]
    return Separation(power=(per_origin * keep).T, spectrum_peak_hz=peaks.T)
