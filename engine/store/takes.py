"""Takes: every generation attempt, appended, never rewritten.

`append_take` gives each take the next readable id of its shot (take_001, take_002, ...),
stores its system-prompt text once by content hash, and books its generation cost. Queries
return frozen `TakeRecord`s whose status is derived from the review history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, bindparam, event, func, select
from sqlalchemy.orm import Session, aliased

from engine.core.errors import StoreError
from engine.store.bulk import collection_paused, insert_values, keep_bulk_cache, plain_inserts
from engine.store.costs import book_generation_costs
from engine.store.driver import DriverInsert, run, sqlite_driver
from engine.store.models import ReviewDecision, Shot, SystemPromptText, Take, utcnow
from engine.store.review_weeks import count_new_takes
from engine.store.seals import SEALED_FIELDS, sealed_digest, text_sha256
from engine.store.shots import resolve_shot
from engine.store.status import DECIDED, FAILED, PENDING, effective_decisions
from engine.store.take_checks import check_new_take, check_new_takes
from engine.store.take_numbers import appended, chunk_latest

ENRICHMENT_OUTCOMES = ("enriched", "bypassed", "fell_back")
MEDIA_KINDS = ("image", "clip")


def take_name(number: int) -> str:
    """A take's name within its shot: take_001."""
    return f"take_{number:03d}"


def take_ref(shot_code: str, number: int) -> str:
    """A take's name across the store: SHOT/take_001."""
    return f"{shot_code}/{take_name(number)}"


def parse_take_name(label: str) -> int:
    if not label.startswith("take_") or not label[5:].isdigit():
        raise StoreError(f"'{label}' is not a take id (expected take_001, take_002, ...)")
    return int(label[5:])


@dataclass(frozen=True)
class NewTake:
    """What a pipeline knows about one generation attempt, exactly as it was sent."""

    shot: str  # shot code
    model: str
    pipeline: str
    prompt: str | None = None
    seed: int | None = None
    output_path: str | None = None
    media_kind: str = "image"
    target: str | None = None
    system_prompt_version: str | None = None
    system_prompt_text: str | None = None
    builder_prompt: str | None = None
    enrichment_outcome: str | None = None
    enrichment_reason: str | None = None
    cost: float = 0.0
    failed: bool = False
    output_sha256: str | None = None
    created_at: datetime | None = None
    extra: dict[str, Any] | None = None
    number: int | None = None  # imports keep the number a take already had elsewhere


@dataclass(frozen=True)
class TakeRecord:
    id: int
    shot: str
    take_name: str  # take_001
    number: int
    created_at: datetime
    prompt: str | None
    builder_prompt: str | None
    seed: int | None
    model: str
    pipeline: str
    target: str | None
    system_prompt_version: str | None
    system_prompt_sha256: str | None
    system_prompt_text: str | None
    enrichment_outcome: str | None
    enrichment_reason: str | None
    cost: float
    output_path: str | None
    media_kind: str
    output_sha256: str | None
    status: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The take's name across the store: SHOT/take_NNN."""
        return take_ref(self.shot, self.number)


def _check(new: NewTake) -> None:
    check_new_take(new)
    if new.enrichment_outcome is not None and new.enrichment_outcome not in ENRICHMENT_OUTCOMES:
        raise StoreError(
            f"take of shot {new.shot}: enrichment outcome '{new.enrichment_outcome}' is not one of "
            + ", ".join(ENRICHMENT_OUTCOMES)
        )
    if new.media_kind not in MEDIA_KINDS:
        raise StoreError(f"take of shot {new.shot}: media kind '{new.media_kind}' is not image or clip")


# Ids of system-prompt texts known to be committed, per open store (its engine): the rows are
# never deleted, so a hit saves a query on every take appended with the same text. Kept with the
# engine rather than the store's address: a store made again at one address has its own ids.
_COMMITTED_PROMPT_IDS: WeakKeyDictionary[Engine, dict[str, int]] = WeakKeyDictionary()


