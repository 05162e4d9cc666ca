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


def _motion_keys(level_from: float, count: int) -> list[tuple[str, str, str]]:
    """Motions of one shape (same speed band, trend, direction and rhythm), as a long
    discovery run over a busy registry finds them."""
    return [("blended", "motion", f"{level_from + i / 10:.1f}_increasing_right_wave") for i in range(count)]


def test_a_shape_with_thousands_of_values_still_gets_distinct_readable_names():
    from engine.procedural.registries.gibberish import is_gibberish
    from engine.procedural.registries.names import NamePicker

    picker = NamePicker()
    keys = _motion_keys(220.0, 6000)
    names = [picker.pick(*k) for k in keys]
    assert len(set(names)) == len(names)
    assert [(k, n) for k, n in zip(keys, names, strict=True) if is_gibberish(n) or name_problem(*k, n)] == []
    # the stream never comes round again: past Nine Hundred Ninety Nine the numbers go on
    # in words, never in digits
    from itertools import islice

    from engine.procedural.registries.names import candidates

    stream = list(islice(candidates(*keys[0]), 30_000))
    assert len(set(stream)) == len(stream) == 30_000
    assert any("Thousand" in n for n in stream) and not any(is_gibberish(n) for n in stream)


def test_the_batch_picker_names_each_entry_as_pick_name_would_in_turn():
    from engine.procedural.registries.names import NamePicker

    keys = _motion_keys(230.0, 1500) + [("pure", "colour", f"0.2{i % 10},0.3{i % 7},0.6{i % 5}") for i in range(400)]
    taken: set[str] = set()
    picker = NamePicker()
    for k in keys:
        expected = pick_name(*k, lambda n: n in taken)
        taken.add(expected)
        assert picker.pick(*k) == expected
