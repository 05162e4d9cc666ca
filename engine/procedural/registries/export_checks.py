"""What a registry export file must be before the importer reads it: bounded and plain.

An export is data from elsewhere, so before its shape is read the file itself is checked:
at most MAX_EXPORT_BYTES, UTF-8, JSON nested at most MAX_DEPTH deep, whole numbers of at
most MAX_DIGITS digits and finite numbers, and every text NUL-free, decodable and of a
bounded length (names and keys far shorter than free text). The first problem is named by
line or by its path in the document, and nothing is imported.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from engine.core.errors import DailiesError
from engine.core.inputs import check_text

MAX_EXPORT_BYTES = 100 * 1024 * 1024
MAX_DEPTH = 64
MAX_DIGITS = 30
MAX_TEXT = 100_000  # a prompt or an instruction
MAX_NAME = 1_000  # a name, a key, a span
NAME_FIELDS = {"name", "key", "entry_key", "value", "span", "canonical", "domain", "id", "tag"}

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
_LONG_NUMBER = re.compile(r"(?<![\w.\"])-?\d{" + str(MAX_DIGITS + 1) + ",}")


class _BadNumber(ValueError):
    pass


def _fail(message: str) -> DailiesError:
    from engine.procedural.registries.importer import ExportFormatError  # the importer's own error

    return ExportFormatError(message)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _check_depth(text: str, where: Path) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _fail(f"{where}: line {_line(text, match.start())}: nested more than "
                            f"{MAX_DEPTH} levels deep; an export is not")
        elif token in "]}":
            depth -= 1


def _int(raw: str) -> int:
    if len(raw.lstrip("-")) > MAX_DIGITS:
        raise _BadNumber(f"a whole number of {len(raw.lstrip('-'))} digits (at most {MAX_DIGITS})")
    return int(raw)


def _float(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise _BadNumber(f"the number {raw[:40]} is too large to be finite")
    return value


def _constant(raw: str):
    raise _BadNumber(f"{raw} is not a number an export may hold")


def _check_values(doc: Any, where: Path) -> None:
    stack: list[tuple[str, str, Any]] = [("(top level)", "", doc)]
    while stack:
        path, field, value = stack.pop()
        if isinstance(value, str):
            limit = MAX_NAME if field in NAME_FIELDS else MAX_TEXT
            check_text(value, f"{where}: {path}", limit=limit, error=DailiesError)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(key, f"{where}: a key in {path}", limit=MAX_NAME, error=DailiesError)
                stack.append((key if path == "(top level)" else f"{path}.{key}", key, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", field, item) for i, item in enumerate(value))


# Only an escape can put a NUL or a lone surrogate into a decoded JSON string (UTF-8 text
# holds neither, and JSON refuses raw control characters), so a document without one needs
# only its nesting and lengths measured; the full walk above names what is wrong otherwise.
_RISKY_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


_BIG = 10**MAX_DIGITS


def _plain(value: Any) -> bool:
    """A number that is whole with at most MAX_DIGITS digits, or finite (or no number)."""
    kind = type(value)
    if kind is int:
        return -_BIG < value < _BIG
    return kind is not float or math.isfinite(value)


def _fits(doc: Any) -> bool:
    """Whether every text is within its length limit, every number plain and nothing nested
    too deep (what the checks below would find, measured without naming it)."""
    stack: list[tuple[int, bool, Any]] = [(1, False, doc)]
    while stack:
        depth, is_name, value = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            for key, item in value.items():
                if len(key) > MAX_NAME:
                    return False
                if isinstance(item, str):
                    if len(item) > (MAX_NAME if key in NAME_FIELDS else MAX_TEXT):
                        return False
                elif isinstance(item, (dict, list)):
                    stack.append((depth + 1, key in NAME_FIELDS, item))
                elif type(item) is not int or not -_BIG < item < _BIG:
                    if not _plain(item):
                        return False
        elif isinstance(value, list):
            limit = MAX_NAME if is_name else MAX_TEXT
            for item in value:
                if isinstance(item, str):
                    if len(item) > limit:
                        return False
                elif isinstance(item, (dict, list)):
                    stack.append((depth + 1, is_name, item))
                elif not _plain(item):
                    return False
        elif isinstance(value, str):
            if len(value) > MAX_TEXT:
                return False
        elif not _plain(value):
            return False
    return True


def _plain_document(text: str) -> Any:
    """The document when it is plainly fine (parsed at the parser's own speed), else None
    and the checks below, which name what is wrong, are run instead."""
    if _RISKY_ESCAPE.search(text) is not None:
        return None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return doc if _fits(doc) else None


def check_export_file(path: str | Path) -> Any:
    """Raise the importer's ExportFormatError when the file at `path` is not a plain,
    bounded JSON document; return the document read, or None when the file is missing,
    unreadable or not JSON at all (left to the importer to report)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_EXPORT_BYTES:
            raise _fail(f"{p}: the file is {size / 2**20:,.0f} MB; an export is at most "
                        f"{MAX_EXPORT_BYTES // 2**20} MB")
        data = p.read_bytes()
    except OSError:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(f"{p}: line {line}: not UTF-8 text "
                    f"(byte 0x{data[exc.start]:02x})") from None
    doc = _plain_document(text)
    if doc is not None:
        return doc
    _check_depth(text, p)
    try:
        doc = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _BadNumber as exc:
        found = _LONG_NUMBER.search(text)
        at = f"line {_line(text, found.start())}: " if found else ""
        raise _fail(f"{p}: {at}{exc}") from None
    except ValueError:
        return None  # not JSON at all: the importer names the line
    except RecursionError:
        raise _fail(f"{p}: nested too deeply to be an export") from None
    try:
        _check_values(doc, p)
    except DailiesError as exc:
        raise _fail(str(exc)) from None
    return doc
