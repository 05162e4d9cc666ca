"""Region notes on a take's frame: a box, an arrow, a freehand stroke or a text label.

A note is tied to the exact take (version) it was drawn on, optionally to a range of a
clip's frames and to a rejection tag of the taxonomy. Points are fractions of the frame
(0..1, origin top left), so a note lands on the same spot at any display size. Frames are
numbered as the desk shows them: 1 is a clip's first frame; a still has no frame range.

Notes are append-only like decisions: `retract_note` appends a retraction row naming the
note, and `standing_notes` leaves withdrawn notes out. `note_problem` is the one statement of
what a note may be; the desk asks it before it queues a note, `add_note` again before it
writes. `notes_since` gives the rows after an id, for desks polling a shared store.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError, StoreError
from engine.core.inputs import check_text
from engine.core.review_config import review_config
from engine.store.insert_or_get import add_or_existing
from engine.store.models import Shot, Take, utcnow
from engine.store.note_models import ReviewNote
from engine.store.reviews import decision_problem
from engine.store.takes import resolve_take_id, take_ref

NOTE_KINDS = ("box", "arrow", "stroke", "text")
POINT_COUNTS = {"box": 4, "arrow": 4, "text": 2}  # a stroke: pairs, at least two points
STROKE_MAX_POINTS = 2000
TEXT_MAX = 2000


@dataclass(frozen=True)
class Note:
    id: int
    take_id: int
    author: str
    made_at: datetime
    kind: str  # one of NOTE_KINDS
    points: tuple[float, ...]  # box x,y,w,h; arrow x1,y1,x2,y2; stroke x1,y1,x2,y2,...; text x,y
    text: str  # the label / comment, "" if none
    tag: str | None  # a rejection tag of the taxonomy
    frame_start: int | None  # for clips: first frame (inclusive, 1 = the first); None for stills
    frame_end: int | None  # for clips: last frame (inclusive)

    def on_frame(self, frame: int | None) -> bool:
        """Whether the note shows on `frame` (1-based; None: a still, or any frame)."""
        if frame is None or self.frame_start is None:
            return True
        return self.frame_start <= frame <= (self.frame_end or self.frame_start)

    def bounds(self) -> tuple[float, float, float, float]:
        """x, y, w, h of the note's region (for arrows and strokes: around their points)."""
        if self.kind == "box":
            return self.points  # type: ignore[return-value]
        xs, ys = self.points[0::2], self.points[1::2]
        return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


@dataclass(frozen=True)
class NoteChange:
    """One row appended to the notes: a note added (`note`) or one withdrawn (`retracts_id`)."""

    id: int
    take_id: int
    author: str
    made_at: datetime
    note: Note | None
    retracts_id: int | None


def note_problem(
    kind: str,
    points: Sequence[float],
    *,
    text: str = "",
    tag: str | None = None,
    frame_start: int | None = None,
    frame_end: int | None = None,
    frames: int | None = None,
) -> str | None:
    """Why a note may not be recorded, in one line, or None when it may.

    `frames` is the clip's frame count; None for a still (which takes no frame range)."""
    if kind not in NOTE_KINDS:
        return f"'{kind}' is not a kind of note; kinds are {', '.join(NOTE_KINDS)}"
    try:
        values = [float(v) for v in points]
    except (TypeError, ValueError):
        return f"{_a(kind)}'s points must be numbers"
    want = POINT_COUNTS.get(kind)
    if want is not None and len(values) != want:
        return f"{_a(kind)} takes {want} numbers ({_SHAPES[kind]}), found {len(values)}"
    if kind == "stroke" and (len(values) < 4 or len(values) % 2):
        return f"a stroke takes pairs x,y of at least two points, found {len(values)} numbers"
    if kind == "stroke" and len(values) > 2 * STROKE_MAX_POINTS:
        return f"a stroke has {len(values) // 2} points; at most {STROKE_MAX_POINTS} are kept"
    for i, v in enumerate(values):
        if not (math.isfinite(v) and 0.0 <= v <= 1.0):
            axis = "xy"[i % 2] if kind != "box" or i < 2 else "wh"[i % 2]
            return (f"{kind} point {i // 2 + 1} {axis} = {v:g} is outside the frame "
                    "(coordinates are fractions of the frame, 0 to 1)")
    if kind == "box":
        x, y, w, h = values
        if w <= 0 or h <= 0:
            return f"a box needs a width and a height above 0, found {w:g} x {h:g}"
        if x + w > 1.0 + 1e-9 or y + h > 1.0 + 1e-9:
            return f"the box {x:g},{y:g} {w:g}x{h:g} reaches past the frame's edge"
    if kind == "text" and not (text or "").strip():
        return "a text note needs its text"
    if tag is not None:
        problem = decision_problem(review_config(), approve=False, tags=(tag,))
        if problem:
            return problem
    return _frames_problem(frame_start, frame_end, frames)


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


