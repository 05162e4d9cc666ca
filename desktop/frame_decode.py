"""Decoding a take's media at display size, in a worker thread (QImage only, never QPixmap).

Images: Pillow, with JPEG decoded at a reduced scale through draft() and the decompression
bomb guard (Image.MAX_IMAGE_PIXELS) checked before any pixel is read. Clips: PyAV, seeking to
the nearest key frame before the wanted frame. Every failure becomes a reason a reviewer can
read (missing file, damaged file, refused size), shown in place of the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from engine.core.errors import MediaError
from engine.core.media import CLIP_SUFFIXES
from engine.takes.display_copies import display_copy_path, gets_display_copy
from engine.takes.thumbnails import EDGE, thumbnail


@dataclass(frozen=True)
class FrameKey:
    """One decoded frame: a file, a frame index (0 for images) and the size it is shown at;
    `stand_in`: the same frame from the take's display copy, shown until the full one lands."""

    path: str
    kind: str  # image | clip
    frame: int
    width: int
    height: int
    stand_in: bool = False

    def stand_in_key(self) -> FrameKey:
        return replace(self, stand_in=True)

    def full_key(self) -> FrameKey:
        return replace(self, stand_in=False)


class FrameFailure(Exception):
    """The frame cannot be shown; the message says why, naming the file."""


def _to_qimage(img: Image.Image) -> QImage:
    """Pillow image to a QImage in the GUI's native 32-bit layout, made here in the worker so
    QPixmap.fromImage on the GUI thread is a plain copy."""
    if img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.getbands() else "RGB")
    if img.mode == "RGBA":
        data = img.tobytes("raw", "BGRA")
        qimg = QImage(data, img.width, img.height, img.width * 4, QImage.Format_ARGB32)
        return qimg.convertToFormat(QImage.Format_ARGB32_Premultiplied)
    # RGB888 converted by Qt: 3x faster than Pillow's BGRX, and the unused byte comes out as
    # 0xFF as Qt's RGB32 requires (Pillow writes 0, which scaled draws read as transparent).
    data = img.tobytes()
    return QImage(data, img.width, img.height, img.width * 3, QImage.Format_RGB888).convertToFormat(
        QImage.Format_RGB32
    )


def fitted_size(width: int, height: int, box_width: int, box_height: int) -> QSize:
    """The size a width x height picture is shown at in the box: fitted, never enlarged. Every
    decode of a frame (full or stand-in) comes out exactly this size, so one replacing the
    other never moves a pixel."""
    size = QSize(width, height)
    if width > box_width or height > box_height:
        size = size.scaled(box_width, box_height, Qt.KeepAspectRatio)
    return QSize(max(1, size.width()), max(1, size.height()))


def decode_image(path: Path, width: int, height: int) -> QImage:
    name = path.name
    if not path.exists():
        raise FrameFailure(f"missing file: {path}")
    try:
        with Image.open(path) as img:
            limit = Image.MAX_IMAGE_PIXELS
            if limit and img.width * img.height > limit:
                raise FrameFailure(
                    f"refused {name}: {img.width}x{img.height} pixels is over the "
                    f"{limit:,}-pixel limit (possible decompression bomb)"
                )
            target = fitted_size(img.width, img.height, width, height)
            if img.format == "JPEG" and img.mode in ("RGB", "L") and _ends_whole(path):
                image = _read_jpeg(path, target)
                if image is not None:
                    return image
            # DCT scaling: libjpeg-turbo decodes at 1/2, 1/4 or 1/8 of the size, the smallest
            # still covering the display; the entropy decoding of the whole file remains and
            # is most of the cost (a maintained decoder with the same libjpeg-turbo inside,
            # simplejpeg, measured no faster).
            img.draft("RGB", (target.width(), target.height()))
            img.load()
            return _fit(img, target)  # fitted while the file is open: no copy
    except Image.DecompressionBombError as exc:
        raise FrameFailure(f"refused {name}: possible decompression bomb ({exc})") from None
    except UnidentifiedImageError:
        raise FrameFailure(f"cannot read {name}: not an image") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise FrameFailure(f"cannot read {name}: damaged image ({exc})") from None


