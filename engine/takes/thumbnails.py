"""Thumbnails on disk: a 256 px JPEG per take file, kept under the store's media folder.

A filmstrip of a few hundred shots decoded from full frames takes seconds; from 256 px JPEGs
(about a millisecond each) it fills at once. Each thumbnail is made on first use and reused
after; its name carries the source's size and modification time, so a source that changes
gets a new thumbnail (the stale one is removed when the new one is written).

    .thumbs/<hash of the source path>-<size>-<mtime>.jpg

`thumbnail()` makes or finds one file's thumbnail (any thread; no Qt); `make_thumbnails()`
does a whole store's takes up front (e.g. after building or importing), with `progress` and
`cancel` callables like every long engine job.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
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

EDGE = 256  # the thumbnail's long edge, in pixels
QUALITY = 85
FOLDER = ".thumbs"
REDUCIBLE = {"L", "LA", "RGB", "RGBA", "RGBa", "La", "I", "F", "CMYK"}  # modes Image.reduce takes


def thumbnails_dir(media_dir: Path) -> Path:
    return Path(media_dir) / FOLDER


def thumbnail_path(media_dir: Path, source: Path) -> Path:
    """Where the thumbnail of `source` as it is now lives (whether made yet or not)."""
    return derived_path(thumbnails_dir(media_dir), source)


def _image_frame(source: Path) -> Image.Image:
    """The image decoded within the pixel budget: JPEGs at a reduced scale straight from the
    decoder (draft), others shrunk by an integer factor before any copy or mode change, so
    memory stays near one decoded frame."""
    with Image.open(source) as img:
        check_pixel_budget(source, img.width, img.height)
        img.draft("RGB", (EDGE, EDGE))  # JPEG: decode at 1/2, 1/4 or 1/8 scale directly
        img.load()
        factor = max(img.width, img.height) // EDGE
        frame = img if img.mode in REDUCIBLE else img.convert("RGB")
        if factor >= 2:
            frame = frame.reduce(factor)
        if frame.mode != "RGB":
            return frame.convert("RGB")
        return frame.copy() if frame is img else frame


def _clip_frame(source: Path) -> Image.Image:
    import av

    with av.open(str(source)) as container:
        if not container.streams.video:
            raise MediaError(f"cannot read {source.name}: no video stream")
        for frame in container.decode(container.streams.video[0]):
            return frame.to_image()
    raise MediaError(f"cannot read {source.name}: the clip has no frames")


def render_thumbnail(source: Path) -> Image.Image:
    """The source's first frame scaled so its long edge is EDGE pixels (never enlarged)."""
    with reading_source(source):
        frame = _clip_frame(source) if source.suffix.lower() in CLIP_SUFFIXES else _image_frame(source)
    scale = EDGE / max(frame.width, frame.height)
    if scale < 1:
        size = (max(1, round(frame.width * scale)), max(1, round(frame.height * scale)))
        factor = min(frame.width // size[0], frame.height // size[1])
        if factor >= 2:
            frame = frame.reduce(factor)
        frame = frame.resize(size, Image.BILINEAR)
    return frame


def thumbnail(media_dir: Path, source: str | os.PathLike) -> Path:
    """The thumbnail file of `source`, made now if missing or if the source has changed.

    Raises MediaError naming the file when the source is missing or cannot be read. Safe to
    call from several threads or processes at once: the file is written whole, then renamed.
    """
    source = Path(source)
    target = thumbnail_path(media_dir, source)
    if target.exists():
        return target
    return save_derived(target, source, render_thumbnail(source), QUALITY)


ThumbnailRun = DerivedRun


def make_thumbnails(
    media_dir: Path,
    sources: Iterable[str | os.PathLike],
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ThumbnailRun:
    """Make the thumbnails of many files (e.g. every take of a store) that are not made yet."""
    return derive_many(sources, lambda source: thumbnail_path(media_dir, source).exists(),
                       lambda source: thumbnail(media_dir, source), progress, cancel)


def make_store_thumbnails(store, progress=None, cancel=None) -> ThumbnailRun:
    """Thumbnails for every take file of a store (the demo builder and imports call this)."""
    return make_thumbnails(store.media_dir, store_take_files(store), progress, cancel)
