"""Takes: every generation attempt, appended, never rewritten.

`append_take` gives each take the next readable id of its shot (take_001, take_002, ...),
stores its system-prompt text once by content hash, and books its generation cost. Queries
return frozen `TakeRecord`s whose status is derived from the review history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.errors import StoreError
from engine.store.models import CostEntry, Shot, SystemPromptText, Take, utcnow
from engine.store.shots import resolve_shot
from engine.store.status import statuses_for

ENRICHMENT_OUTCOMES = ("enriched", "bypassed", "fell_back")
MEDIA_KINDS = ("image", "clip")


def take_label(number: int) -> str:
    return f"take_{number:03d}"


def parse_take_label(label: str) -> int:
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
    take_id: str
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
        return f"{self.shot}/{self.take_id}"


def _check(new: NewTake) -> None:
    if new.enrichment_outcome is not None and new.enrichment_outcome not in ENRICHMENT_OUTCOMES:
        raise StoreError(
            f"take of shot {new.shot}: enrichment outcome '{new.enrichment_outcome}' is not one of "
            + ", ".join(ENRICHMENT_OUTCOMES)
        )
    if new.media_kind not in MEDIA_KINDS:
        raise StoreError(f"take of shot {new.shot}: media kind '{new.media_kind}' is not image or clip")
    if new.cost < 0:
        raise StoreError(f"take of shot {new.shot}: cost {new.cost} is negative")


def system_prompt_id(session: Session, text: str | None) -> int | None:
    """The id of this exact system-prompt text, stored once by its SHA-256."""
    if text is None:
        return None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = session.scalar(select(SystemPromptText.id).where(SystemPromptText.sha256 == digest))
    if found is not None:
        return found
    row = SystemPromptText(sha256=digest, text=text)
    with session.begin_nested():
        session.add(row)
    return row.id


def _next_number(session: Session, shot_id: int) -> int:
    current = session.scalar(select(func.max(Take.number)).where(Take.shot_id == shot_id))
    return (current or 0) + 1


def append_take(session: Session, new: NewTake) -> TakeRecord:
    """Append one take to its shot (inside a write session) and book its generation cost."""
    _check(new)
    shot = resolve_shot(session, new.shot, lock=True)
    take = Take(
        shot_id=shot.id,
        number=_next_number(session, shot.id),
        created_at=new.created_at or utcnow(),
        prompt=new.prompt,
        builder_prompt=new.builder_prompt,
        seed=new.seed,
        model=new.model,
        pipeline=new.pipeline,
        target=new.target,
        system_prompt_version=new.system_prompt_version,
        system_prompt_id=system_prompt_id(session, new.system_prompt_text),
        enrichment_outcome=new.enrichment_outcome,
        enrichment_reason=new.enrichment_reason,
        cost=new.cost,
        output_path=new.output_path,
        media_kind=new.media_kind,
        output_sha256=new.output_sha256,
        failed=new.failed,
        extra_json=json.dumps(new.extra, sort_keys=True) if new.extra else None,
    )
    session.add(take)
    session.flush()
    if new.cost:
        session.add(
            CostEntry(
                pass_type="generation",
                shot_id=shot.id,
                episode_id=shot.episode_id,
                take_id=take.id,
                model=new.model,
                amount=new.cost,
                created_at=take.created_at,
            )
        )
    return _record(take, shot.code, _prompt_row(session, take.system_prompt_id), _status(take, None))


def bulk_append_takes(session: Session, takes: Sequence[NewTake]) -> int:
    """Append many takes at once (imports): one multi-row INSERT per table. Returns the count."""
    if not takes:
        return 0
    codes = sorted({t.shot for t in takes})
    shots = {
        code: (sid, eid)
        for code, sid, eid in session.execute(
            select(Shot.code, Shot.id, Shot.episode_id).where(Shot.code.in_(codes))
        )
    }
    missing = [c for c in codes if c not in shots]
    if missing:
        raise StoreError(f"no shot '{missing[0]}' in the store")
    numbers = dict(
        session.execute(
            select(Take.shot_id, func.max(Take.number))
            .where(Take.shot_id.in_([s for s, _ in shots.values()]))
            .group_by(Take.shot_id)
        ).all()
    )
    prompt_ids: dict[str, int | None] = {}
    rows = []
    now = utcnow()
    for new in takes:
        _check(new)
        shot_id, _ = shots[new.shot]
        number = new.number if new.number is not None else (numbers.get(shot_id) or 0) + 1
        numbers[shot_id] = max(number, numbers.get(shot_id) or 0)
        if new.system_prompt_text is not None and new.system_prompt_text not in prompt_ids:
            prompt_ids[new.system_prompt_text] = system_prompt_id(session, new.system_prompt_text)
        rows.append(
            {
                "shot_id": shot_id,
                "number": number,
                "created_at": new.created_at or now,
                "prompt": new.prompt,
                "builder_prompt": new.builder_prompt,
                "seed": new.seed,
                "model": new.model,
                "pipeline": new.pipeline,
                "target": new.target,
                "system_prompt_version": new.system_prompt_version,
                "system_prompt_id": prompt_ids.get(new.system_prompt_text)
                if new.system_prompt_text is not None
                else None,
                "enrichment_outcome": new.enrichment_outcome,
                "enrichment_reason": new.enrichment_reason,
                "cost": new.cost,
                "output_path": new.output_path,
                "media_kind": new.media_kind,
                "output_sha256": new.output_sha256,
                "failed": new.failed,
                "extra_json": json.dumps(new.extra, sort_keys=True) if new.extra else None,
            }
        )
    session.execute(insert(Take), rows)
    costed = [(r, new) for r, new in zip(rows, takes, strict=True) if new.cost]
    if costed:
        keys = {(r["shot_id"], r["number"]) for r, _ in costed}
        take_ids = {
            (sid, num): tid
            for sid, num, tid in session.execute(
                select(Take.shot_id, Take.number, Take.id).where(
                    Take.shot_id.in_({k[0] for k in keys})
                )
            )
            if (sid, num) in keys
        }
        session.execute(
            insert(CostEntry),
            [
                {
                    "pass_type": "generation",
                    "shot_id": r["shot_id"],
                    "episode_id": shots[new.shot][1],
                    "take_id": take_ids[(r["shot_id"], r["number"])],
                    "model": new.model,
                    "input_tokens": 0,
                    "output_tokens": 0,
                    "amount": new.cost,
                    "created_at": r["created_at"],
                }
                for r, new in costed
            ],
        )
    return len(rows)


def _prompt_row(session: Session, prompt_id: int | None) -> SystemPromptText | None:
    return session.get(SystemPromptText, prompt_id) if prompt_id is not None else None


def _status(take: Take, decided: str | None) -> str:
    if take.failed:
        return "failed"
    return decided or "pending_review"


def _record(take: Take, shot_code: str, prompt: SystemPromptText | None, status: str) -> TakeRecord:
    return TakeRecord(
        id=take.id,
        shot=shot_code,
        take_id=take_label(take.number),
        number=take.number,
        created_at=take.created_at,
        prompt=take.prompt,
        builder_prompt=take.builder_prompt,
        seed=take.seed,
        model=take.model,
        pipeline=take.pipeline,
        target=take.target,
        system_prompt_version=take.system_prompt_version,
        system_prompt_sha256=prompt.sha256 if prompt else None,
        system_prompt_text=prompt.text if prompt else None,
        enrichment_outcome=take.enrichment_outcome,
        enrichment_reason=take.enrichment_reason,
        cost=take.cost,
        output_path=take.output_path,
        media_kind=take.media_kind,
        output_sha256=take.output_sha256,
        status=status,
        extra=json.loads(take.extra_json) if take.extra_json else {},
    )


def _records(session: Session, rows: Iterable[tuple[Take, str, SystemPromptText | None]]) -> list[TakeRecord]:
    rows = list(rows)
    decided = statuses_for(session, [t.id for t, _, _ in rows])
    return [_record(t, code, p, _status(t, decided.get(t.id))) for t, code, p in rows]


def _take_query():
    return (
        select(Take, Shot.code, SystemPromptText)
        .join(Shot, Shot.id == Take.shot_id)
        .outerjoin(SystemPromptText, SystemPromptText.id == Take.system_prompt_id)
    )


def list_takes(session: Session, shot: str) -> list[TakeRecord]:
    """Every take of a shot, oldest first."""
    found = resolve_shot(session, shot)
    rows = session.execute(_take_query().where(Take.shot_id == found.id).order_by(Take.number))
    return _records(session, rows.all())


def takes_by_ids(session: Session, ids: Sequence[int]) -> list[TakeRecord]:
    rows = session.execute(_take_query().where(Take.id.in_(list(ids))).order_by(Take.id))
    return _records(session, rows.all())


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
    number = parse_take_label(label)
    found = session.scalar(select(Take.id).where(Take.shot_id == shot.id, Take.number == number))
    if found is None:
        raise StoreError(f"shot {shot_code} has no {label}")
    return found


def export_takes(session: Session, shot: str) -> list[dict[str, Any]]:
    """A shot's takes as the execution-store JSON objects pipelines exchange."""
    return [
        {
            "take_id": t.take_id,
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
