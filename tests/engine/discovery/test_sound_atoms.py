"""The sound templates shipped with the package are the ones the textures teach."""

import numpy as np

from engine.procedural.discovery import sound_separation as sep


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
