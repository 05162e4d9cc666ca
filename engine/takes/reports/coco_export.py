"""Region notes as a COCO detection dataset, so FiftyOne, CVAT and Label Studio open them.

Images are the takes' files (a clip's noted frame is written as a PNG beside the JSON, in
FILE.frames/), each carrying what made it: prompt, seed, model, target and system-prompt
version and hash. Categories are the rejection tags of the taxonomy, then "untagged" for
notes drawn without a tag. Each box, arrow or stroke is an annotation: bbox [x, y, w, h] in
pixels, area, iscrowd 0; a box and a stroke of three or more points also carry their outline
as a segmentation polygon, an arrow its line. Text labels are not regions: they go with their
image as `comments`. Standing notes only (withdrawn ones are left out).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from engine.core.errors import DailiesError
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.store.models import Episode, Shot, Take
from engine.store.note_models import ReviewNote
from engine.store.notes import Note, standing_notes
from engine.store.takes import TakeRecord, takes_by_ids
from engine.takes.reports.note_frames import take_frame

UNTAGGED = "untagged"


@dataclass(frozen=True)
class CocoExport:
    path: Path
    images: int
    annotations: int
    comments: int
    frames_written: int


def _noted_take_ids(session, episode: str | None) -> list[int]:
    query = select(ReviewNote.take_id).where(ReviewNote.kind != "retract").distinct()
    if episode is not None:
        if session.scalar(select(Episode.id).where(Episode.code == episode)) is None:
            raise DailiesError(f"no episode {episode} in the store")
        query = (query.join(Take, Take.id == ReviewNote.take_id).join(Shot, Shot.id == Take.shot_id)
                 .join(Episode, Episode.id == Shot.episode_id).where(Episode.code == episode))
    return sorted(session.scalars(query))


def _polygon_area(xy: list[float]) -> float:
    xs, ys = xy[0::2], xy[1::2]
    n = len(xs)
    return abs(sum(xs[i] * ys[(i + 1) % n] - xs[(i + 1) % n] * ys[i] for i in range(n))) / 2


def annotation(note: Note, width: int, height: int) -> dict:
    """One note as a COCO annotation (without ids): pixels, area, outline where it has one."""
    px = [round(v * (width if i % 2 == 0 else height), 2) for i, v in enumerate(note.points)]
    x, y, w, h = note.bounds()
    bbox = [round(x * width, 2), round(y * height, 2), round(w * width, 2), round(h * height, 2)]
    out: dict = {"bbox": bbox, "iscrowd": 0, "area": round(bbox[2] * bbox[3], 2)}
    if note.kind == "box":
        bx, by, bw, bh = bbox
        out["segmentation"] = [[bx, by, bx + bw, by, bx + bw, by + bh, bx, by + bh]]
    elif note.kind == "stroke" and len(px) >= 6:
        out["segmentation"] = [px]
        out["area"] = round(_polygon_area(px), 2)
    elif note.kind == "arrow":
        out["line"] = px  # tail x,y then head x,y
    out.update(note_id=note.id, kind=note.kind, text=note.text, author=note.author,
               made_at=note.made_at.isoformat(), frame_start=note.frame_start, frame_end=note.frame_end)
    return out


def _image_fields(take: TakeRecord) -> dict:
    return {
        "take": take.ref, "take_id": take.id, "prompt": take.prompt, "seed": take.seed,
        "model": take.model, "target": take.target, "system_prompt_version": take.system_prompt_version,
        "system_prompt_sha256": take.system_prompt_sha256, "media_kind": take.media_kind,
    }


def _frame_file(store: Store, take: TakeRecord, frame: int, frames_dir: Path) -> tuple[Path, int, int]:
    source = _source(store, take)
    picture = take_frame(source, frame)
    frames_dir.mkdir(parents=True, exist_ok=True)
    target = frames_dir / f"{take.shot}_{take.take_name}_f{frame:05d}.png"
    picture.save(target)
    return target, picture.width, picture.height


def _source(store: Store, take: TakeRecord) -> Path:
    source = store.resolve_media(take.output_path)
    if source is None or not source.is_file():
        raise DailiesError(f"take {take.ref}: its file {take.output_path or '(none recorded)'} is not there; "
                           "nothing was exported")
    return source


def _still_size(store: Store, take: TakeRecord) -> tuple[Path, int, int]:
    source = _source(store, take)
    try:
        with Image.open(source) as img:
            return source, img.width, img.height
    except Exception as exc:
        raise DailiesError(f"take {take.ref}: cannot read {source} ({exc}); nothing was exported") from None


def coco_dataset(store: Store, frames_dir: Path, *, episode: str | None = None,
                 tag: str | None = None) -> tuple[dict, int]:
    """The COCO data of the standing notes (optionally of one episode, of one tag), and how
    many clip frames were written into `frames_dir`."""
    tags = review_config().tags
    if tag is not None and tag not in tags:
        raise DailiesError(f"'{tag}' is not a rejection tag; tags are {', '.join(tags)}")
    with store.read() as s:
        ids = _noted_take_ids(s, episode)
        notes = standing_notes(s, ids)
        takes = {t.id: t for t in takes_by_ids(s, ids)}
    names = [*tags, UNTAGGED]
    category = {name: i for i, name in enumerate(names, start=1)}
    data: dict = {
        "info": {"description": "Dailies region notes", "version": "1.0"},
        "licenses": [],
        "categories": [{"id": category[n], "name": n, "supercategory": "rejection" if n != UNTAGGED else "note"}
                       for n in names],
        "images": [], "annotations": [],
    }
    written = 0
    images: dict[tuple[int, int | None], dict] = {}
    for take_id in ids:
        take = takes[take_id]
        for note in notes[take_id]:
            if tag is not None and note.tag != tag:
                continue
            frame = (note.frame_start or 1) if take.media_kind == "clip" else None
            key = (take_id, frame)
            if key not in images:
                if frame is None:
                    path, width, height = _still_size(store, take)
                else:
                    path, width, height = _frame_file(store, take, frame, frames_dir)
                    written += 1
                images[key] = {"id": len(images) + 1, "file_name": str(path), "width": width, "height": height,
                               **_image_fields(take), "frame": frame, "comments": []}
                data["images"].append(images[key])
            image = images[key]
            if note.kind == "text":
                image["comments"].append({"note_id": note.id, "text": note.text, "tag": note.tag,
                                          "author": note.author, "x": round(note.points[0] * image["width"], 2),
                                          "y": round(note.points[1] * image["height"], 2)})
                continue
            data["annotations"].append({"id": len(data["annotations"]) + 1, "image_id": image["id"],
                                        "category_id": category[note.tag or UNTAGGED],
                                        **annotation(note, image["width"], image["height"])})
    return data, written


def export_coco(store: Store, path: str | Path, *, episode: str | None = None, tag: str | None = None) -> CocoExport:
    """Write the notes as COCO detection JSON at `path` (clip frames in PATH.frames/); the
    file appears whole or not at all."""
    path = Path(path)
    if not path.parent.is_dir():
        raise DailiesError(f"cannot write {path}: folder {path.parent} does not exist")
    frames_dir = path.with_name(path.name + ".frames")
    data, written = coco_dataset(store, frames_dir, episode=episode, tag=tag)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(json.dumps(data, ensure_ascii=False))  # one C-encoded pass, no indent
        os.replace(tmp, path)
    except OSError as exc:
        raise DailiesError(f"cannot write {path}: {exc.strerror}") from None
    comments = sum(len(i["comments"]) for i in data["images"])
    return CocoExport(path, len(data["images"]), len(data["annotations"]), comments, written)
