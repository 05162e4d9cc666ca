"""Take media on disk: what a file is (image or clip), checked before it is recorded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from engine.core.errors import MediaError

CLIP_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}
# The pixel budget: an image is decoded whole only up to 40 megapixels (an 8K frame is 33),
# about 160 MB as RGBA, so one thumbnail or check never takes more than a few hundred MB.
MAX_IMAGE_PIXELS = 40_000_000
# Containers a clip may be in (PyAV's demuxer names); anything else with a clip suffix, such
# as a PNG renamed .mp4, is not a clip.
CLIP_CONTAINERS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi"}


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


def check_pixel_budget(path: Path, width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise MediaError(
            f"{path}: image of {width}x{height} pixels is larger than Dailies decodes "
            f"({MAX_IMAGE_PIXELS:,} pixels); refusing it to keep memory bounded"
        )


def _probe_image(path: Path) -> tuple[int, int]:
    try:
        with Image.open(path) as img:
            width, height = img.size
            check_pixel_budget(path, width, height)
            img.verify()
        with Image.open(path) as img:
            img.load()  # a full decode: a file cut short fails here, not on the desk
    except UnidentifiedImageError:
        raise MediaError(f"{path}: not an image Dailies can read") from None
    except Image.DecompressionBombError as exc:
        raise MediaError(f"{path}: refused as a decompression bomb ({exc})") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(f"{path}: image is damaged ({exc})") from None
    return width, height


def _probe_clip(path: Path) -> tuple[int, int, int]:
    """Container and stream checked, every packet demuxed (a clip cut short has fewer than
    its index promises, or packets past the end of the file), and one frame fully decoded."""
    import av

    size = path.stat().st_size
    try:
        with av.open(str(path)) as container:
            formats = set(container.format.name.split(","))
            if not formats & CLIP_CONTAINERS:
                raise MediaError(f"{path}: is a {container.format.long_name or container.format.name}, not a clip")
            if not container.streams.video:
                raise MediaError(f"{path}: clip has no video stream")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            if not width or not height:
                raise MediaError(f"{path}: clip's video stream has no picture size")
            check_pixel_budget(path, width, height)
            promised = stream.frames or 0
            packets = decoded = 0
            for packet in container.demux(stream):
                if packet.size == 0:
                    continue
                packets += 1
                if packet.pos is not None and packet.pos >= 0 and packet.pos + packet.size > size:
                    raise MediaError(f"{path}: clip is cut short (a frame lies past the end of the file)")
                if not decoded:
                    decoded = len(packet.decode())
            if packets == 0:
                raise MediaError(f"{path}: clip has no frames")
            if promised and packets < promised:
                raise MediaError(f"{path}: clip is cut short ({packets} of its {promised} frames are in the file)")
            if not decoded:
                decoded = len(stream.codec_context.decode(None))
            if not decoded:
                raise MediaError(f"{path}: no frame of the clip could be decoded")
            return width, height, promised or packets
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
