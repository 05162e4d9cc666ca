import pytest

from engine.procedural.registries import keys as k


def test_colour_key_quantises_clamps_and_steps_opacity():
    assert k.colour_key(124.2, 124.3, 160.4, 1.0) == "100,100,150_1.0"
    assert k.colour_key(300, -5, 255, 0.52) == "250,0,250_0.5"
    assert k.colour_key(24.9, 25, 49.99, 0.0) == "0,25,25_0.0"
    assert k.COLOUR_GRID_CELLS == 27951


def test_parse_colour_key_round_trips_and_names_bad_parts():
    assert k.parse_colour_key("250,0,25_0.05") == (250, 0, 25, 0.05)
    for bad, words in [("1,2", "no opacity"), ("10,0,0_1.0", "channel 10"),
                       ("a,b,c_1.0", "not a number"), ("0,0,0_0.07", "opacity")]:
        with pytest.raises(k.RegistryKeyError, match=words):
            k.parse_colour_key(bad)


def test_colour_depth_two_nearest_origins_sum_to_100():
    assert k.colour_depth(124.2, 124.3, 160.4) == {"gray": 80, "teal": 20}
    assert k.colour_depth(255, 0, 0) == {"red": 100}
    assert sum(k.colour_depth(10, 200, 90).values()) == 100


def test_sound_key_refuses_mood_words_and_unknown_timbres():
    assert k.sound_key(0.1, "low", "rumble") == "0.10_low_rumble"
    with pytest.raises(k.RegistryKeyError, match="never a mood"):
        k.sound_key(0.1, "calm", "rumble")
    with pytest.raises(k.RegistryKeyError, match="origin noise"):
        k.sound_key(0.1, "low", "kick")
    with pytest.raises(k.RegistryKeyError):
        k.parse_sound_key("0.06_low_low")
    assert k.parse_sound_key("0.10_high_click") == (0.1, "high", "click")


def test_tone_bands():
    assert k.tone_for(0.005, 1000) == "silent"
    assert [k.tone_for(0.5, f) for f in (60, 199.9, 200, 1999, 2000)] == ["low", "low", "mid", "mid", "high"]


def test_blended_formatters_validate_vocabularies():
    assert len(k.CAMERA_MOTIONS) == 16
    assert k.camera_key("whip_pan", "fast", "shaky") == "whip_pan_fast_shaky"
    assert k.gradient_key("radial", 0.4) == "radial_0.40"
    assert k.motion_key(3.46, "steady", "left", "even") == "3.5_steady_left_even"
    assert k.lighting_key(*k.lighting_bands(40, 70, 0.2)) == "dark_high_muted"
    assert k.composition_key("wide", "asymmetric", "left") == "wide_asymmetric_left"
    with pytest.raises(k.RegistryKeyError, match="camera speed"):
        k.camera_key("pan", "warp", "steady")


def test_semantic_origins_have_the_documented_sizes():
    sizes = {a: len(v) for a, v in k.SEMANTIC_ORIGINS.items()}
    assert sizes == {"genre": 24, "mood": 20, "style": 11, "plots": 4, "settings": 25,
                     "themes": 17, "scene_type": 17}
    assert k.SEMANTIC_ORIGINS["plots"] == ("flat", "slow_build", "standard", "immediate")
    assert k.semantic_name("golden_hour") == "Golden Hour"
