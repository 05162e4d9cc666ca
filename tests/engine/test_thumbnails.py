"""Disk thumbnails: made once, reused, remade when the source changes, and clear about files
that cannot be read."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from engine.core.errors import MediaError
from engine.takes.thumbnails import (
    EDGE,
    make_store_thumbnails,
    make_thumbnails,
    thumbnail,
    thumbnails_dir,
)


def _image(path, size=(1920, 1080), colour=(200, 40, 40), fmt="JPEG"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, fmt)
    return path


def test_a_thumbnail_is_a_256px_jpeg_under_the_media_folder(tmp_path):
    media = tmp_path / "store.media"
    source = _image(media / "frames" / "a.jpg", (3840, 2160))
    thumb = thumbnail(media, source)
    assert thumb.parent == thumbnails_dir(media) and thumb.suffix == ".jpg"
    with Image.open(thumb) as img:
        assert img.format == "JPEG" and img.size == (EDGE, 144)
        r, g, b = img.getpixel((100, 70))
        assert r > 150 and g < 90  # the source's colour, not a blank


def test_it_is_made_once_and_reused(tmp_path):
    source = _image(tmp_path / "a.png", fmt="PNG")
    first = thumbnail(tmp_path, source)
    made_at = first.stat().st_mtime_ns
    again = thumbnail(tmp_path, source)
    assert again == first and again.stat().st_mtime_ns == made_at


def test_a_changed_source_gets_a_new_thumbnail_and_the_old_one_goes(tmp_path):
    source = _image(tmp_path / "a.jpg", colour=(200, 40, 40))
    old = thumbnail(tmp_path, source)
    _image(source, (1280, 720), colour=(20, 40, 220))
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    new = thumbnail(tmp_path, source)
    assert new != old and not old.exists()
    with Image.open(new) as img:
        assert img.getpixel((10, 10))[2] > 150  # blue now


def test_small_sources_are_not_enlarged(tmp_path):
    source = _image(tmp_path / "small.png", (120, 80), fmt="PNG")
    with Image.open(thumbnail(tmp_path, source)) as img:
        assert img.size == (120, 80)


def test_a_clip_thumbnail_is_its_first_frame(tmp_path):
    import av
    import numpy as np

    clip = tmp_path / "c.mp4"
    with av.open(str(clip), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        for i in range(6):
            arr = np.zeros((360, 640, 3), np.uint8)
            arr[:, :, 1] = 200 if i == 0 else 0
            for packet in stream.encode(av.VideoFrame.from_ndarray(arr, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with Image.open(thumbnail(tmp_path, clip)) as img:
        assert img.size == (EDGE, 144)
        assert img.getpixel((128, 72))[1] > 150  # green: frame 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("gone.jpg", None, "missing file"),
        ("junk.jpg", b"not an image at all", "cannot read junk.jpg"),
        ("cut.png", b"\x89PNG\r\n\x1a\n garbage", "cannot read cut.png"),
    ],
)
def test_unreadable_sources_are_named(tmp_path, name, content, message):
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    with pytest.raises(MediaError, match=message):
        thumbnail(tmp_path, source)
    assert not any(thumbnails_dir(tmp_path).glob("*.part"))  # nothing half-written left


def test_make_thumbnails_reports_made_reused_and_failed_with_progress_and_cancel(tmp_path):
    sources = [_image(tmp_path / f"f{i}.jpg", (640, 360)) for i in range(4)]
    seen = []
    run = make_thumbnails(tmp_path, sources + [tmp_path / "gone.jpg"], progress=lambda d, n: seen.append((d, n)))
    assert (run.made, run.reused, run.cancelled) == (4, 0, False)
    assert len(run.failed) == 1 and "gone.jpg" in run.failed[0]
    assert seen[-1] == (5, 5)
    again = make_thumbnails(tmp_path, sources)
    assert (again.made, again.reused) == (0, 4)
    stopped = make_thumbnails(tmp_path / "other", sources, cancel=lambda: True)
    assert stopped.cancelled and stopped.made == 0


def test_make_store_thumbnails_covers_every_take_file(store):
    from engine.store.shots import add_shot
    from engine.store.takes import NewTake, append_take

    with store.write() as s:
        add_shot(s, episode="EP01", code="SH010")
        for i in range(3):
            _image(store.media_dir / f"t{i}.jpg", (800, 450))
            append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", output_path=f"t{i}.jpg"))
        append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", output_path="t0.jpg"))
    run = make_store_thumbnails(store)
    assert (run.made, run.failed) == (3, ())
    assert len(list(thumbnails_dir(store.media_dir).glob("*.jpg"))) == 3
