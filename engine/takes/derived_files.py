"""Files the store derives from a take's file (thumbnails, display copies), kept in folders of
their own under the media folder and named after the source as it is now:

    <folder>/<hash of the source path>-<size>-<mtime>.jpg

A source that changes gets a new name, so a stale derived file is never taken for a current
one (it is removed when the new one is written). Every file is written whole, then renamed, so
several threads or processes may make the same one at once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from engine.core.errors import MediaError


def _stamp(source: Path) -> str:
    st = source.stat()
    return f"{st.st_size:x}-{st.st_mtime_ns:x}"


def _prefix(source: Path) -> str:
    return hashlib.sha1(str(source.resolve()).encode("utf-8")).hexdigest()[:20]


def derived_path(folder: Path, source: Path) -> Path:
    """Where the file derived from `source` as it is now lives in `folder` (made yet or not)."""
    try:
        stamp = _stamp(source)
    except FileNotFoundError:
        raise MediaError(f"missing file: {source}") from None
    return Path(folder) / f"{_prefix(source)}-{stamp}.jpg"


@contextmanager
def reading_source(source: Path) -> Iterator[None]:
    """Any failure to read `source` as one MediaError naming the file and what is wrong."""
    try:
        yield
    except MediaError:
        raise
    except FileNotFoundError:
        raise MediaError(f"missing file: {source}") from None
    except UnidentifiedImageError:
        raise MediaError(f"cannot read {source.name}: not an image") from None
    except Image.DecompressionBombError as exc:
        raise MediaError(f"refused {source.name}: possible decompression bomb ({exc})") from None
    except Exception as exc:  # damaged files: Pillow and PyAV raise many kinds
        raise MediaError(f"cannot read {source.name}: damaged file ({exc})") from None


def save_derived(target: Path, source: Path, image: Image.Image, quality: int) -> Path:
    """Write `image` as the JPEG at `target` (from `derived_path`), whole or not at all, and
    remove what was derived from earlier versions of `source`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            image.save(fh, "JPEG", quality=quality)  # baseline, not progressive: decodes fastest
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for stale in target.parent.glob(f"{_prefix(source)}-*.jpg"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class DerivedRun:
    made: int  # written now
    reused: int  # already there and current
    failed: tuple[str, ...]  # one reason per file that could not be read
    cancelled: bool
    not_needed: int = 0  # sources that get no such file (e.g. a still already small enough)


def derive_many(
    sources: Iterable[str | os.PathLike],
    current: Callable[[Path], bool],
    make: Callable[[Path], Path | None],
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> DerivedRun:
    """`make(source)` for every source (once each) for which `current(source)` is false; it
    returns the file made, or None when the source needs none."""
    files = list(dict.fromkeys(Path(s) for s in sources))
    made = reused = not_needed = 0
    failed: list[str] = []
    for i, source in enumerate(files):
        if cancel is not None and cancel():
            return DerivedRun(made, reused, tuple(failed), True, not_needed)
        try:
            if current(source):
                reused += 1
            elif make(source) is None:
                not_needed += 1
            else:
                made += 1
        except MediaError as exc:
            failed.append(str(exc))
        if progress is not None:
            progress(i + 1, len(files))
    return DerivedRun(made, reused, tuple(failed), False, not_needed)


def store_take_files(store) -> list[Path]:
    """Every take file of a store inside its media folder, once each."""
    from sqlalchemy import select

    from engine.store.models import Take

    with store.read() as s:
        outputs = list(s.scalars(select(Take.output_path).where(Take.output_path.is_not(None)).distinct()))
    sources = [store.resolve_media(p) for p in outputs]  # None: outside the media folder
    return [p for p in sources if p is not None]
