"""How a take's picture looks, in numbers: a 64-bit perceptual hash and a closer look.

A copy of a take (re-encoded, resized, converted, lightly graded) has other bytes but the
same picture. `phash` is the DCT hash of imagehash (64 bits); copies of a frame land within
a few bits of its take's hash, frames of other shots many bits away. Takes of one shot can
look so alike that their hashes agree, so a match is confirmed by `difference`: one minus
the correlation of the two pictures at 128x72 in colour, which a copy keeps near zero and a
sibling take does not.

Both figures are read off the same "look" of a file: the picture (a clip's first frame, as
the filmstrip shows it) scaled whole to LOOK pixels by area averaging, so that a half-size
copy and its original give the same look (the closer look compares whole looks).

Thresholds, measured on the demo episode's 52 frames (bench/takes_find.py prints them again):
copies (JPEG quality 80 and 50, half and quarter size, re-saved PNG, WebP, brightness +5% and
+10%, contrast +10%) lie within 4 bits of their take's hash (2 for all but the quarter-size
and contrast copies) and at a difference of at most 0.0016; frames of different shots lie 12
or more bits apart, and sibling takes of one shot at a difference of 0.0051 or more.
MAX_DISTANCE 8 and MAX_DIFFERENCE 0.0028 sit between the two, with room on both sides. A copy
much smaller than LOOK (a 160-pixel thumbnail of a 480-pixel frame) can miss the closer look.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from engine.core.errors import MediaError
from engine.core.media import CLIP_SUFFIXES, check_pixel_budget

BITS = 64
MAX_DISTANCE = 8  # bits of 64: a perceptual match
MAX_DIFFERENCE = 0.0028  # 1 - correlation at CLOSE: confirmed as the same picture
LOOK = (128, 72)
CLOSE = LOOK


def look_of_image(img: Image.Image) -> Image.Image:
    """A picture's look: RGB, scaled whole to LOOK by area averaging."""
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")  # palette, alpha, CMYK: to colour first (RGB needs no copy)
    look = img.resize(LOOK, Image.BOX)
    return look if look.mode == "RGB" else look.convert("RGB")


def look_of_bytes(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as img:
            check_pixel_budget(Path("image"), img.width, img.height)
            img.load()
            return look_of_image(img)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MediaError(f"image cannot be read ({exc})") from None


def look_of_file(path: str | Path) -> Image.Image:
    """The look of an image or of a clip's first frame; MediaError names the file."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        raise MediaError(f"{path}: no such file") from None
    return _cached_look(path, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)  # a take's look is asked for again by every copy of it looked up
def _cached_look(path: Path, _size: int, _mtime_ns: int) -> Image.Image:
    if path.suffix.lower() in CLIP_SUFFIXES:
        from engine.takes.thumbnails import render_thumbnail  # the filmstrip's own clip decoding

        return look_of_image(render_thumbnail(path))
    try:
        with Image.open(path) as img:
            check_pixel_budget(path, img.width, img.height)
            img.load()
            return look_of_image(img)
    except FileNotFoundError:
        raise MediaError(f"{path}: no such file") from None
    except UnidentifiedImageError:
        raise MediaError(f"{path}: not an image Dailies can read") from None
    except Image.DecompressionBombError as exc:
        raise MediaError(f"{path}: refused as a decompression bomb ({exc})") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"{path}: image is damaged ({exc})") from None


def phash(look: Image.Image) -> int:
    """The 64-bit perceptual hash of a look, as an unsigned integer."""
    import imagehash

    return int(str(imagehash.phash(look)), 16)


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed integer a BIGINT column keeps."""
    return value - (1 << 64) if value >= 1 << 63 else value


def distances(hashes: np.ndarray, query: int) -> np.ndarray:
    """Hamming distance of `query` to each of `hashes` (a uint64 array)."""
    return np.bitwise_count(hashes ^ np.uint64(query))


def _vector(look: Image.Image) -> np.ndarray:
    v = np.asarray(look.resize(CLOSE, Image.BOX), np.float32).ravel()
    v = v - v.mean()
    return v / (float(np.linalg.norm(v)) + 1e-9)


def difference(a: Image.Image, b: Image.Image) -> float:
    """How far two looks are apart: 0 for the same picture, about 1 for unrelated ones
    (brightness and contrast changes do not count)."""
    return max(0.0, 1.0 - float(_vector(a) @ _vector(b)))
