"""Pieces every CLI command shares: the --store and --json options, output, subgroups."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from engine.store.db import Store, open_store


def add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="S",
        help="store: a SQLite file path or a PostgreSQL URL "
        "(default: $DAILIES_STORE, else dailies.sqlite in the user's data folder)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def store_from(args: argparse.Namespace, *, create: bool = False) -> Store:
    return open_store(getattr(args, "store", None), create=create)


def subgroup(subparsers, name: str, help_text: str):
    """The sub-commands of group `name` (e.g. `dailies takes ...`), made once and shared, so
    that several modules can add commands to one group."""
    groups = getattr(subparsers, "_dailies_groups", None)
    if groups is None:
        groups = {}
        subparsers._dailies_groups = groups
    if name not in groups:
        parser = subparsers.add_parser(name, help=help_text, description=help_text)
        groups[name] = parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND")
        groups[name].required = True
    return groups[name]


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str] | str) -> None:
    """Print `data` as JSON with --json, else as the text `text` renders."""
    if getattr(args, "json", False):
        json.dump(to_jsonable(data), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        out = text(data) if callable(text) else text
        if out:
            print(out)


def table(rows: list[list[Any]], headers: list[str]) -> str:
    """A plain text table with columns padded to their widest cell."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
