"""A take's frame as a picture, with its region notes drawn on it (Pillow, no Qt).

`take_frame` decodes a still, or one frame of a clip (numbered from 1, as the desk shows
them); `draw_notes` paints notes over a frame in the report's colours: a tagged note (a
rejection region) in red, an untagged one in amber, each with its tag and text beside it.
The weekly review's HTML export and the COCO export use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from engine.core.errors import MediaError
from engine.core.media import CLIP_SUFFIXES, check_pixel_budget
from engine.store.notes import Note

TAGGED = (248, 81, 73)  # a rejection region
UNTAGGED = (227, 179, 65)


def take_frame(path: Path, frame: int | None = None) -> Image.Image:
    """The still at `path`, or frame `frame` (1 = the first; None: the first) of the clip,
    as an RGB image. MediaError (one line, naming the file) when it cannot be read."""
    path = Path(path)
    try:
        if path.suffix.lower() in CLIP_SUFFIXES:
            return _clip_frame(path, frame or 1)
        with Image.open(path) as img:
            check_pixel_budget(path, img.width, img.height)
            return img.convert("RGB")
    except MediaError:
        raise
    except FileNotFoundError:
        raise MediaError(f"missing file: {path}") from None
    except UnidentifiedImageError:
        raise MediaError(f"cannot read {path}: not an image") from None
    except Exception as exc:  # damaged files: Pillow and PyAV raise many kinds
        raise MediaError(f"cannot read {path}: damaged file ({exc})") from None


def _clip_frame(path: Path, frame: int) -> Image.Image:
    import av

    with av.open(str(path)) as container:
        if not container.streams.video:
            raise MediaError(f"cannot read {path}: no video stream")
        for i, decoded in enumerate(container.decode(container.streams.video[0]), start=1):
            if i == frame:
                return decoded.to_image().convert("RGB")
    raise MediaError(f"cannot read {path}: the clip has no frame {frame}")


def fit(img: Image.Image, edge: int) -> Image.Image:
    """`img` shrunk so its long edge is at most `edge` pixels (never enlarged)."""
    scale = edge / max(img.width, img.height)
    if scale >= 1:
        return img
    return img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.BILINEAR)


def note_label(note: Note) -> str:
    return " · ".join(part for part in (note.tag, note.text if note.kind != "text" else "") if part)


def draw_notes(img: Image.Image, notes: Iterable[Note]) -> Image.Image:
    """A copy of `img` with each note drawn over it at its place (points are fractions)."""
    out = img.convert("RGB")
    draw = ImageDraw.Draw(out)
    w, h = out.size
    line = max(3, round(max(w, h) / 160))
    font = ImageFont.load_default(size=max(10, round(h / 28)))
    for note in notes:
        colour = TAGGED if note.tag else UNTAGGED
        pts = [(x * w, y * h) for x, y in zip(note.points[0::2], note.points[1::2], strict=True)]
        if note.kind == "box":
            x, y, bw, bh = note.points
            draw.rectangle([x * w, y * h, (x + bw) * w, (y + bh) * h], outline=colour, width=line)
        elif note.kind == "arrow":
            draw.line(pts, fill=colour, width=line)
            _arrow_head(draw, pts[0], pts[1], colour, line)
        elif note.kind == "stroke":
            draw.line(pts, fill=colour, width=line, joint="curve")
        label = note.text if note.kind == "text" else note_label(note)
        if note.kind == "text" and note.tag:
            label = f"{note.tag} · {label}"
        if label:
            _label(draw, pts[0], label, colour, font, out.size)
    return out


def _arrow_head(draw, start, end, colour, line: int) -> None:
    (x1, y1), (x2, y2) = start, end
    length = max(1e-6, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    size = line * 5
    left = (x2 - ux * size - uy * size * 0.6, y2 - uy * size + ux * size * 0.6)
    right = (x2 - ux * size + uy * size * 0.6, y2 - uy * size - ux * size * 0.6)
    draw.polygon([(x2, y2), left, right], fill=colour)


def _label(draw, at, text: str, colour, font, size) -> None:
    x, y = at
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    tw, th = right - left + 8, bottom - top + 6
    x = min(max(0, x), max(0, size[0] - tw))
    y = y - th - 2 if y - th - 2 >= 0 else min(y + 2, size[1] - th)
    draw.rectangle([x, y, x + tw, y + th], fill=(11, 12, 14))
    draw.text((x + 4 - left, y + 3 - top), text, fill=colour, font=font)


def noted_frames(store, take_ids, *, edge: int = 360, quality: int = 80) -> dict[int, str]:
    """Each take's frame with its standing notes drawn, as a JPEG data URI (long edge `edge`
    pixels), for pages that carry their pictures inside them. A clip shows the first frame
    its notes cover. Takes whose file cannot be read are left out (the page says so)."""
    import base64
    import io

    from engine.store.notes import standing_notes
    from engine.store.takes import takes_by_ids

    ids = list(dict.fromkeys(take_ids))
    with store.read() as s:
        notes = standing_notes(s, ids)
        takes = takes_by_ids(s, ids)
    out = {}
    for take in takes:
        path = store.resolve_media(take.output_path)
        frames = [n.frame_start for n in notes[take.id] if n.frame_start is not None]
        frame = min(frames) if frames and take.media_kind == "clip" else None
        try:
            picture = take_frame(path, frame) if path is not None else None
        except MediaError:
            picture = None
        if picture is None:
            continue
        shown = [n for n in notes[take.id] if n.on_frame(frame)]
        buf = io.BytesIO()
        draw_notes(fit(picture, edge), shown).save(buf, "JPEG", quality=quality)
        out[take.id] = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return out
