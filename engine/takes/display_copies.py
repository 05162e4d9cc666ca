"""Display copies: a still take larger than a review screen also gets a copy at display size
(long edge 1920 px, baseline JPEG), kept beside the thumbnails under the media folder:

    .display/<hash of the source path>-<size>-<mtime>.jpg

A 3840x2160 take is about 4 MB of JPEG whose entropy decoding alone costs a desk worker some
60 ms of CPU; its display copy is a fifth of that, so the desk paints the copy first and swaps
in the full decode when it lands. The copy is never the only picture a reviewer judges: the desk
uses it only where it has every pixel the screen shows (never enlarged) and always replaces it
with the full frame.

Copies are made when a take is recorded (`record_external_take`, generation), by
`make_store_display_copies` for takes recorded before copies were kept (`dailies takes
display-copies`), and by the desk in the background when it meets a take without one. Clips,
images no larger than a copy, and images with transparency get none (the desk decodes those
as they are).
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image

from engine.core.errors import MediaError
from engine.core.media import CLIP_SUFFIXES, check_pixel_budget
from engine.takes.derived_files import (
    DerivedRun,
    derive_many,
    derived_path,
    reading_source,
    save_derived,
    store_take_files,
)

EDGE = 1920  # the copy's long edge: the largest common review viewport
QUALITY = 90
FOLDER = ".display"


def display_copies_dir(media_dir: Path) -> Path:
    return Path(media_dir) / FOLDER


def display_copy_path(media_dir: Path, source: Path) -> Path:
    """Where the display copy of `source` as it is now lives (whether made yet or not)."""
    return derived_path(display_copies_dir(media_dir), Path(source))


def copy_size(width: int, height: int) -> tuple[int, int] | None:
    """The size of the display copy of a width x height picture; None: it needs none."""
    long_edge = max(width, height)
    if long_edge <= EDGE:
        return None
    scale = EDGE / long_edge
    return max(1, round(width * scale)), max(1, round(height * scale))


def gets_display_copy(img: Image.Image) -> bool:
    """Whether an opened still gets a display copy: larger than one, without transparency."""
    return copy_size(img.width, img.height) is not None and "A" not in img.getbands() and (
        "transparency" not in img.info)


def _render(source: Path) -> Image.Image | None:
    """The copy's picture, or None when the source needs none. JPEGs are decoded at a reduced
    scale straight from the decoder (draft), so memory stays near one copy."""
    if source.suffix.lower() in CLIP_SUFFIXES:
        return None
    with reading_source(source), Image.open(source) as img:
        check_pixel_budget(source, img.width, img.height)
        if not gets_display_copy(img):
            return None
        size = copy_size(img.width, img.height)
        img.draft("RGB", size)
        img.load()
        frame = img if img.mode == "RGB" else img.convert("RGB")
        factor = min(frame.width // size[0], frame.height // size[1])
        if factor >= 2:
            frame = frame.reduce(factor)
        if frame.size != size:
            frame = frame.resize(size, Image.LANCZOS)
        return frame.copy() if frame is img else frame


def display_copy(media_dir: Path, source: str | os.PathLike, *, remake: bool = False) -> Path | None:
    """The display copy of `source`, made now if missing (or `remake`: it was found damaged);
    None when the source needs none. Raises MediaError naming the file when the source is
    missing or cannot be read; any thread or process, no Qt."""
    source = Path(source)
    target = display_copy_path(media_dir, source)
    if target.exists() and not remake:
        return target
    image = _render(source)
    if image is None:
        return None
    return save_derived(target, source, image, QUALITY)


def take_display_copy(store, take) -> None:
    """A newly recorded take's display copy, made once the take is committed (its file is in
    place then). A copy that cannot be made (a read-only media folder, a file that is not
    a picture) is left for later: the desk shows the full frame meanwhile and makes it."""
    source = store.resolve_media(take.output_path) if take.output_path else None
    if source is None or take.media_kind != "image":
        return
    try:
        display_copy(store.media_dir, source)
    except (MediaError, OSError):
        pass


def make_store_display_copies(store, progress=None, cancel=None) -> DerivedRun:
    """Display copies for every still take of a store that has none (`dailies takes
    display-copies`; takes recorded since copies are kept have theirs already)."""
    media_dir = store.media_dir
    return derive_many(store_take_files(store), lambda source: display_copy_path(media_dir, source).exists(),
                       lambda source: display_copy(media_dir, source), progress, cancel)