_SHAPES = {"box": "x,y,w,h", "arrow": "x1,y1,x2,y2", "text": "x,y"}


def _frames_problem(start: int | None, end: int | None, frames: int | None) -> str | None:
    if start is None:
        return "a frame range needs its first frame" if end is not None else None
    if frames is None:
        return "a still image has no frames to range over; give no frame range"
    end = start if end is None else end
    if end < start:
        return f"the frame range {start}-{end} is reversed (the first frame comes first)"
    if start < 1 or end > frames:
        return f"frames {start}-{end} are beyond the clip's frames 1-{frames}"
    return None


def _take(session: Session, take_id: int):
    return session.execute(
        select(Shot.code, Take.number, Take.media_kind, Take.output_path)
        .join(Take, Take.shot_id == Shot.id).where(Take.id == take_id)
    ).one()


def _media_dir(session: Session) -> Path:
    from engine.store.db import StoreLocation

    url = session.get_bind().url
    path = Path(url.database).resolve() if url.drivername.startswith("sqlite") and url.database else None
    return StoreLocation(url=url, path=path).media_dir


@lru_cache(maxsize=64)
def _clip_frames(path: str, _mtime_ns: int, _size: int) -> int:
    from engine.core.media import probe_media

    return probe_media(path).frames


def take_frames(session: Session, take_id: int) -> int | None:
    """The take's frame count for a clip (read from its file), None for a still."""
    from engine.store.media_files import media_path

    _, _, media_kind, output_path = _take(session, take_id)
    if media_kind != "clip":
        return None
    if not output_path:
        raise StoreError("the clip has no file to count its frames in")
    path = media_path(_media_dir(session), output_path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise StoreError(f"cannot count the clip's frames: {path} cannot be read ({exc.strerror})") from None
    return _clip_frames(str(path), st.st_mtime_ns, st.st_size)


def _note(row) -> Note:
    return Note(
        id=row.id, take_id=row.take_id, author=row.author, made_at=row.made_at, kind=row.kind,
        points=tuple(json.loads(row.points_json)), text=row.text, tag=row.tag,
        frame_start=row.frame_start, frame_end=row.frame_end,
    )


_COLUMNS = tuple(ReviewNote.__table__.c[name] for name in (
    "id", "take_id", "author", "made_at", "kind", "points_json", "text", "tag", "frame_start", "frame_end"))


def _by_client_key(session: Session, client_key: str) -> ReviewNote | None:
    return session.scalar(select(ReviewNote).where(ReviewNote.client_key == client_key))


def _author(author: str, what: str) -> str:
    check_text(author, "the author's name", limit=128)
    if not (author or "").strip():
        raise StoreError(f"{what} needs an author name")
    return author.strip()


def add_note(
    session: Session,
    take_id: int | str,
    *,
    author: str,
    kind: str,
    points: Sequence[float],
    text: str = "",
    tag: str | None = None,
    frame_start: int | None = None,
    frame_end: int | None = None,
    at: datetime | None = None,
    client_key: str | None = None,
) -> Note:
    """Record a note on a take's frame. StoreError (one line, nothing written) when the note
    breaks `note_problem`. `client_key`: a note already stored under it is returned as it is."""
    if client_key is not None and (existing := _by_client_key(session, client_key)) is not None:
        return _note(existing)
    tid = resolve_take_id(session, take_id)
    code, number, _, _ = _take(session, tid)
    where = f"note on take {take_ref(code, number)}"
    author = _author(author, f"a {where}")
    check_text(text, f"the {where}'s text", limit=TEXT_MAX)
    if frame_start is not None and frame_end is None:
        frame_end = frame_start
    try:
        frames = take_frames(session, tid) if frame_start is not None or frame_end is not None else None
    except DailiesError as exc:
        raise StoreError(f"{where}: {exc}") from None
    problem = note_problem(kind, points, text=text, tag=tag, frame_start=frame_start,
                           frame_end=frame_end, frames=frames)
    if problem:
        raise StoreError(f"{where}: {problem}")
    row = ReviewNote(
        take_id=tid, author=author, made_at=at or utcnow(), kind=kind,
        points_json=json.dumps([round(float(v), 6) for v in points]), text=(text or "").strip(),
        tag=tag, frame_start=frame_start, frame_end=frame_end, client_key=client_key,
    )
    if client_key is None:
        session.add(row)
        session.flush()
    elif (raced := add_or_existing(session, row, lambda: _by_client_key(session, client_key))) is not None:
        return _note(raced)
    return _note(row)


def retract_note(session: Session, note_id: int, *, author: str, client_key: str | None = None) -> None:
    """Withdraw a note: a retraction row naming it is appended; the note stays in the history.
    StoreError when there is no such note or it is already withdrawn."""
    if client_key is not None and _by_client_key(session, client_key) is not None:
        return
    author = _author(author, "withdrawing a note")
    note = session.get(ReviewNote, note_id) if isinstance(note_id, int) else None
    if note is None or note.kind == "retract":
        raise StoreError(f"there is no note {note_id}")
    done = session.scalar(select(ReviewNote.author).where(ReviewNote.retracts_id == note.id))
    if done is not None:
        raise StoreError(f"note {note_id} was already withdrawn by {done}")
    row = ReviewNote(take_id=note.take_id, author=author, made_at=utcnow(), kind="retract",
                     points_json="[]", text="", retracts_id=note.id, client_key=client_key)
    if client_key is None:
        session.add(row)
        session.flush()
    else:
        add_or_existing(session, row, lambda: _by_client_key(session, client_key))


def standing_notes(session: Session, take_ids: Sequence[int]) -> dict[int, list[Note]]:
    """The notes not withdrawn on each take (every take asked for has a list), by made_at."""
    ids = list(dict.fromkeys(int(t) for t in take_ids))
    out: dict[int, list[Note]] = {t: [] for t in ids}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        withdrawn = select(ReviewNote.retracts_id).where(
            ReviewNote.take_id.in_(chunk), ReviewNote.retracts_id.is_not(None))
        rows = session.execute(  # columns, not ORM objects: the desk reads these per take
            select(*_COLUMNS)
            .where(ReviewNote.take_id.in_(chunk), ReviewNote.kind != "retract",
                   ReviewNote.id.not_in(withdrawn))
            .order_by(ReviewNote.made_at, ReviewNote.id)
        )
        for row in rows:
            out[row.take_id].append(_note(row))
    return out


def latest_note_id(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(ReviewNote.id), 0))) or 0)


def notes_since(session: Session, after_id: int, limit: int = 5000) -> list[NoteChange]:
    """Notes added and withdrawn after row `after_id`, oldest first (NoteChange.id is the
    cursor for the next call)."""
    rows = session.scalars(
        select(ReviewNote).where(ReviewNote.id > after_id).order_by(ReviewNote.id).limit(limit)
    )
    return [
        NoteChange(id=r.id, take_id=r.take_id, author=r.author, made_at=r.made_at,
                   note=None if r.kind == "retract" else _note(r), retracts_id=r.retracts_id)
        for r in rows
    ]


def notes_on(session: Session, take: int | str) -> list[Note]:
    """The standing notes of one take (store id or SHOT/take_NNN), by made_at."""
    take_id = resolve_take_id(session, take)
    return standing_notes(session, [take_id])[take_id]
