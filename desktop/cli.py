"""The `dailies` entry point: the engine's commands plus `desk`, which opens the window.

Qt is imported only when `desk` runs, so every other command starts without it.
"""

from __future__ import annotations

import sys

from engine.cli import main as engine_main
from engine.cli.common import add_store


def register_desk(subparsers) -> None:
    p = subparsers.add_parser(
        "desk",
        help="open the review desk on a store",
        description="Open the review desk on a store.",
    )
    add_store(p)
    p.add_argument("--view", default="dailies", help="view to open first (default: dailies)")
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="wait until the first frame is painted, save a screenshot to FILE.png and exit",
    )
    p.set_defaults(func=_run_desk)


def _run_desk(args) -> int:
    from desktop.app import run_desk

    return run_desk(store=args.store, view=args.view, screenshot=args.screenshot)


def main(argv: list[str] | None = None) -> int:
    return engine_main.main(argv, extra=[register_desk])


if __name__ == "__main__":
    sys.exit(main())