def system_prompt_id(session: Session, text: str | None) -> int | None:
    """The id of this exact system-prompt text, stored once by its SHA-256."""
    if text is None:
        return None
    digest = text_sha256(text)
    committed = _COMMITTED_PROMPT_IDS.get(session.get_bind())
    if committed is not None and digest in committed:
        return committed[digest]
    pending: dict[str, int] = session.info.setdefault("dailies_new_prompts", {})
    if digest in pending:
        return pending[digest]
    found = session.scalar(select(SystemPromptText.id).where(SystemPromptText.sha256 == digest))
    if found is not None:
        _COMMITTED_PROMPT_IDS.setdefault(session.get_bind(), {})[digest] = found
        return found
    from engine.store.insert_or_get import prompt_text_id  # writers only: readers start faster

    new_id = prompt_text_id(session, digest, text)  # race-safe on PostgreSQL
    if not pending:
        event.listen(session, "after_commit", _remember_committed_prompts, once=True)
    pending[digest] = new_id
    return new_id


def _remember_committed_prompts(session: Session) -> None:
    _COMMITTED_PROMPT_IDS.setdefault(session.get_bind(), {}).update(session.info.pop("dailies_new_prompts", {}))


# A take's columns as written: the sealed fields in their order (shot, number and moment, then
# fields a NewTake holds under the same names, then its extra data), then what is not sealed.
TAKE_COLUMNS = (*SEALED_FIELDS, "system_prompt_id", "record_digest")
_GIVEN = attrgetter(*SEALED_FIELDS[3:-1])
_SHOT = attrgetter("shot")
if SEALED_FIELDS[:3] != ("shot_id", "number", "created_at") or SEALED_FIELDS[-1] != "extra_json":
    raise ImportError("engine.store.takes writes the sealed fields in an order they no longer have")


def _values(new: NewTake, shot_id: int, number: int, prompt: tuple[int | None, str | None], now: datetime) -> list:
    """A new take's values in TAKE_COLUMNS order, its digest included; `prompt` is its
    system-prompt text's (id, SHA-256)."""
    values = [shot_id, number, new.created_at or now, *_GIVEN(new),
              json.dumps(new.extra, sort_keys=True) if new.extra else None, prompt[0]]
    values.append(sealed_digest(values, prompt[1]))
    return values


def next_take_number(session: Session, shot_id: int) -> int:
    """The number the shot's next take gets (take_001 for a shot with none)."""
    return (session.scalar(select(func.max(Take.number)).where(Take.shot_id == shot_id)) or 0) + 1


TAKES = Take.__table__
# Built once: the columns every take and generation cost are written with.
INSERT_TAKE = DriverInsert(TAKES, TAKE_COLUMNS)
# What counts a take as generated in its week (review_weeks.count_new_takes), from its values.
_GENERATED = itemgetter(*(TAKE_COLUMNS.index(c) for c in ("created_at", "target", "model", "system_prompt_version",
                                                           "failed")))
SHOT_AND_LATEST = (
    "SELECT s.id, (SELECT max(t.number) FROM take AS t WHERE t.shot_id = s.id) "
    "FROM shot AS s WHERE s.code = ?"
)
LOCK_SHOT = select(Shot.id).where(Shot.code == bindparam("code")).with_for_update()


def append_take(session: Session, new: NewTake) -> TakeRecord:
    """Append one take to its shot (inside a write session) and book its generation cost.

    The shot row is locked on PostgreSQL (SQLite write sessions hold the write lock already),
    so two writers never hand out the same take number.
    """
    _check(new)
    raw = sqlite_driver(session)  # fixed statements on the session's transaction: no ORM pipeline
    if raw is None:
        # PostgreSQL: lock first, then read the latest number in a new statement: under READ
        # COMMITTED a subquery in the locking statement would still see the snapshot from
        # before the wait.
        found = session.execute(LOCK_SHOT, {"code": new.shot}).first()
        if found is not None:
            found = (*found, next_take_number(session, found[0]) - 1)
    else:
        found = run(raw, SHOT_AND_LATEST, (new.shot,)).fetchone()
    if found is None:
        raise StoreError(f"no shot '{new.shot}' in the store")
    shot_id, current = found
    text = new.system_prompt_text
    sha = text_sha256(text) if text is not None else None
    now = utcnow()
    values = _values(new, shot_id, (current or 0) + 1, (system_prompt_id(session, text), sha), now)
    row = dict(zip(TAKE_COLUMNS, values, strict=True))
    take_id = INSERT_TAKE.one(session, raw, values)
    count_new_takes(session, [_GENERATED(values)])
    if new.cost:
        book_generation_costs(session, range(take_id, take_id + 1))
    return _record_from(
        {**row, "id": take_id, "code": new.shot, "sha256": sha, "text": text, "decided": None}
    )


