"""Display copies: a recorded still larger than a review screen gets a 1920 px copy beside the
thumbnails; older takes get theirs from `dailies takes display-copies`; small stills, clips and
pictures with transparency get none."""

from __future__ import annotations

import numpy as np
from PIL import Image

from engine.cli.main import main
from engine.store.takes import NewTake, bulk_append_takes
from engine.takes.display_copies import EDGE, display_copies_dir, display_copy, display_copy_path
from engine.takes.intake import record_external_take

from ..store.helpers import add_shots, make_clip


def _picture(path, size=(3840, 2160), mode="RGB"):
    """Left half red, right half blue, so a copy can be told from a blank or a mirror."""
    w, h = size
    arr = np.zeros((h, w, len(mode)), dtype=np.uint8)
    arr[:, : w // 2, 0] = 220
    arr[:, w // 2 :, 2] = 220
    if mode == "RGBA":
        arr[..., 3] = 128
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr, mode).save(path)
    return path


def _record(store, path):
    return record_external_take(store, shot="SH010", output=path, prompt="p", seed=1,
                                model="gemini-3-pro-image-preview")


def test_a_recorded_4k_take_gets_its_display_copy(store, tmp_path):
    add_shots(store, "SH010")
    take = _record(store, _picture(tmp_path / "made-elsewhere.jpg"))
    copy = display_copy_path(store.media_dir, store.resolve_media(take.output_path))
    assert copy.parent == display_copies_dir(store.media_dir) and copy.exists()
    with Image.open(copy) as img:
        assert img.format == "JPEG" and img.size == (EDGE, 1080)
        left, right = img.getpixel((400, 540)), img.getpixel((1500, 540))
    assert left[0] > 180 and left[2] < 60 and right[2] > 180 and right[0] < 60  # the picture, not flipped


def test_stills_no_larger_than_a_copy_clips_and_transparent_pictures_get_none(store, tmp_path):
    add_shots(store, "SH010")
    small = _record(store, _picture(tmp_path / "small.jpg", (1920, 1080)))
    alpha = _record(store, _picture(tmp_path / "alpha.png", (2560, 1440), "RGBA"))
    clip = tmp_path / "clip.mp4"
    make_clip(clip)
    for take in (small, alpha):
        source = store.resolve_media(take.output_path)
        assert display_copy(store.media_dir, source) is None
        assert not display_copy_path(store.media_dir, source).exists()
    assert display_copy(store.media_dir, clip) is None
    assert not display_copies_dir(store.media_dir).exists()


def test_older_takes_get_their_copies_from_the_command_once(store, tmp_path, capsys):
    add_shots(store, "SH010")
    for name in ("a.jpg", "b.jpg"):
        _picture(store.media_dir / "SH010" / name, (3000, 2000))
    (store.media_dir / "SH010" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    _picture(store.media_dir / "SH010" / "small.jpg", (640, 360))
    with store.write() as s:  # recorded in bulk, as before copies were kept
        bulk_append_takes(s, [NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="p", seed=i,
                                      output_path=f"SH010/{name}")
                              for i, name in enumerate(("a.jpg", "b.jpg", "broken.jpg", "small.jpg"))])
    where = str(tmp_path / "store.sqlite")  # the fixture's file
    assert main(["takes", "display-copies", "--store", where]) == 0
    out = capsys.readouterr().out
    assert "made 2 display copies; 0 already made; 1 need none; 1 unreadable" in out and "broken.jpg" in out
    for name in ("a.jpg", "b.jpg"):
        with Image.open(display_copy_path(store.media_dir, store.media_dir / "SH010" / name)) as img:
            assert img.size == (EDGE, 1280)
    assert main(["takes", "display-copies", "--store", where]) == 0
    assert "made 0 display copies; 2 already made" in capsys.readouterr().out


def test_a_damaged_copy_is_made_again_when_asked(store, tmp_path):
    source = _picture(tmp_path / "media" / "a.jpg")
    copy = display_copy(tmp_path / "media", source)
    copy.write_bytes(copy.read_bytes()[:500])
    again = display_copy(tmp_path / "media", source, remake=True)
    with Image.open(again) as img:
        img.load()
        assert img.size == (EDGE, 1080)
