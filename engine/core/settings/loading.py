"""Read a config file and check it against its pydantic model, with one-line errors.

Every problem becomes `<file>: key '<dotted.path[3].x>': expected <what>, got <value>`, so a
wrong config file reads the same whichever file it is. Rules beyond types (a verb in base
form, a version like v1.0, a file that must exist) raise `expected(...)` from a validator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from engine.core.errors import ConfigError
from engine.core.json_files import read_json

M = TypeVar("M", bound=BaseModel)
_NO_VALUE = object()


class ConfigModel(BaseModel):
    """Exact JSON types (no "3" for 3, no 1 for true) and no keys the file does not define."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def expected(what: str, got: Any = _NO_VALUE, at: str = "", said: str | None = None) -> PydanticCustomError:
    """The error a validator raises: `what` the key should hold; `got` if not the value itself
    (shown as the file spells it), or `said` in words; `at` a key path below the one validated
    ("verbs[0]")."""
    ctx: dict[str, Any] = {"what": what, "at": at}
    if said is not None:
        ctx["got"] = said
    elif got is not _NO_VALUE:
        ctx["got"] = shown(got)
    return PydanticCustomError("dailies_expected", "expected {what}", ctx)


def key_path(loc: tuple) -> str:
    """('taxonomy', 0, 'key') -> 'taxonomy[0].key'."""
    out = ""
    for part in loc:
        if part == "[key]":  # the key itself was wrong: the path already ends with it
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def shown(value: Any, limit: int = 60) -> str:
    """A value as the file spells it, cut short."""
    if isinstance(value, dict) and len(json.dumps(value, default=str)) > limit:
        return "an object"
    if isinstance(value, list) and len(json.dumps(value, default=str)) > limit:
        return f"a list of {len(value)}"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_WHAT = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "missing": "a value",
}


def _what(err: dict) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "dailies_expected":
        return ctx["what"]
    if kind == "extra_forbidden":
        return "no such key"
    if kind == "literal_error":
        choices = str(ctx.get("expected", ""))
        return f"one of {choices}" if " or " in choices else choices
    if kind in ("string_too_short",):
        return "non-empty text" if ctx.get("min_length") == 1 else f"text of at least {ctx['min_length']} characters"
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} item{'s' if ctx.get('min_length') != 1 else ''}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return f"a number {sign} {bound}"
    return _WHAT.get(kind, err["msg"][0].lower() + err["msg"][1:])


def one_line(file: str | Path, exc: ValidationError) -> str:
    """The first problem of `exc` as `<file>: key '<path>': expected <what>, got <value>`."""
    err = exc.errors(include_url=False)[0]
    ctx = err.get("ctx") or {}
    where = key_path(err["loc"])
    below = ctx.get("at", "")
    if below:
        where = f"{where}{'' if below.startswith('[') or not where else '.'}{below}"
    if err["type"] == "missing":
        got = "nothing (the key is missing)"
    else:
        got = ctx["got"] if "got" in ctx else shown(err["input"])
    at = f"key '{where}': " if where else ""
    return f"{file}: {at}expected {_what(err)}, got {got}"


def validate(model: type[M], data: Any, file: str | Path, context: dict | None = None) -> M:
    """`data` (parsed from `file`) as `model`; any problem raises ConfigError in one line."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ConfigError(one_line(file, exc)) from None


def load(model: type[M], path: str | Path, context: dict | None = None, what: str = "config file") -> M:
    """The config file at `path`, read (UTF-8 JSON, no NUL) and checked against `model`."""
    return validate(model, read_json(path, what=what), path, context)
