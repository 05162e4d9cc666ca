"""What a take must be before it is appended, whoever records it (generate, takes add,
imports): every text storable and within its column, numbers in range, cost finite."""

from __future__ import annotations

from engine.core.errors import DailiesError
from engine.core.inputs import (
    BIGINT_MAX,
    INT_MAX,
    TEXT_MAX,
    check_money,
    check_shot_code,
    check_text,
    check_whole,
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


def _plain_text(value: object, limit: int | None) -> bool:
    """True when `value` is None or text check_text is sure to accept: ASCII (so no
    undecodable bytes), no NUL, within `limit`. False only means "look closer"."""
    if value is None:
        return True
    return (type(value) is str and value.isascii() and "\x00" not in value
            and len(value) <= (limit or TEXT_MAX))


def _passes(check, value, what: str) -> bool:
    try:
        check(value, what)
    except DailiesError:
        return False
    return True


def check_new_takes(takes) -> None:
    """check_new_take for many takes at once (imports, bulk appends). Values many takes share
    (shot, model, pipeline, version, system-prompt text, cost) are checked once each; a take
    with anything unusual is checked in full, so the error names its shot and field exactly
    as check_new_take does."""
    seen: dict[str, set] = {name: set() for name in _SHARED}
    shared_checks = (("shot", check_shot_code), ("system_prompt_text", check_text), ("cost", check_money))
    passed: dict[str, set] = {name: set() for name, _ in shared_checks}
    for new in takes:
        for name, limit in _UNIQUE:
            if not _plain_text(getattr(new, name), limit):
                check_new_take(new)
        for name, limit in _SHARED.items():
            value = getattr(new, name)
            if value is not None and (type(value) is not str or value not in seen[name]):
                if not _plain_text(value, limit):
                    check_new_take(new)
                seen[name].add(value)
        seed, number = new.seed, new.number
        if seed is not None and not (type(seed) is int and 0 <= seed <= BIGINT_MAX):
            check_new_take(new)
        if number is not None and not (type(number) is int and 1 <= number <= INT_MAX):
            check_new_take(new)
        for name, check in shared_checks:
            value = getattr(new, name)
            key = (type(value), value) if type(value) in (str, float, int) else None
            if key is None or key not in passed[name]:
                if not _passes(check, value, name):
                    check_new_take(new)
                if key is not None:
                    passed[name].add(key)


# Fields whose values differ from take to take, and those most takes of a batch share.
_UNIQUE = tuple((name, _LIMITS[name]) for name in ("prompt", "builder_prompt", "output_path", "output_sha256"))
_SHARED = {name: _LIMITS[name] for name in _TEXT_FIELDS if name not in dict(_UNIQUE)}
