"""Frames decode off the GUI thread as desk ops: at the size they are shown, the frame under
review ahead of a strip of thumbnails, scrubbing dropping what it outran, and a file that
cannot be shown named in place of its frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from desktop import ops
from desktop.frame_cache import FRONT, FrameCache, FrameLoader
from desktop.frame_decode import FrameKey


def _jpeg(path: Path, seed: int, size=(1920, 1080)) -> Path:
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], -1).astype(np.int16)
    img += rng.integers(-20, 20, (h, w, 3), dtype=np.int16)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, "JPEG", quality=92)
    return path


def _key(path: Path, w: int, h: int) -> FrameKey:
    return FrameKey(str(path), "image", 0, w, h)


def test_a_4k_jpeg_is_decoded_at_the_size_it_is_shown(qtbot, tmp_path):
    loader = FrameLoader(FrameCache(), tmp_path / "media")
    key = _key(_jpeg(tmp_path / "media" / "big.jpg", 1, (3840, 2160)), 1000, 562)
    assert loader.request(key, priority=FRONT) is None  # decoding, not on the GUI thread
    qtbot.waitUntil(lambda: loader.pixmap(key) is not None, timeout=20_000)
    pixmap = loader.pixmap(key)
    assert (pixmap.width(), pixmap.height()) == (999, 562)  # fitted, 16:9 kept
    colour = pixmap.toImage().pixelColor(pixmap.width() - 5, pixmap.height() - 5)
    assert colour.red() > 150 and colour.green() > 150  # the frame's bright corner, not blank
    assert not loader.busy()


def test_the_frame_under_review_does_not_wait_for_the_strip(qtbot, tmp_path):
    media = tmp_path / "media"
    thumbs = [_key(_jpeg(media / f"t{i:03d}.jpg", i), 176, 99) for i in range(40)]
    front = _key(_jpeg(media / "front.jpg", 99), 640, 360)
    loader = FrameLoader(FrameCache(), media)
    for key in thumbs:  # no disk thumbnails yet: each is made from its 1920x1080 source
        loader.request(key, priority=-2)
    loader.request(front, priority=FRONT)
    qtbot.waitUntil(lambda: loader.pixmap(front) is not None, timeout=30_000)
    waiting = sum(1 for k in thumbs if loader.pixmap(k) is None)
    assert waiting > 0  # the strip was still filling when the frame under review arrived
    qtbot.waitUntil(lambda: not loader.busy(), timeout=60_000)
    assert all(loader.pixmap(k) is not None for k in thumbs)


def test_scrubbing_drops_neighbours_it_outran_and_they_decode_when_asked_again(qtbot, tmp_path):
    media = tmp_path / "media"
    near = [_key(_jpeg(media / f"n{i}.jpg", i), 640, 360) for i in range(8)]
    loader = FrameLoader(FrameCache(), media)
    for key in near:
        loader.request(key, priority=1)
    loader.cancel_pending(keep={near[0]})
    qtbot.waitUntil(lambda: not loader.busy(), timeout=30_000)
    ops.wait_idle()
    decoded = [k for k in near if loader.pixmap(k) is not None]
    assert near[0] in decoded and len(decoded) < len(near)  # the rest were never decoded
    dropped = next(k for k in near if k not in decoded)
    loader.request(dropped, priority=FRONT)
    qtbot.waitUntil(lambda: loader.pixmap(dropped) is not None, timeout=20_000)


def test_a_frame_that_cannot_be_shown_names_the_file(qtbot, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    broken = media / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    loader = FrameLoader(FrameCache(), media)
    gone, bad = _key(media / "gone.jpg", 640, 360), _key(broken, 640, 360)
    for key in (gone, bad):
        loader.request(key, priority=FRONT)
    qtbot.waitUntil(lambda: bool(loader.failure(gone) and loader.failure(bad)), timeout=20_000)
    assert loader.failure(gone) == f"missing file: {media / 'gone.jpg'}"
    assert "broken.jpg" in loader.failure(bad)
    assert loader.request(bad, priority=FRONT) is None and not loader.busy()  # not decoded again
