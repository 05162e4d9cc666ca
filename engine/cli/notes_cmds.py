"""`dailies notes ...`: region notes drawn on a take's frame, and their COCO export."""

from __future__ import annotations

import getpass

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table
from engine.core.errors import DailiesError
from engine.store.notes import add_note, notes_on, retract_note

SHAPES = (("box", "X,Y,W,H"), ("arrow", "X1,Y1,X2,Y2"), ("stroke", "X1,Y1,X2,Y2,..."), ("at", "X,Y"))


def register(subparsers) -> None:
    notes = subgroup(subparsers, "notes", "region notes drawn on a take's frame")
    p = notes.add_parser(
        "add", help="draw a note on a take's frame",
        description="Record a box, an arrow, a freehand stroke or a text label on a take's frame. "
        "Coordinates are fractions of the frame (0 to 1, from the top left); a clip's notes may "
        "cover frames N-M (1 is the first frame).",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--take", required=True, help="SHOT/take_001 or a take's store id")
    shape = p.add_mutually_exclusive_group(required=True)
    for name, metavar in SHAPES:
        shape.add_argument(f"--{name}", metavar=metavar,
                           help="place a text label (with --text)" if name == "at" else f"a {name}")
    p.add_argument("--text", default="", help="the note's text (a label's words)")
    p.add_argument("--tag", help="a rejection tag of the taxonomy in review.json, drawn with the note")
    p.add_argument("--frame", metavar="N[-M]", help="for a clip: the frame or frames the note covers")
    p.add_argument("--author", help="who drew it (default: your user name)")
    p.set_defaults(func=_add)

    p = notes.add_parser("list", help="a take's standing notes", description="List the notes standing on a take (withdrawn ones left out), oldest first.")
    add_store(p)
    add_json(p)
    p.add_argument("--take", required=True)
    p.set_defaults(func=_list)

    p = notes.add_parser("retract", help="withdraw a note", description="Append a retraction of a note; the note stays in the history.")
    add_store(p)
    p.add_argument("id", type=int, help="the note's id (from 'notes list')")
    p.add_argument("--author", help="who withdraws it (default: your user name)")
    p.set_defaults(func=_retract)

    p = notes.add_parser(
        "export", help="the notes as a COCO detection dataset",
        description="Write the standing notes as COCO detection JSON (FiftyOne, CVAT): images are the "
        "takes' files with prompt, seed, model and system-prompt version; categories the rejection tags.",
    )
    add_store(p)
    p.add_argument("--format", required=True, choices=["coco"])
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--episode", help="only this episode's takes")
    p.add_argument("--tag", help="only notes with this rejection tag")
    p.set_defaults(func=_export)


def _numbers(flag: str, text: str) -> list[float]:
    out = []
    for part in text.split(","):
        try:
            out.append(float(part))
        except ValueError:
            raise DailiesError(f"--{flag}: '{part.strip()}' is not a number (give fractions of the frame, e.g. 0.25)") from None
    return out


def parse_frames(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    first, _, last = text.partition("-")
    try:
        return int(first), int(last) if last else int(first)
    except ValueError:
        raise DailiesError(f"--frame: '{text}' is not a frame or a range N-M") from None


def _add(args) -> int:
    name = next(n for n, _ in SHAPES if getattr(args, n) is not None)
    start, end = parse_frames(args.frame)
    with store_from(args) as store, store.write() as s:
        note = add_note(
            s, args.take, author=args.author or getpass.getuser(), kind="text" if name == "at" else name,
            points=_numbers(name, getattr(args, name)), text=args.text, tag=args.tag,
            frame_start=start, frame_end=end,
        )
    emit(args, note, f"note {note.id} ({note.kind}) recorded on {args.take}")
    return 0


def _frames(n) -> str:
    if n.frame_start is None:
        return ""
    return str(n.frame_start) if n.frame_end == n.frame_start else f"{n.frame_start}-{n.frame_end}"


def _list(args) -> int:
    with store_from(args) as store, store.read() as s:
        notes = notes_on(s, args.take)
    emit(args, notes, lambda rows: table(
        [[n.id, f"{n.made_at:%Y-%m-%d %H:%M}", n.author, n.kind, ",".join(f"{v:g}" for v in n.points),
          _frames(n), n.tag or "", n.text] for n in rows],
        ["id", "time", "author", "kind", "points", "frames", "tag", "text"],
    ) if rows else f"take {args.take} has no standing notes")
    return 0


def _retract(args) -> int:
    with store_from(args) as store, store.write() as s:
        retract_note(s, args.id, author=args.author or getpass.getuser())
    print(f"note {args.id} withdrawn")
    return 0


def _export(args) -> int:
    from engine.takes.reports.coco_export import (
        export_coco,  # Pillow and PyAV: only for this command
    )

    with store_from(args) as store:
        done = export_coco(store, args.out, episode=args.episode, tag=args.tag)
    frames = f"; {done.frames_written} clip frames in {done.path.name}.frames/" if done.frames_written else ""
    print(f"wrote {done.path}: {done.images} images, {done.annotations} regions, {done.comments} text labels{frames}")
    return 0
