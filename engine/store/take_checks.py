"""What a take must be before it is appended, whoever records it (generate, takes add,
imports): every text storable and within its column, numbers in range, cost finite."""

from __future__ import annotations

from functools import partial
from operator import attrgetter, is_not

from engine.core.errors import DailiesError
from engine.core.inputs import (
    BIGINT_MAX,
    INT_MAX,
    TEXT_MAX,
    check_money,
    check_shot_code,
    check_text,
    check_whole,
    plain_shot_code,
    plain_shot_codes,
)
from engine.store.models import Take

# Text fields of a take and their limit: a column's declared length (PostgreSQL enforces it,
# SQLite would not, so it is checked here for both), else the general text limit.
_TEXT_FIELDS = (
    "model", "pipeline", "prompt", "builder_prompt", "target", "system_prompt_version",
    "enrichment_outcome", "enrichment_reason", "output_path", "media_kind", "output_sha256",
)
_LIMITS = {
    name: getattr(Take.__table__.c[name].type, "length", None)
    for name in _TEXT_FIELDS
}


def check_new_take(new) -> None:
    """Raise StoreError naming the shot and the field when `new` (a NewTake) cannot be stored."""
    where = f"take of shot {new.shot}"
    check_shot_code(new.shot, where)
    for name in _TEXT_FIELDS:
        limit = _LIMITS[name]
        check_text(getattr(new, name), f"{where}: {name}", **({"limit": limit} if limit else {}))
    check_text(new.system_prompt_text, f"{where}: system prompt text")
    if new.seed is not None:
        check_whole(new.seed, f"{where}: seed", high=BIGINT_MAX)
    if new.number is not None:
        check_whole(new.number, f"{where}: take number", low=1, high=INT_MAX)
    check_money(new.cost, f"{where}: cost")


def _not_plain(values: list, limit: int | None) -> list[int]:
    """Indexes of the values that are not None and not text check_text is sure to accept
    (ASCII, so no undecodable bytes; no NUL; within `limit`). Listed means "look closer"."""
    limit = limit or TEXT_MAX
    present = list(filter(None, values))  # None and "" are plain
    try:
        joined = "".join(present)  # all of them at once, at C speed, when all are plain
    except TypeError:  # something that is not text
        joined = None
    if joined is not None and joined.isascii() and "\x00" not in joined and (
            max(map(len, present), default=0) <= limit):
        return []
    return [i for i, v in enumerate(values) if v is not None and not (
        type(v) is str and v.isascii() and "\x00" not in v and len(v) <= limit)]


def _passes(check, value) -> bool:
    try:
        check(value, "value")
    except DailiesError:
        return False
    return True


def _failing(values: list, check) -> list[int]:
    """Indexes of the values `check` refuses; when all values are of one type (1 and 1.0 and
    True are equal, so only then), each distinct value is checked once."""
    try:
        distinct = set(values) if len(set(map(type, values))) == 1 else None
    except TypeError:  # unhashable
        distinct = None
    if distinct is None:
        return [i for i, v in enumerate(values) if not _passes(check, v)]
    refused = {v for v in distinct if not _passes(check, v)}
    return [i for i, v in enumerate(values) if v in refused] if refused else []


def check_new_takes(takes) -> None:
    """check_new_take for many takes at once (imports, bulk appends), field by field: values
    many takes share (shot, model, pipeline, version, system-prompt text, cost) are checked
    once each. The takes with anything unusual are then checked in full, in their order, so the
    error names the first bad take's shot and field exactly as check_new_take does."""
    takes = list(takes)
    closer: set[int] = set()
    for name, limit in _UNIQUE:
        closer.update(_not_plain(list(map(attrgetter(name), takes)), limit))
    for name, limit in _SHARED.items():
        values = list(map(attrgetter(name), takes))
        kinds = set(map(type, values))
        distinct = list(set(values) - {None}) if kinds <= _TEXT_KINDS else list({v for v in values if type(v) is str})
        odd = _not_plain(distinct, limit)
        if odd or not kinds <= _TEXT_KINDS:
            odd_values = {distinct[i] for i in odd}
            closer.update(i for i, v in enumerate(values)
                          if v is not None and (type(v) is not str or v in odd_values))
    for name, high, low in (("seed", BIGINT_MAX, 0), ("number", INT_MAX, 1)):
        values = list(map(attrgetter(name), takes))
        present = list(filter(partial(is_not, None), values))
        if set(map(type, present)) <= {int} and (not present or low <= min(present) and max(present) <= high):
            continue
        closer.update(i for i, v in enumerate(values) if v is not None and not (type(v) is int and low <= v <= high))
    codes = list(map(attrgetter("shot"), takes))
    if not plain_shot_codes(codes):
        closer.update(i for i, code in enumerate(codes) if not plain_shot_code(code))
    for name, check in (("system_prompt_text", check_text), ("cost", check_money)):
        closer.update(_failing(list(map(attrgetter(name), takes)), check))
    for i in sorted(closer):
        check_new_take(takes[i])


_TEXT_KINDS = {str, type(None)}
# Fields whose values differ from take to take, and those most takes of a batch share.
_UNIQUE = tuple((name, _LIMITS[name]) for name in ("prompt", "builder_prompt", "output_path", "output_sha256"))
_SHARED = {name: _LIMITS[name] for name in _TEXT_FIELDS if name not in dict(_UNIQUE)}
