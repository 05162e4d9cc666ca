"""`dailies export otio`: an episode as an editorial timeline for the editor's tools."""

from __future__ import annotations

from engine.cli.common import add_json, add_store, emit, store_from, subgroup


def register(subparsers) -> None:
    from engine.takes.reports.otio_export import FORMATS, STATUSES

    export = subgroup(subparsers, "export", "hand an episode to editorial")
    p = export.add_parser(
        "otio",
        help="the episode as an OpenTimelineIO timeline or a CMX 3600 EDL",
        description="Write one timeline of the episode in sequence order: one clip per shot "
        "with its chosen take's file (stills held --still-duration seconds at 24 fps, clips "
        "at their own length and rate), a gap where a shot has no such take, markers for the "
        "take's notes and tags, and the take's provenance in each clip's metadata.",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--episode", required=True, metavar="E", help="episode code, e.g. EP01")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write (FILE.otio or FILE.edl)")
    p.add_argument("--status", default="approved", choices=STATUSES,
                   help="which takes to cut in (default: approved; the latest such take of each shot)")
    p.add_argument("--still-duration", type=float, default=2.0, metavar="SECONDS",
                   help="how long a still (and a gap) is held (default 2 s)")
    p.add_argument("--format", dest="fmt", default="otio", choices=FORMATS,
                   help="otio (OpenTimelineIO JSON, default) or edl (CMX 3600)")
    p.set_defaults(func=_otio)


def _otio(args) -> int:
    from engine.takes.reports.otio_export import export_timeline

    with store_from(args) as store:
        summary = export_timeline(store, args.episode, args.out, status=args.status,
                                  still_duration=args.still_duration, fmt=args.fmt)
    emit(args, summary, lambda r: f"wrote {r.out} ({r.format}): episode {r.episode}, {r.clips} clip(s), "
         f"{r.gaps} gap(s), {r.markers} marker(s)")
    return 0
