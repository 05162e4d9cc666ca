"""The `dailies` command: one thin handler per command, each calling one engine function.

Every area of the engine registers its commands from its own module (COMMAND_MODULES); the
desktop package adds `desk` through `extra`, so this package never imports Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterable

from sqlalchemy.exc import DBAPIError

from engine import __version__
from engine.cli.errors import BAD_INPUT, OneLineParser, bad_input_message, check_arguments, one_line
from engine.core.errors import DailiesError
from engine.store.db import locate

COMMAND_MODULES = (
    "engine.cli.store_cmds",
    "engine.cli.takes_cmds",
    "engine.cli.demo_cmds",
    "engine.cli.prompt_cmds",
    "engine.cli.registry_cmds",
    "engine.cli.discovery_cmds",
    "engine.cli.sound_cmds",
    "engine.cli.report_cmds",
    "engine.cli.supervisor_cmds",
    "engine.cli.worker_cmds",
    "engine.cli.notes_cmds",
    "engine.cli.export_cmds",
)

Registrar = Callable[[argparse._SubParsersAction], None]


def build_parser(extra: Iterable[Registrar] = ()) -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="dailies",
        description="Dailies: review and curation desk for AI-generated film.",
    )
    parser.add_argument("--version", action="version", version=f"dailies {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    for register in extra:
        register(subparsers)
    return parser


def main(argv: list[str] | None = None, extra: Iterable[Registrar] = ()) -> int:
    args = None
    try:
        # Building the parser reads no config: --help works with a broken config file, and
        # the command that reads it stops with one line naming the file and key.
        parser = build_parser(extra)
        args = parser.parse_args(argv)
        check_arguments(args)
        return int(args.func(args) or 0)
    except DailiesError as exc:
        print(f"dailies: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except DBAPIError as exc:  # locked past the busy timeout, server gone: rolled back whole
        reason = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
        where = locate(getattr(args, "store", None)).display()
        print(f"dailies: error: store {where} did not take the command ({reason}); "
              "nothing was written", file=sys.stderr)
        return 2
    except BAD_INPUT as exc:
        print(f"dailies: error: {bad_input_message(exc)}; nothing was written", file=sys.stderr)
        return 2
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2), as a return code
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except KeyboardInterrupt:
        print("dailies: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
