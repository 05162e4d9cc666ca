"""`dailies demo`: build the demo episode."""

from __future__ import annotations

import sys

from engine.cli.common import add_json, emit
from engine.store.db import locate, open_store


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo",
        help="build the demo episode (offline, deterministic from --seed)",
        description="Build a demo episode into a new store: 3 scenes, 24 shots, 1-4 takes each "
        "with rendered frames and clips, prompts, two system-prompt versions, costs and review "
        "decisions over two ISO weeks. Needs no network.",
    )
    p.add_argument("--store", metavar="S", help="where to build it (default: the user's store)")
    p.add_argument("--seed", type=int, default=7, help="the same seed builds the same episode")
    p.add_argument("--if-missing", action="store_true", help="do nothing if the store already exists")
    add_json(p)
    p.set_defaults(func=_demo)


def _demo(args) -> int:
    from engine.takes.demo.build import build_demo

    location = locate(args.store)
    if args.if_missing and location.path is not None and location.path.exists():
        emit(args, {"store": location.display(), "built": False},
             f"demo store already at {location.display()}")
        return 0
    if location.path is not None:
        location.path.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rbuilding demo: shot {done}/{total}", end="", file=sys.stderr, flush=True)

    with open_store(args.store, create=True) as store:
        report = build_demo(store, seed=args.seed, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    emit(args, report, lambda r: f"demo episode {r.episode} built in {r.store}: {r.shots} shots, "
         f"{r.takes} takes ({r.clips} clips), {r.decisions} decisions")
    return 0
