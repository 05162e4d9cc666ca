"""What a take must be before it is appended, whoever records it (generate, takes add,
imports): every text storable and within its column, numbers in range, cost finite."""

from __future__ import annotations

from engine.inputs import BIGINT_MAX, INT_MAX, check_money, check_shot_code, check_text, check_whole
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
