"""Separate a frame holding several origin noises into its components and their strengths.

Each frame is described by two band-power vectors: its own, and the median of the band
powers of the frames around it (``CONTEXT`` either side). Steady noises (hum, rumble, tone,
hiss) look the same in both; short events (a thump, a click, a drip) vanish from the
median. That is what tells a thump from the rumble under it, or a click from hiss, when
one frame's spectrum alone cannot (an 83 ms frame has only eight bins below 200 Hz).

Each sounding origin has a few templates ("atoms") in that joint space, learned once from
the procedural textures themselves (k-means over isolated frames of each origin, so each
origin's own variety, a hum at 50 or 60 Hz, a thump early or late in the frame, has an atom
of its own). A frame is explained as a non-negative sum of atoms with multiplicative
updates minimising the generalised KL divergence, which weighs the quiet parts of a
spectrum (the gaps between a hum's lines) as much as its peaks.

The fit alone over-explains: one origin's atoms soak up what another origin's variety
leaves over. So every origin the fit uses is then put to the test: the frame is refitted
without it, and the origin stays only if the fit gets clearly worse (the divergence rises
by at least ``KEEP_RISE`` of the frame's power). Powers of independent sounds add, so a
kept origin's fitted power in the frame's own half is its share of the frame's mean square
and its strength is the square root: its RMS in the frame.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine.procedural.creation import sound_synth
from engine.procedural.creation.sound_synth import ORIGIN_NOISES, SAMPLE_RATE, texture
from engine.procedural.discovery import sound_features
from engine.procedural.discovery.sound_features import band_centres_hz, spectra

SOUNDING = ORIGIN_NOISES[1:]
ATOMS_PER_ORIGIN = {
    "rumble": 6, "hum": 6, "tone": 6, "hiss": 4, "rustle": 6,
    "thump": 8, "click": 8, "whoosh": 14, "drip": 8,
}
TRAINING_SEED = 20_240_601
TRAINING_SECONDS = 24.0
TRAINING_CLIPS = 24  # each clip draws its own pitch, mains frequency, timings
CONTEXT = 3  # frames either side whose median describes the steady part of a frame
FIT_ITERATIONS = 30  # the fit settles well before: 80 rounds changed no decision
REFIT_ITERATIONS = 8
# An atom's power (mean square) below this is no part of the frame (RMS 1e-9: -180 dB). The
# fit drives unused atoms towards zero, and left to go on they reach float32's subnormal
# range, where every product with them is several times slower than an ordinary one: four
# fifths of the fit's time went there. Set to zero they stay zero and cost nothing. An
# ordinary atom value times this is still an ordinary number.
ABSENT = np.float32(1e-18)
KEEP_RISE = {  # short events hide more easily in the variance of a steady noise
    "rumble": 0.01, "hum": 0.01, "tone": 0.04, "hiss": 0.01, "rustle": 0.01,
    "thump": 0.06, "click": 0.06, "whoosh": 0.01, "drip": 0.06,
}


def features(bands: np.ndarray) -> np.ndarray:
    """(N, 2B): each frame's band powers, then the median over its neighbourhood."""
    bands = np.asarray(bands, dtype=np.float32)
    n = len(bands)
    if n == 0:
        return np.zeros((0, 2 * bands.shape[1]), np.float32)
    pad = np.pad(bands, ((CONTEXT, CONTEXT), (0, 0)), mode="reflect" if n > CONTEXT else "edge")
    windows = sliding_window_view(pad, 2 * CONTEXT + 1, axis=0)  # (N, B, 2C+1)
    context = np.median(windows, axis=2)
    return np.concatenate([bands, context.astype(np.float32)], axis=1)


@dataclass(frozen=True)
class Dictionary:
    atoms: np.ndarray  # (2B, K) shapes; each column's own-frame half sums to 1
    origin_of_atom: np.ndarray  # (K,) index into SOUNDING
    own_bands: int  # B: rows of the frame's own half


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 30) -> np.ndarray:
    centres = x[rng.choice(len(x), size=k, replace=False)]
    for _ in range(rounds):
        d = ((x[:, None, :] - centres[None]) ** 2).sum(axis=2)
        label = d.argmin(axis=1)
        for j in range(k):
            if (label == j).any():
                centres[j] = x[label == j].mean(axis=0)
    return centres


ATOMS_FILE = Path(__file__).with_name("sound_atoms.npz")
_LEARNED_FROM = (sound_synth, sound_features)  # the modules that make and read the textures


def recipe() -> str:
    """What the atoms are learned from: the training settings and the code that makes and
    reads the textures. Shipped atoms are used only while this is unchanged."""
    sources = [Path(module.__file__).read_bytes() for module in _LEARNED_FROM]
    sources += [inspect.getsource(f).encode() for f in (features, _kmeans, learn_dictionary)]
    code = hashlib.sha256(b"".join(sources)).hexdigest()
    return json.dumps({"code": code, "seed": TRAINING_SEED, "seconds": TRAINING_SECONDS,
                       "clips": TRAINING_CLIPS, "context": CONTEXT, "atoms": ATOMS_PER_ORIGIN}, sort_keys=True)


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """The atoms: shipped with the package (learning them costs a one-shot run more than the
    work), or learned now when the recipe has changed since they were written."""
    return _shipped() or learn_dictionary()


