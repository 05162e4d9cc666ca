import os
import subprocess
import sys

from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.families import colour_family
from engine.procedural.registries.name_check import name_problem
from engine.procedural.registries.names import pick_name
from engine.procedural.registries.query import entries
from engine.procedural.registries.record import observe


def test_same_value_same_state_same_name_across_processes():
    code = ("from engine.procedural.registries.names import pick_name;"
            "print(pick_name('pure','colour','100,100,150_1.0', lambda n: n in {'Flint'}),"
            " pick_name('blended','motion','3.5_steady_left_even', lambda n: False))")
    outs = set()
    for seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True).stdout)
    assert len(outs) == 1
    assert "Flint" not in outs.pop()


def test_grey_blue_is_named_from_its_family():
    assert colour_family(100, 100, 150).family == "blue"
    name = pick_name("pure", "colour", "100,100,150_1.0", lambda n: False)
    assert name.endswith(" Blue") and name_problem("pure", "colour", "100,100,150_1.0", name) is None


def test_names_are_unique_across_the_store(store):
    with store.write() as s:
        names = [observe(s, "pure", "colour", f"{r},100,150_1.0", source=SourceRef("job", "j")).name
                 for r in range(0, 251, 25)]
        names += [observe(s, "blended", "motion", f"{x / 10:.1f}_steady_none_even", source=SourceRef("job", "j")).name
                  for x in range(40)]
    with store.read() as s:
        all_names = [e.name for reg, asp in [("pure", "colour"), ("pure", "sound"), ("blended", "motion")]
                     for e in entries(s, reg, asp, with_sources=False)]
    assert len(all_names) == len(set(all_names))
    assert len(set(names)) == len(names)


def test_semantic_values_are_title_case_and_stay_unique(store):
    with store.write() as s:
        a = observe(s, "semantic", "genre", "Film_Noir", source=SourceRef("job", "j"))
        b = observe(s, "semantic", "style", "film noir", source=SourceRef("job", "j"))
    assert a.key == "film_noir" and a.name == "Film Noir"
    assert b.name == "Film Noir Style"
