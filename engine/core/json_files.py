"""Reading the JSON files people edit (config, plans): errors name the file, line and column."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from engine.core.errors import ConfigError, DailiesError
from engine.core.inputs import check_text


def read_json(path: str | Path, *, error: type[DailiesError] = ConfigError, what: str = "file") -> Any:
    """The parsed contents of `path`; a missing, unreadable or malformed file raises `error`."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: the {what} is missing") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise error(f"{path}: the {what} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line})") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise error(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        raise error(f"{path}: the {what} cannot be read ({' '.join(str(exc).split())[:120]})") from None
    except RecursionError:
        raise error(f"{path}: the {what} is nested too deeply to be read") from None
    check_strings(data, str(path), error)
    return data


def check_strings(data: Any, where: str, error: type[DailiesError] = ConfigError) -> None:
    """Refuse NUL characters and undecodable text anywhere in parsed JSON, naming its path
    (`file: keys.approve`). Walks without recursion, so any depth json can parse is fine."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        at, value = stack.pop()
        if isinstance(value, str):
            check_text(value, f"{where}: {at or 'the value'}", limit=sys.maxsize, error=error)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(key, f"{where}: key {at + '.' if at else ''}{key[:40]!r}", limit=sys.maxsize, error=error)
                stack.append((f"{at}.{key}" if at else key, item))
        elif isinstance(value, list):
            stack.extend((f"{at}[{i}]", item) for i, item in enumerate(value))


