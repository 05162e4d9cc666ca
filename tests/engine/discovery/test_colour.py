import numpy as np
import pytest

from engine.core.errors import MediaError
from engine.procedural.discovery.colour_extract import extract_colours
from engine.procedural.discovery.palette_frames import palette_frame


def test_known_palettes_are_recovered_exactly_without_spurious_keys():
    rng = np.random.default_rng(5)
    for _ in range(50):
        frame, palette = palette_frame(rng)
        assert extract_colours(frame).keys() == palette


def test_shares_and_depth():
    frame = np.zeros((10, 10, 3), np.uint8)
    frame[:, :7] = (124, 124, 160)
    frame[:, 7:] = (255, 0, 0)
    result = extract_colours(frame)
    assert [(c.key, c.share) for c in result.colours] == [
        ("100,100,150_1.0", 0.7), ("250,0,0_1.0", pytest.approx(0.3))
    ]
    assert result.colours[1].depth == {"red": 100}
    assert sum(result.colours[0].depth.values()) == 100


def test_opacity_from_the_alpha_channel():
    frame = np.full((4, 4, 4), 200, np.uint8)
    frame[..., 3] = 128
    assert extract_colours(frame).keys() == {"200,200,200_0.5"}


def test_slivers_go_to_other_share():
    frame = np.zeros((100, 100, 3), np.uint8)
    frame[0, :10] = 255  # 0.1% of the area
    result = extract_colours(frame)
    assert result.keys() == {"0,0,0_1.0"}
    assert result.other_share == pytest.approx(0.001)


def test_a_frame_of_the_wrong_shape_is_refused():
    with pytest.raises(MediaError, match="HxWx3"):
        extract_colours(np.zeros((4, 4), np.uint8))
