"""The sound templates shipped with the package are the ones the textures teach."""

import numpy as np

from engine.procedural.creation.sound_synth import random_mix
from engine.procedural.discovery import sound_separation as sep
from engine.procedural.discovery.sound_extract import extract_sound
from engine.procedural.discovery.sound_features import spectra


def test_shipped_atoms_are_the_learned_ones():
    shipped = sep._shipped()
    assert shipped is not None, "sound_atoms.npz is stale: python -m engine.procedural.discovery.sound_separation"
    learned = sep.learn_dictionary()
    assert np.array_equal(shipped.atoms, learned.atoms)
    assert np.array_equal(shipped.origin_of_atom, learned.origin_of_atom)
    assert shipped.own_bands == learned.own_bands


def test_a_changed_recipe_learns_anew(tmp_path, monkeypatch):
    path = tmp_path / "atoms.npz"
    sep.write_atoms(path)
    monkeypatch.setattr(sep, "ATOMS_FILE", path)
    assert sep._shipped() is not None
    monkeypatch.setattr(sep, "TRAINING_SEED", sep.TRAINING_SEED + 1)
    assert sep._shipped() is None  # the atoms no longer match what the code would learn


def test_sounds_found_with_freshly_learned_templates_are_the_same(tmp_path, monkeypatch):
    mix = random_mix(np.random.default_rng(5), seconds=2.0)
    sep.dictionary.cache_clear()
    with_shipped = extract_sound(mix.samples)
    monkeypatch.setattr(sep, "ATOMS_FILE", tmp_path / "missing.npz")  # nothing shipped: learned now
    sep.dictionary.cache_clear()
    try:
        with_learned = extract_sound(mix.samples)
    finally:
        sep.dictionary.cache_clear()
    assert with_learned == with_shipped


def test_the_fit_lets_unused_templates_go_to_zero_not_to_subnormal_numbers():
    # subnormal floats make every product several times slower; a fit reaching them took
    # four fifths of extraction's time
    d = sep.dictionary()
    assert d.atoms[d.atoms > 0].min() * sep.ABSENT >= np.finfo(np.float32).tiny
    mix = random_mix(np.random.default_rng(6), seconds=3.0)
    v = sep.features(spectra(mix.samples).bands).T + np.float32(1e-12)
    n = d.atoms.shape[1]
    h = np.full((n, v.shape[1]), 1.0 / n, np.float32) * v.sum(axis=0)
    h = sep._update(d.atoms, d.atoms.sum(axis=0)[:, None], v, h, sep.FIT_ITERATIONS)
    assert (h == 0).any()  # unused templates did drop out
    assert not ((h > 0) & (h < np.finfo(np.float32).tiny)).any()
