import numpy as np
import pytest

from engine.procedural.creation.sound_synth import (
    FRAME_SAMPLES,
    ORIGIN_NOISES,
    random_mix,
    synthesise,
)
from engine.procedural.discovery.sound_extract import BLOCK_FRAMES, COMPONENT_FLOOR, extract_sound
from engine.procedural.discovery.sound_features import descriptors, spectra
from engine.procedural.registries.keys import parse_sound_key

BANDS = {
    "rumble": "low", "hum": "low", "thump": "low",
    "tone": "mid", "whoosh": "mid", "drip": "mid",
    "hiss": "high", "rustle": "high", "click": "high",
}


def test_synthesis_is_deterministic_and_whole_frames():
    a = synthesise(("hum", "click"), (0.2, 0.1), 1.0, np.random.default_rng(3))
    b = synthesise(("hum", "click"), (0.2, 0.1), 1.0, np.random.default_rng(3))
    assert np.array_equal(a.samples, b.samples)
    assert len(a.samples) == 24 * FRAME_SAMPLES
    assert a.frame_rms.shape == (24, 2)


def test_synthesis_rejects_bad_mixes():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="1 to 4"):
        synthesise(("hum",) * 5, (0.1,) * 5, 1.0, rng)
    with pytest.raises(ValueError, match="growl"):
        synthesise(("growl",), (0.1,), 1.0, rng)


def test_silence_is_silent():
    mix = synthesise(("silence",), (0.0,), 0.5, np.random.default_rng(0))
    assert {f.key for f in extract_sound(mix.samples)} == {"0.00_silent_silence"}


KNOWN_WEAK = pytest.mark.xfail(
    strict=True, reason="a whoosh alone is found in all its frames, but a drip is named louder in ~15% of them"
)


@pytest.mark.parametrize(
    "origin",
    [pytest.param(o, marks=KNOWN_WEAK) if o == "whoosh" else o for o in ORIGIN_NOISES[1:]],
)
def test_each_origin_alone_is_named_and_banded(origin):
    mix = synthesise((origin,), (0.2,), 3.0, np.random.default_rng(11))
    frames = extract_sound(mix.samples)
    sounding = [f for f in frames if mix.frame_rms[f.index, 0] >= 0.05]
    assert sounding
    loudest = [f.components[0] for f in sounding]
    named = sum(c.timbre == origin for c in loudest) / len(loudest)
    banded = sum(c.tone == BANDS[origin] for c in loudest if c.timbre == origin)
    assert named >= 0.85, f"{origin}: named in {named:.0%} of its frames"
    assert banded == sum(c.timbre == origin for c in loudest)


def test_strength_is_the_components_rms():
    mix = synthesise(("hum", "hiss"), (0.25, 0.1), 1.0, np.random.default_rng(4))
    for f in extract_sound(mix.samples):
        got = {c.timbre: c.strength for c in f.components}
        assert got["hum"] == pytest.approx(mix.frame_rms[f.index, 0], abs=0.03)
        assert got["hiss"] == pytest.approx(mix.frame_rms[f.index, 1], abs=0.02)


def test_composite_key_lists_components_loudest_first():
    mix = synthesise(("tone", "hiss"), (0.3, 0.1), 0.5, np.random.default_rng(2))
    f = extract_sound(mix.samples)[3]
    assert f.is_composite
    parts = [parse_sound_key(k) for k in f.key.split("+")]
    assert [p[2] for p in parts] == ["tone", "hiss"]
    assert [p[1] for p in parts] == ["mid", "high"]


def test_mixtures_are_separated():
    rng = np.random.default_rng(7)
    tp = fp = fn = 0
    for _ in range(40):
        mix = random_mix(rng, max_noises=3)
        for f in extract_sound(mix.samples):
            truth = dict(zip(mix.noises, mix.frame_rms[f.index], strict=True))
            required = {n for n, r in truth.items() if r >= COMPONENT_FLOOR and n != "silence"}
            found = {c.timbre for c in f.components} - {"silence"}
            tp += len(found & required)
            fn += len(required - found)
            fp += sum(1 for n in found - required if truth.get(n, 0.0) < COMPONENT_FLOOR / 2)
    assert tp / (tp + fp) >= 0.93
    assert tp / (tp + fn) >= 0.93


def test_a_thump_on_rumble_is_told_apart_from_the_rumble():
    """Steady rumble alone is rarely read as thumps; thumps on a rumble are still found."""
    false = frames = found = hits = 0
    for seed in (5, 6, 7):
        rumble = synthesise(("rumble",), (0.2,), 3.0, np.random.default_rng(seed))
        for f in extract_sound(rumble.samples):
            frames += 1
            false += "thump" in {c.timbre for c in f.components}
        both = synthesise(("rumble", "thump"), (0.15, 0.2), 3.0, np.random.default_rng(seed))
        for f in extract_sound(both.samples):
            if both.frame_rms[f.index, 1] >= 0.05:
                hits += 1
                found += "thump" in {c.timbre for c in f.components}
    assert false / frames <= 0.10, f"thump read into plain rumble in {false} of {frames} frames"
    assert found / hits >= 0.75, f"thump found in {found} of {hits} frames"


def test_a_long_clip_is_measured_frame_by_frame_as_a_whole():
    """Long clips are worked through in blocks of frames; no frame's figures change for it."""
    rng = np.random.default_rng(8)
    clips = [random_mix(rng, seconds=2.0).samples for _ in range(3)]
    samples = np.concatenate([*clips, np.full(700, 0.1, np.float32)])
    frames = extract_sound(samples)
    whole = descriptors(spectra(samples))
    assert len(frames) == len(whole.rms) > 2 * BLOCK_FRAMES  # several blocks and a partial frame
    assert [f.amplitude for f in frames] == np.clip(whole.rms, 0.0, 1.0).tolist()
    for name in ("centroid_hz", "flatness", "low", "mid", "high", "onset", "periodicity"):
        assert [getattr(f, name) for f in frames] == getattr(whole, name).tolist(), name
