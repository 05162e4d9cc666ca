"""`dailies sound-loop`: the dedicated sound discovery process (no video)."""

from __future__ import annotations

import argparse

from engine.cli.common import add_store, store_from


def register(subparsers) -> None:
    register_sound(subparsers)


def register_sound(subparsers) -> None:
    p = subparsers.add_parser(
        "sound-loop", help="discover pure sounds from procedural mixes of the origin noises",
        description="Run the sound loop, a dedicated process with no video: each cycle mixes 1-4 "
        "origin noises at strengths favouring what the Pure sound registry has seen least, "
        "extracts the pure sounds of every frame (1/24 s), separates frames holding several "
        "noises into their components, and records components and combinations with a job, a "
        "learning run and a discovery run, one transaction per cycle. Prints one line per "
        "cycle with the extraction's precision and recall against the mix's truth and the "
        "Growth [frame] line. Ctrl+C or SIGTERM stops between cycles; nothing is left half-written. Several sound-loop workers may grow one store at once.",
    )
    add_store(p)
    p.add_argument("--cycles", type=int, metavar="N", help="how many cycles (default: until Ctrl+C)")
    p.add_argument("--seed", type=int, metavar="N", help="seed for reproducible mixes")
    p.add_argument("--seconds", type=float, default=2.0, metavar="N",
                   help="length of each cycle's mix in seconds (default 2)")
    p.set_defaults(func=_sound_loop)


def _sound_loop(args: argparse.Namespace) -> int:
    from engine.procedural.discovery.sound_loop import run_sound_loop
    from engine.workers.worker import as_worker

    with store_from(args, create=True) as store, as_worker(store, "sound-loop", "frame", what="cycle") as (worker, stop):
        summary = run_sound_loop(
            store, cycles=args.cycles, seed=args.seed, seconds=args.seconds,
            progress=lambda r: print(r.line(), flush=True), cancel=stop, worker=worker,
        )
    state = "stopped" if summary.stopped else "done"
    print(
        f"{state}: {summary.cycles} cycles, precision {summary.precision:.3f} recall "
        f"{summary.recall:.3f}, {summary.new_components} new sounds, "
        f"{summary.new_composites} new composites",
        flush=True,
    )
    return 0