def _shipped() -> Dictionary | None:
    try:
        with np.load(ATOMS_FILE) as data:
            if str(data["recipe"]) != recipe():
                return None
            return Dictionary(atoms=data["atoms"], origin_of_atom=data["origin_of_atom"],
                              own_bands=int(data["own_bands"]))
    except (OSError, KeyError, ValueError):
        return None


def write_atoms(path: Path = ATOMS_FILE) -> None:
    """Learn the atoms and write them beside this module (run after changing the recipe:
    python -m engine.procedural.discovery.sound_separation)."""
    d = learn_dictionary()
    with path.open("wb") as f:  # np.savez would add .npz to a name without it
        np.savez(f, atoms=d.atoms, origin_of_atom=d.origin_of_atom, own_bands=d.own_bands,
                 recipe=np.str_(recipe()))


def learn_dictionary() -> Dictionary:
    """The atoms, learned deterministically from the textures."""
    rng = np.random.default_rng(TRAINING_SEED)
    atoms, owners = [], []
    n = int(TRAINING_SECONDS * SAMPLE_RATE)
    own = 0
    for index, origin in enumerate(SOUNDING):
        feats = []
        for _ in range(TRAINING_CLIPS):
            clip = texture(origin, n // TRAINING_CLIPS, rng)
            feats.append(features(spectra(clip).bands).astype(np.float64))
        x = np.concatenate(feats)
        own = x.shape[1] // 2
        total = x[:, :own].sum(axis=1)
        keep = total > 0.01 * total.max()
        shapes = x[keep] / total[keep, None]
        centres = _kmeans(np.sqrt(shapes), ATOMS_PER_ORIGIN[origin], rng) ** 2
        centres /= centres[:, :own].sum(axis=1, keepdims=True)
        atoms.append(centres)
        owners += [index] * len(centres)
    return Dictionary(
        atoms=np.concatenate(atoms).T.astype(np.float32),
        origin_of_atom=np.asarray(owners),
        own_bands=own,
    )


def _kl(v: np.ndarray, wh: np.ndarray) -> np.ndarray:
    return (v * np.log(v / wh) - v + wh).sum(axis=0)


def _update(w: np.ndarray, wsum: np.ndarray, v: np.ndarray, h: np.ndarray, rounds: int):
    wt = np.ascontiguousarray(w.T / wsum)  # dividing by the atoms' sums once, not per round
    for _ in range(rounds):
        ratio = w @ h
        ratio += 1e-15
        np.divide(v, ratio, out=ratio)
        h *= wt @ ratio
        h[h < ABSENT] = 0.0
    return h


@dataclass(frozen=True)
class Separation:
    power: np.ndarray  # (N, origins): kept origins' fitted power (mean square) per frame
    spectrum_peak_hz: np.ndarray  # (N, origins): where each origin's fitted power peaks


def separate(bands: np.ndarray) -> Separation:
    """Components of every frame of one clip at once, from its band powers (N, B) in order."""
    d = dictionary()
    w = d.atoms
    v = features(bands).T + np.float32(1e-12)
    n_atoms = w.shape[1]
    wsum = w.sum(axis=0)[:, None]
    mass = v.sum(axis=0)
    h = _update(w, wsum, v, np.full((n_atoms, v.shape[1]), 1.0 / n_atoms, np.float32) * mass,
                FIT_ITERATIONS)
    base = _kl(v, w @ h + 1e-15)
    per_origin = np.zeros((len(SOUNDING), v.shape[1]))
    for atom, origin in enumerate(d.origin_of_atom.tolist()):  # in atom order, as np.add.at would add
        per_origin[origin] += h[atom]
    keep = np.zeros_like(per_origin, dtype=bool)
    peaks = np.zeros_like(per_origin)
    centres = band_centres_hz()
    own_rows = w[: d.own_bands]
    for k in range(len(SOUNDING)):
        own = d.origin_of_atom == k
        cols = np.nonzero(per_origin[k] > 1e-3 * mass)[0]
        if len(cols) == 0:
            continue
        hk = h[:, cols].copy()
        hk[own] = 0.0
        hk = _update(w, wsum, v[:, cols], hk, REFIT_ITERATIONS)
        rise = (_kl(v[:, cols], w @ hk + 1e-15) - base[cols]) / mass[cols]
        keep[k, cols] = rise >= KEEP_RISE[SOUNDING[k]]
        peaks[k, cols] = centres[(own_rows[:, own] @ h[own][:, cols]).argmax(axis=0)]
    return Separation(power=(per_origin * keep).T, spectrum_peak_hz=peaks.T)


if __name__ == "__main__":
    write_atoms()