def bulk_append_takes(session: Session, takes: Sequence[NewTake]) -> int:
    """Append many takes at once (imports) and book their generation costs. Returns the count.

    Each take gets the next number of its shot, as append_take gives it; on PostgreSQL the
    chunk's shots are locked first (in id order, so two bulk writers cannot deadlock), as
    append_take locks its shot."""
    if not takes:
        return 0
    _check_all(takes)
    keep_bulk_cache(session)
    with collection_paused():
        return _bulk_append(session, takes)


def _bulk_append(session: Session, takes: Sequence[NewTake]) -> int:
    # code -> (shot id, latest number), kept up to date take by take: a new dict of this chunk's own
    shots = chunk_latest(session, list(dict.fromkeys(map(_SHOT, takes))))
    prompts: dict[str | None, tuple[int | None, str | None]] = {None: (None, None)}
    values = []
    now = utcnow()
    for new in takes:
        shot_id, latest = shots[new.shot]
        latest = latest or 0
        number = new.number if new.number is not None else latest + 1
        if number > latest:
            shots[new.shot] = (shot_id, number)
        text = new.system_prompt_text
        prompt = prompts.get(text)
        if prompt is None:
            prompt = prompts[text] = (system_prompt_id(session, text), text_sha256(text))
        values.append(_values(new, shot_id, number, prompt, now))
    generated = list(map(_GENERATED, values))
    costed = any(new.cost for new in takes)
    with plain_inserts(session, ("take", "cost_entry") if costed else ("take",)):
        first = insert_values(session, INSERT_TAKE, values)
        if costed:
            book_generation_costs(
                session, range(first, first + len(values)) if first is not None
                else _new_take_ids(session, [(shot_id, number) for shot_id, number, *_ in values])
            )
    appended(session, shots, (first + len(values) - 1, values[-1][-1]) if first is not None else None)
    count_new_takes(session, generated)
    return len(values)


def _check_all(takes: Sequence[NewTake]) -> None:
    """_check for every take, with what many takes share checked once."""
    check_new_takes(takes)
    kinds = {(t.enrichment_outcome, t.media_kind) for t in takes}
    if any(o is not None and o not in ENRICHMENT_OUTCOMES or k not in MEDIA_KINDS for o, k in kinds):
        for new in takes:
            _check(new)


def _new_take_ids(session: Session, keys: list[tuple[int, int]]) -> list[int]:
    """The ids of the takes just inserted, in the order of `keys`, their (shot id, number)."""
    found = _take_ids(session, {shot_id for shot_id, _ in keys})
    return [found[key] for key in keys]


def _take_ids(session: Session, shot_ids: set[int]) -> dict[tuple[int, int], int]:
    """Take ids by their unique (shot, number), for the given shots."""
    found: dict[tuple[int, int], int] = {}
    ordered = sorted(shot_ids)
    for start in range(0, len(ordered), 900):
        rows = session.execute(
            select(Take.shot_id, Take.number, Take.id).where(Take.shot_id.in_(ordered[start:start + 900]))
        )
        found.update({(sid, num): tid for sid, num, tid in rows})
    return found


def _status(failed: bool, decided: str | None) -> str:
    if failed:
        return FAILED
    return DECIDED.get(decided, PENDING) if decided else PENDING


