"""Reading the JSON files people edit (config, plans): errors name the file, line and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.errors import ConfigError, DailiesError


def read_json(path: str | Path, *, error: type[DailiesError] = ConfigError, what: str = "file") -> Any:
    """The parsed contents of `path`; a missing, unreadable or malformed file raises `error`."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: the {what} is missing") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise error(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None


def read_json_object(path: str | Path, *, error: type[DailiesError] = ConfigError, what: str = "file") -> dict:
    data = read_json(path, error=error, what=what)
    if not isinstance(data, dict):
        raise error(f"{path}: must hold a JSON object")
    return data
