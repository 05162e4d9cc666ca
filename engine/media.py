"""Take media on disk: what a file is (image or clip), checked before it is recorded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from engine.errors import MediaError

CLIP_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}
# Refuse images beyond 16K x 10K: a decompression bomb must never reach a decoder.
MAX_IMAGE_PIXELS = 16384 * 10240


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    kind: str  # image | clip
    width: int
    height: int
    frames: int  # 1 for an image
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _probe_image(path: Path) -> tuple[int, int]:
    try:
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise MediaError(
                    f"{path}: image of {width}x{height} pixels is larger than Dailies opens "
                    f"({MAX_IMAGE_PIXELS:,} pixels); refusing it as a possible decompression bomb"
                )
            img.verify()
    except UnidentifiedImageError:
        raise MediaError(f"{path}: not an image Dailies can read") from None
    except Image.DecompressionBombError as exc:
        raise MediaError(f"{path}: refused as a decompression bomb ({exc})") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"{path}: image is damaged ({exc})") from None
    return width, height


def _probe_clip(path: Path) -> tuple[int, int, int]:
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise MediaError(f"{path}: clip has no video stream")
            stream = container.streams.video[0]
            frames = stream.frames or 0
            return stream.codec_context.width, stream.codec_context.height, frames
    except av.FFmpegError as exc:
        raise MediaError(f"{path}: not a clip Dailies can read ({exc})") from None


def probe_media(path: str | Path) -> MediaInfo:
    """Check that a take's output file exists and is an image or a clip; say what it is."""
    path = Path(path)
    if not path.exists():
        raise MediaError(f"output file {path} does not exist")
    if not path.is_file():
        raise MediaError(f"output path {path} is not a file")
    if path.suffix.lower() in CLIP_SUFFIXES:
        width, height, frames = _probe_clip(path)
        kind = "clip"
    else:
        width, height = _probe_image(path)
        frames, kind = 1, "image"
    return MediaInfo(path=path, kind=kind, width=width, height=height, frames=frames,
                     sha256=file_sha256(path))
