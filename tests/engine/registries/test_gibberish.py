import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.procedural.registries import wordlists as W
from engine.procedural.registries.gibberish import gibberish_reason, is_gibberish
from engine.procedural.registries.keys import SEMANTIC_ORIGINS
from engine.procedural.registries.names import pick_name

from .conftest import EXPORT_21, real_export

DOCUMENTED = [
    "Qitudaterara", "Lokofacixofa", "Dimalaqabela", "Violet3560", "Novel47799",
    "theme_dawnure", "sound_bloom", "plot_skynel", "setting_vinelight", "scene_rumton",
    "Aurbloom29", "mood_amace", "genre_starer", "Ranufabubala", "Kaqaraxorera", "Xanobasububa",
    "Dawnure", "Vineine", "Warmnel", "Bloombloom", "", "Slate  Grey", "LoKoFa", "DarkQitudaterara", "USA", "SLATE",
    "SlateDawnure",
]
GOOD = ["Slate", "Mistlight", "Hazestream", "Glen", "Wool", "Chalk", "Amber", "Velvet",
        "Starlight", "Bramble", "Golden Hour", "Over The Shoulder", "Window", "Murmur", "Aurora",
        "DeepSlate", "DarkLilac", "CoolLavender", "LightCopper"]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_documented_gibberish_is_caught(name):
    assert is_gibberish(name), name


@pytest.mark.parametrize("name", GOOD)
def test_real_words_and_compounds_pass(name):
    assert gibberish_reason(name) is None


def test_every_word_in_our_lists_and_every_semantic_origin_passes():
    words = list(W.ROOTS + W.BROWNS + W.PLACE_NOUNS + W.GENERAL_MODIFIERS + W.NUMBER_WORDS)
    for table in (W.NEUTRAL_BY_LIGHTNESS, W.MUTED_BY_HUE, W.VIVID_BY_HUE, W.COLOUR_MODIFIERS, W.ASPECT_WORDS):
        for group in table.values():
            words += group
    from engine.procedural.registries.keys import semantic_name

    words += [semantic_name(v) for vals in SEMANTIC_ORIGINS.values() for v in vals]
    assert [w for w in words if is_gibberish(w)] == []


def test_every_prefixed_or_numbered_name_in_the_real_export_is_caught():
    doc = json.loads(real_export(EXPORT_21).read_text())
    names = set()

    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get("name"), str):
                names.add(o["name"])
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(doc["registries"])
    suspicious = {n for n in names if "_" in n or any(c.isdigit() for c in n)}
    assert len(suspicious) > 50
    assert [n for n in suspicious if not is_gibberish(n)] == []


ASPECTS = [("pure", "colour"), ("pure", "sound"), ("blended", "motion"), ("blended", "camera"),
           ("blended", "lighting"), ("blended", "blends"), ("semantic", "genre"), ("semantic", "themes")]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_names_never_fail_the_check_and_never_repeat(seed):
    """20 examples x 5,000 names = 100,000 names, each drawn into a growing store state."""
    import random

    rng = random.Random(seed)
    taken: set[str] = set()
    for i in range(5000):
        registry, aspect = ASPECTS[rng.randrange(len(ASPECTS))]
        if aspect == "colour":
            key = f"{rng.randrange(11) * 25},{rng.randrange(11) * 25},{rng.randrange(11) * 25}_{rng.randrange(21) * 5 / 100}"
        else:
            key = f"{rng.choice(['x', 'q9', 'golden hour', '3.5_steady', ''])}{seed}-{i}"
        name = pick_name(registry, aspect, key, lambda n: n in taken)
        assert gibberish_reason(name) is None, name
        assert name not in taken
        taken.add(name)
