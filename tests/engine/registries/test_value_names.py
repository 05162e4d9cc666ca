"""Names that say what the value is: a person reading the name can guess the value."""

import itertools

import pytest

from engine.procedural.registries import colour_words as CW
from engine.procedural.registries import families as F
from engine.procedural.registries.backfill import backfill
from engine.procedural.registries.families import colour_family
from engine.procedural.registries.gibberish import gibberish_reason
from engine.procedural.registries.health import names_that_say_their_value
from engine.procedural.registries.importer import import_export
from engine.procedural.registries.name_check import meaning_problem, name_problem, name_words
from engine.procedural.registries.names import pick_name

from .conftest import EXPORT_17, EXPORT_21, real_export


@pytest.mark.parametrize("rgb, family", [
    ((100, 100, 150), "blue"), ((200, 75, 0), "orange"), ((0, 0, 0), "black"),
    ((250, 250, 250), "white"), ((125, 125, 125), "grey"), ((125, 50, 0), "brown"),
    ((250, 175, 200), "pink"), ((125, 0, 125), "purple"), ((0, 125, 125), "teal"),
    ((0, 175, 0), "green"), ((250, 250, 0), "yellow"), ((225, 0, 0), "red"), ((0, 0, 100), "blue"),
])
def test_a_colours_family_comes_from_its_rgb(rgb, family):
    assert colour_family(*rgb).family == family


@pytest.mark.parametrize("key, name, says", [
    ("100,100,150_1.0", "Flax", "'Flax' names a brown or yellow, the value is a greyish blue"),
    ("100,100,150_1.0", "Mint", "'Mint' names a green or teal, the value is a greyish blue"),
    ("200,75,0_1.0", "View", "'View' names no colour, the value is a vivid orange"),
    ("100,100,150_1.0", "Slate", "'Slate' does not say blue, the value is a greyish blue"),
])
def test_a_real_word_that_contradicts_the_colour_is_wrong_and_says_why(key, name, says):
    assert name_problem("pure", "colour", key, name) == says


@pytest.mark.parametrize("registry, aspect, key, name", [
    ("pure", "sound", "0.10_low_rumble", "Starridge"),
    ("pure", "sound", "0.00_silent_silence", "Lakesong"),
    ("pure", "sound", "0.10_low_rumble", "High Rumble"),
    ("blended", "motion", "3.1_steady", "Ashcrest"),
    ("blended", "motion", "3.1_steady", "Fast Steady Drift"),
    ("blended", "camera", "pan", "Leafwell"),
    ("blended", "camera", "dolly_slow_steady", "Slow Steady Pan"),
    ("semantic", "mood", "uplifting", "Wind"),
])
def test_names_that_do_not_say_the_value_are_found(registry, aspect, key, name):
    assert meaning_problem(registry, aspect, key, name)


@pytest.mark.parametrize("registry, aspect, key, words", [
    ("pure", "sound", "0.10_low_rumble", {"low", "rumble"}),
    ("pure", "sound", "0.50_high_hiss", {"high", "hiss"}),
    ("pure", "sound", "0.00_silent_silence", {"silence"}),
    ("pure", "sound", "0.10_low_hum+0.05_high_hiss", {"low", "hum", "high", "hiss"}),
    ("blended", "motion", "3.1_steady", {"moderate", "steady"}),
    ("blended", "motion", "1.0_increasing_vertical_pulsing", {"slow", "accelerating"}),
    ("blended", "motion", "9.5_decreasing_left_even", {"rapid", "slowing"}),
    ("blended", "camera", "pan", {"pan"}),
    ("blended", "camera", "dolly_slow_steady", {"slow", "steady", "dolly"}),
    ("blended", "camera", "whip_pan_fast_shaky", {"fast", "shaky", "whip", "pan"}),
    ("blended", "lighting", "dim_high_muted", {"dim", "muted"}),
])
def test_a_new_name_carries_the_words_of_its_value(registry, aspect, key, words):
    name = pick_name(registry, aspect, key, lambda n: False)
    assert words <= set(name_words(name)), name
    assert name_problem(registry, aspect, key, name) is None


def test_every_colour_cell_gets_a_name_that_says_its_family_unique_and_real():
    taken: set[str] = set()
    levels = range(0, 251, 50)
    for r, g, b in itertools.product(levels, levels, levels):
        for opacity in ("1.0", "0.5"):
            key = f"{r},{g},{b}_{opacity}"
            name = pick_name("pure", "colour", key, lambda n: n in taken)
            assert name not in taken
            assert name_problem("pure", "colour", key, name) is None, (key, name)
            taken.add(name)
    # a crowded family still gets real-word names that say it
    for i in range(120):
        key = f"{100 + (i % 4) * 25},{100 + (i % 4) * 25},150_{(i // 4) * 5 / 100}"
        name = pick_name("pure", "colour", key, lambda n: n in taken)
        assert name not in taken and gibberish_reason(name) is None
        taken.add(name)


def test_every_word_our_names_are_made_of_passes_our_own_checker():
    found = set()
    for tones in CW.EVOCATIVE.values():
        for group in tones.values():
            found.update(group)
    found.update(CW.BASIC.values())
    for table in (F.NOISE_WORDS, F.BAND_WORDS, F.RHYTHM_NOUNS):
        for group in table.values():
            found.update(group)
    found.update(F.TREND_WORDS.values())
    found.update(F.DIRECTION_WORDS.values())
    found.update(F.MOTION_NUANCES + F.CAMERA_NUANCES)
    found.update(F.CAMERA_MOVE_NAMES.values())
    assert [w for w in found if gibberish_reason(w)] == []


def test_real_exports_backfilled_every_name_says_its_value(store):
    import_export(store, real_export(EXPORT_17))
    import_export(store, real_export(EXPORT_21))
    before = names_that_say_their_value(store)
    assert before["motion"][0] < before["motion"][1] / 2  # hash-picked compounds on import
    dry = backfill(store, dry_run=True)
    flax = [r for r in dry.renames if r.old == "Flax" and r.key == "100,100,150"]
    assert flax and flax[0].reason == "'Flax' names a brown or yellow, the value is a greyish blue"
    assert all(r.reason for r in dry.renames)
    backfill(store)
    after = names_that_say_their_value(store)
    assert set(after) == {"colour", "sound", "motion", "camera"}
    for aspect, (good, total) in after.items():
        assert total > 0 and good == total, (aspect, good, total)


def test_backfill_dry_run_says_why_for_each_rename(store, capsys):
    from engine.cli.main import main
    from engine.procedural.registries.catalog import SourceRef
    from engine.procedural.registries.record import observe

    with store.write() as s:
        src = SourceRef("import", "old-export")
        observe(s, "pure", "colour", "100,100,150_1.0", source=src, name="Flax")
        observe(s, "pure", "sound", "0.10_low_rumble", source=src, name="Starridge")
        observe(s, "blended", "camera", "pan", source=src, name="Leafwell")
        observe(s, "blended", "motion", "3.1_steady", source=src, name="Ashcrest")
        observe(s, "pure", "colour", "200,0,0_1.0", source=src, name="Crimson Red")  # says its value
    assert main(["backfill", "--dry-run", "--store", str(store.location.path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would rename 4 names")
    assert "why: 'Flax' names a brown or yellow, the value is a greyish blue" in out
    assert "why: 'Starridge' does not say rumble, the sound is a low rumble" in out
    assert "why: 'Leafwell' does not name the move" in out
    assert "why: 'Ashcrest' does not say its speed" in out
    assert "Crimson Red ->" not in out
    assert out.count("why: ") == 4