def _read_jpeg(path: Path, target: QSize) -> QImage | None:
    """A whole JPEG decoded and fitted to `target` by Qt's reader (the same DCT scaling), in
    one call that leaves the interpreter lock free: Pillow's path holds it through the
    reduction, the copy out and Qt's scaling (10-25 ms a frame), and the GUI thread waited
    that long for it whenever a jump landed while a frame was being decoded. None when Qt
    cannot read it (Pillow then says why)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(False)  # as Pillow's decode: the pixels as stored
    reader.setScaledSize(target)
    image = reader.read()
    if image.isNull() or image.size() != target:
        return None
    return image if image.format() == QImage.Format_RGB32 else image.convertToFormat(QImage.Format_RGB32)


def _fit(frame: Image.Image, target: QSize) -> QImage:
    """Scale down to exactly `target`: whole-factor box reduction in Pillow, the rest with
    Qt's smooth scaling (both far cheaper than a general resample of the full frame)."""
    factor = min(frame.width // target.width(), frame.height // target.height())
    if factor >= 2:
        frame = frame.reduce(factor)
    qimg = _to_qimage(frame)
    if qimg.size() != target:
        qimg = qimg.scaled(target, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    return qimg


def decode_stand_in(key: FrameKey, media_dir: Path) -> tuple[QImage | None, str | None]:
    """The frame `key` names from the take's display copy, the very size the full decode will
    have; None when there is no copy, when it is damaged, or when it lacks pixels the screen
    shows (the box is larger than the copy): the reviewer then waits for the full frame.
    Second: what the copy needs, "make" (a take recorded before copies were kept) or
    "remake" (damaged), else None. Never raises: the full decode names any trouble."""
    source = Path(key.path)
    try:
        copy = display_copy_path(media_dir, source)
        with Image.open(source) as src:  # the header only: the size of the full decode
            target = fitted_size(src.width, src.height, key.width, key.height)
            aspect = src.width / src.height
            if not gets_display_copy(src):
                return None, None
    except Exception:  # noqa: BLE001 - missing or damaged source: the full decode says so
        return None, None
    if not copy.exists():
        return None, "make"
    # Qt's reader decodes the copy at reduced scale and fits it to the exact size in one call
    # that leaves the interpreter lock free (the GUI thread is painting meanwhile), a third
    # cheaper than Pillow and a conversion here.
    reader = QImageReader(str(copy))
    size = reader.size()  # the header only
    if not size.isValid() or not _ends_whole(copy) or abs(size.width() / size.height() - aspect) > 0.01:
        return None, "remake"  # cut short, or not a copy of this picture
    if size.width() < target.width() or size.height() < target.height():
        return None, None  # it would be enlarged: wait for the full frame
    reader.setScaledSize(target)
    image = reader.read()
    if image.isNull():
        return None, "remake"
    return image.convertToFormat(QImage.Format_RGB32), None


def _ends_whole(jpeg: Path) -> bool:
    """Whether a JPEG file ends with its end-of-image marker (a copy cut short does not, and
    would decode with its lower part grey)."""
    try:
        with open(jpeg, "rb") as fh:
            fh.seek(-2, 2)
            return fh.read(2) == b"\xff\xd9"
    except OSError:
        return False


@dataclass(frozen=True)
class ClipInfo:
    frames: int
    fps: float
    width: int
    height: int


def clip_info(path: Path) -> ClipInfo:
    import av

    if not path.exists():
        raise FrameFailure(f"missing file: {path}")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise FrameFailure(f"cannot play {path.name}: no video stream")
            stream = container.streams.video[0]
            fps = float(stream.average_rate or stream.guessed_rate or 24)
            frames = stream.frames
            if not frames and stream.duration and stream.time_base:
                frames = int(round(float(stream.duration * stream.time_base) * fps))
            if not frames:
                frames = sum(1 for _ in container.decode(stream))
            return ClipInfo(frames=int(frames), fps=fps, width=stream.width, height=stream.height)
    except FrameFailure:
        raise
    except Exception as exc:  # PyAV raises its own error types for damaged files
        raise FrameFailure(f"cannot play {path.name}: damaged clip ({exc})") from None


def decode_clip_frames(path: Path, start: int, count: int, width: int, height: int) -> dict[int, QImage]:
    """Frames start..start+count-1 of a clip, scaled to fit width x height."""
    import av

    if not path.exists():
        raise FrameFailure(f"missing file: {path}")
    out: dict[int, QImage] = {}
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            fps = float(stream.average_rate or stream.guessed_rate or 24)
            if start > 0 and stream.time_base:
                target = int((start / fps) / float(stream.time_base))
                container.seek(target, stream=stream, backward=True, any_frame=False)
            for frame in container.decode(stream):
                index = int(round(float(frame.time or 0) * fps)) if frame.time is not None else len(out)
                if index < start:
                    continue
                if index >= start + count:
                    break
                scale = min(width / frame.width, height / frame.height, 1.0)
                w = max(2, int(frame.width * scale)) // 2 * 2
                h = max(2, int(frame.height * scale)) // 2 * 2
                rgb = frame.reformat(width=w, height=h, format="rgb24").to_image()
                out[index] = _to_qimage(rgb)
    except Exception as exc:
        raise FrameFailure(f"cannot play {path.name}: damaged clip ({exc})") from None
    if not out:
        raise FrameFailure(f"cannot play {path.name}: frame {start} is past the end")
    return out


def decode_thumbnail(path: Path, media_dir: Path, width: int, height: int) -> QImage:
    """A small frame from the disk thumbnail (made now if missing): about 1 ms to decode."""
    try:
        thumb = thumbnail(media_dir, path)
    except MediaError as exc:
        raise FrameFailure(str(exc)) from None
    except OSError:  # the media folder is read-only: decode the source itself
        return decode_image(path, width, height) if path.suffix.lower() not in CLIP_SUFFIXES else None
    return decode_image(thumb, width, height)


def decode(key: FrameKey, media_dir: Path | None = None) -> dict[FrameKey, QImage]:
    """Decode what `key` names; a clip request also returns the frames after it. Frames no
    bigger than a thumbnail come from the disk thumbnails under `media_dir` when given."""
    path = Path(key.path)
    if media_dir is not None and key.frame == 0 and key.width <= EDGE and key.height <= EDGE:
        image = decode_thumbnail(path, media_dir, key.width, key.height)
        if image is not None:
            return {key: image}
    if key.kind == "clip":
        frames = decode_clip_frames(path, key.frame, 12, key.width, key.height)
        return {
            FrameKey(key.path, "clip", i, key.width, key.height): img for i, img in frames.items()
        }
    return {key: decode_image(path, key.width, key.height)}