def _record_from(row) -> TakeRecord:
    return TakeRecord(
        id=row["id"],
        shot=row["code"],
        take_name=take_name(row["number"]),
        number=row["number"],
        created_at=row["created_at"],
        prompt=row["prompt"],
        builder_prompt=row["builder_prompt"],
        seed=row["seed"],
        model=row["model"],
        pipeline=row["pipeline"],
        target=row["target"],
        system_prompt_version=row["system_prompt_version"],
        system_prompt_sha256=row["sha256"],
        system_prompt_text=row["text"],
        enrichment_outcome=row["enrichment_outcome"],
        enrichment_reason=row["enrichment_reason"],
        cost=row["cost"],
        output_path=row["output_path"],
        media_kind=row["media_kind"],
        output_sha256=row["output_sha256"],
        status=_status(row["failed"], row["decided"]),
        extra=json.loads(row["extra_json"]) if row["extra_json"] else {},
    )


def _take_query(take_filter):
    """Takes matching `take_filter` with their shot, system-prompt text and effective decision:
    one statement, plain rows."""
    decided = effective_decisions().where(
        ReviewDecision.take_id.in_(select(Take.id).where(take_filter))
    ).subquery()
    verdict = aliased(ReviewDecision)
    return (
        select(
            *TAKES.c,
            Shot.code.label("code"),
            SystemPromptText.sha256.label("sha256"),
            SystemPromptText.text.label("text"),
            verdict.action.label("decided"),
        )
        .join(Shot, Shot.id == Take.shot_id)
        .outerjoin(SystemPromptText, SystemPromptText.id == Take.system_prompt_id)
        .outerjoin(decided, decided.c.take_id == Take.id)
        .outerjoin(verdict, verdict.id == decided.c.decision_id)
        .where(take_filter)
    )


def _records(session: Session, take_filter, order) -> list[TakeRecord]:
    return [_record_from(r) for r in session.execute(_take_query(take_filter).order_by(order)).mappings()]


def list_takes(session: Session, shot: str) -> list[TakeRecord]:
    """Every take of a shot, oldest first."""
    shot_id = session.scalar(select(Shot.id).where(Shot.code == shot))
    if shot_id is None:
        raise StoreError(f"no shot '{shot}' in the store")
    return _records(session, Take.shot_id == shot_id, Take.number)


def takes_by_ids(session: Session, ids: Sequence[int]) -> list[TakeRecord]:
    ids = list(ids)
    records: list[TakeRecord] = []
    for start in range(0, len(ids), 900):
        records += _records(session, Take.id.in_(ids[start:start + 900]), Take.id)
    return sorted(records, key=lambda r: r.id)


def get_take(session: Session, ref: str | int) -> TakeRecord:
    """A take by its store id (42) or its name SHOT/take_003 (':' also separates)."""
    take_id = resolve_take_id(session, ref)
    return takes_by_ids(session, [take_id])[0]


def resolve_take_id(session: Session, ref: str | int) -> int:
    text = str(ref).strip()
    if text.isdigit():
        if session.get(Take, int(text)) is None:
            raise StoreError(f"no take with id {text}")
        return int(text)
    sep = "/" if "/" in text else ":"
    if sep not in text:
        raise StoreError(f"'{text}' is not a take reference (use SHOT/take_001 or a take id)")
    shot_code, label = text.rsplit(sep, 1)
    shot = resolve_shot(session, shot_code)
    number = parse_take_name(label)
    found = session.scalar(select(Take.id).where(Take.shot_id == shot.id, Take.number == number))
    if found is None:
        raise StoreError(f"shot {shot_code} has no {label}")
    return found


def export_takes(session: Session, shot: str) -> list[dict[str, Any]]:
    """A shot's takes as the execution-store JSON objects pipelines exchange."""
    return [
        {
            "take_id": t.take_name,  # the exchange format's key for take_001
            "timestamp": t.created_at.timestamp(),
            "prompt": t.prompt,
            "seed": t.seed,
            "system_prompt_version": t.system_prompt_version,
            "model": t.model,
            "cost": t.cost,
            "output_path": t.output_path,
            "status": t.status,
        }
        for t in list_takes(session, shot)
    ]
