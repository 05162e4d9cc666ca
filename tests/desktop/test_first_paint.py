"""The first display of a large still: the desk paints the take's display copy at once and the
full decode over it at the same place and size; without a usable copy (a take recorded before
copies were kept, a damaged copy, a screen larger than the copy) it paints the full frame only,
shows no error, and makes the copy in the background.

The copies here are marked green by the test (the takes themselves are red and blue), so the
pixels on screen say which of the two the reviewer is looking at."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop.frame_decode import FrameKey, decode_image, decode_stand_in
from engine.takes.display_copies import display_copy, display_copy_path

SIZE = (3840, 2160)


def _picture(path: Path, size=SIZE, left=(220, 0, 0), right=(0, 0, 220)) -> Path:
    w, h = size
    arr = np.zeros((h, w, 3), dtype=np.uint8)
    arr[:, : w // 2] = left
    arr[:, w // 2 :] = right
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path, quality=92)
    return path


@pytest.fixture
def big_store(store, tmp_path):
    """Three shots, one 3840x2160 take each, recorded as a reviewer's pipeline records them."""
    from engine.store.shots import add_shot
    from engine.takes.intake import record_external_take

    with store.write() as s:
        for i in range(3):
            add_shot(s, episode="EP01", scene="SC01", code=f"SH{i + 1:03d}")
    sources = []
    for i in range(3):
        take = record_external_take(store, shot=f"SH{i + 1:03d}", output=_picture(tmp_path / f"in{i}.jpg"),
                                    prompt=f"harbour at dawn {i}", seed=i, model="gemini-3-pro-image-preview")
        sources.append(store.resolve_media(take.output_path))
    return store, sources


def _mark_copy(media_dir: Path, source: Path) -> Path:
    """Paint the engine's copy of `source` green, keeping its size and name."""
    copy = display_copy_path(media_dir, source)
    with Image.open(copy) as img:
        size = img.size
    _picture(copy, size, left=(0, 200, 0), right=(0, 200, 0))
    return copy


@pytest.fixture
def desk_store(big_store):
    """The desk of the `window` fixture opens on these takes."""
    return big_store[0]


def _first_display(qtbot, win, row: int) -> list:
    """Show shot `row` with nothing in memory; every frame painted until the full one is up, as
    (pixmap size, the colour of its left half, where it is drawn)."""
    view = win.dailies.current
    qtbot.waitUntil(lambda: not win.loader.busy(), timeout=30_000)
    win.loader.cache.set_limit(0)  # nothing decoded is kept: this is its first display
    win.loader.cache.set_limit(1 << 30)
    painted = []

    def seen():
        pixmap = view.pixmap()
        if pixmap is None or not view.shown_path.endswith(Path(win.session.media_path(
                win.session.current_take())).name):
            return
        r, g, b, _ = pixmap.toImage().pixelColor(pixmap.width() // 4, pixmap.height() // 2).getRgb()
        colour = "green" if g > 150 and r < 80 else "red" if r > 150 and g < 80 else f"{r},{g},{b}"
        painted.append(((pixmap.width(), pixmap.height()), colour, view.picture_rect()))

    view.painted.connect(seen)
    try:
        win.session.goto_row(row)
        key = win.dailies._wanted[view]
        qtbot.waitUntil(lambda: win.loader.pixmap(key) is not None and view.pixmap() is not None
                        and view.pixmap().cacheKey() == win.loader.pixmap(key).cacheKey()
                        and bool(painted) and painted[-1][1] == "red", timeout=30_000)
    finally:
        view.painted.disconnect(seen)
    return painted


def test_the_copy_is_painted_first_and_the_full_frame_over_it_in_place(qtbot, big_store, window):
    store, sources = big_store
    _mark_copy(store.media_dir, sources[2])  # shot 3 has not been under review yet
    win = window
    painted = _first_display(qtbot, win, 2)
    colours = [c for _, c, _ in painted]
    assert colours[0] == "green" and colours[-1] == "red"  # the copy first, the full frame last
    assert colours == sorted(colours, key=lambda c: c != "green")  # never back to the copy
    assert len({size for size, _, _ in painted}) == 1  # same size ...
    assert len({(r.x(), r.y(), r.width(), r.height()) for _, _, r in painted}) == 1  # ... same place
    assert win.dailies.current.message() == ""


@pytest.mark.parametrize("trouble", ["recorded before copies were kept", "damaged copy"])
def test_without_a_usable_copy_the_full_frame_is_shown_and_the_copy_made(qtbot, big_store, window, trouble):
    store, sources = big_store
    copy = display_copy_path(store.media_dir, sources[2])
    if trouble == "damaged copy":
        copy.write_bytes(copy.read_bytes()[:2000])
    else:
        copy.unlink()
    win = window
    painted = _first_display(qtbot, win, 2)
    assert [c for _, c, _ in painted] and all(c == "red" for _, c, _ in painted)  # the full frame only
    assert win.dailies.current.message() == ""  # and no error
    qtbot.waitUntil(copy.exists, timeout=30_000)  # made again in the background

    def whole() -> bool:
        try:
            with Image.open(copy) as img:
                img.load()
                return img.size == (1920, 1080)
        except OSError:
            return False

    qtbot.waitUntil(whole, timeout=30_000)


def test_a_screen_larger_than_the_copy_waits_for_the_full_frame(tmp_path, qapp):
    media = tmp_path / "media"
    source = _picture(media / "big.jpg")
    display_copy(media, source)
    image, needs = decode_stand_in(FrameKey(str(source), "image", 0, 2560, 1440), media)
    assert image is None and needs is None  # it would be enlarged: no stand-in
    image, _ = decode_stand_in(FrameKey(str(source), "image", 0, 1280, 720), media)
    assert (image.width(), image.height()) == (1280, 720)


def test_the_copy_comes_out_exactly_the_size_of_the_full_decode(tmp_path, qapp):
    media = tmp_path / "media"
    source = _picture(media / "odd.jpg", (3001, 1999))
    display_copy(media, source)
    for box in ((1031, 580), (997, 701), (640, 360)):
        stand_in, _ = decode_stand_in(FrameKey(str(source), "image", 0, *box), media)
        full = decode_image(source, *box)
        assert stand_in.size() == full.size()
