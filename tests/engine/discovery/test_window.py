import numpy as np
import pytest

from engine.core.errors import MediaError
from engine.procedural.discovery.window_extract import extract_window

H, W = 120, 192


def _texture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.random((H // 8 + 2, W * 2 // 8 + 2, 3)) * 255
    return np.kron(small, np.ones((8, 8, 1)))[: H + 16, : W * 2].astype(np.uint8)


@pytest.mark.parametrize(("step", "direction"), [(3, "right"), (-3, "left")])
def test_camera_pan_direction(step, direction):
    scene = _texture(1)
    start = W // 2
    frames = [scene[:H, start + step * i : start + step * i + W] for i in range(12)]
    v = extract_window(frames)
    assert v.camera_direction == direction
    assert v.camera.startswith("pan_")
    picture = {"right": "left", "left": "right"}[direction]
    assert v.motion.split("_")[2] == picture


def test_camera_tilt_and_static():
    scene = _texture(2)
    tilt = extract_window([scene[2 * i : 2 * i + H // 2, :W] for i in range(8)])
    assert tilt.camera.startswith("tilt_")
    assert tilt.camera_direction == "down"
    still = extract_window([scene[:H, :W]] * 6)
    assert still.camera == "static_slow_locked"
    assert still.motion.startswith("0.0_steady_none_still")


def test_gradient_type():
    xs = np.linspace(0, 200, W)
    horizontal = np.repeat(np.tile(xs, (H, 1))[:, :, None], 3, axis=2).astype(np.uint8)
    vertical = np.ascontiguousarray(np.transpose(horizontal[:, :H], (1, 0, 2)))
    assert extract_window([horizontal, horizontal]).gradient.startswith("horizontal_0.7")
    assert extract_window([vertical, vertical]).gradient.startswith("vertical_")


def test_lighting_of_a_dark_frame():
    dark = np.full((H, W, 3), 20, np.uint8)
    assert extract_window([dark, dark]).lighting == "dark_flat_muted"


def test_a_window_needs_two_frames():
    with pytest.raises(MediaError, match="two frames"):
        extract_window([np.zeros((4, 4, 3), np.uint8)])
