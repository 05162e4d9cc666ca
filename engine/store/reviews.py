"""Review decisions: append-only. Undo appends a retraction; the history stays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import StoreError
from engine.review_config import review_config
from engine.store.insert_or_get import add_or_existing
from engine.store.models import ReviewDecision, ReviewTag, Shot, Take, utcnow
from engine.store.takes import resolve_take_id, take_label


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    take_id: int
    reviewer: str
    created_at: datetime
    action: str  # approve | reject | retract
    tags: tuple[str, ...]
    note: str
    conflicts_with: str | None  # SHOT/take_NNN
    retracts_id: int | None


def _ref(session: Session, take_id: int | None) -> str | None:
    if take_id is None:
        return None
    row = session.execute(
        select(Shot.code, Take.number).join(Take, Take.shot_id == Shot.id).where(Take.id == take_id)
    ).one()
    return f"{row[0]}/{take_label(row[1])}"


def _record(session: Session, d: ReviewDecision) -> DecisionRecord:
    return DecisionRecord(
        id=d.id,
        take_id=d.take_id,
        reviewer=d.reviewer,
        created_at=d.created_at,
        action=d.action,
        tags=tuple(t.tag for t in d.tags),
        note=d.note,
        conflicts_with=_ref(session, d.conflicts_with_take_id),
        retracts_id=d.retracts_id,
    )


def add_decision(
    session: Session,
    take: str | int,
    *,
    reviewer: str,
    approve: bool,
    tags: Sequence[str] = (),
    note: str = "",
    conflicts_with: str | int | None = None,
    at: datetime | None = None,
    client_key: str | None = None,
) -> DecisionRecord:
    """Record an approve or a reject (with tags from the taxonomy) for a take.

    `client_key` makes the call idempotent: a decision already stored under that key is
    returned as it is, so a desk replaying its journal after a crash writes nothing twice.
    """
    if client_key is not None:
        existing = _by_client_key(session, client_key)
        if existing is not None:
            return existing
    take_id = resolve_take_id(session, take)
    if not reviewer.strip():
        raise StoreError("a review decision needs a reviewer name")
    config = review_config()
    tags = tuple(dict.fromkeys(tags))
    for tag in tags:
        config.tag(tag)  # raises for a tag outside the taxonomy
    if approve and (tags or conflicts_with is not None):
        raise StoreError("an approval carries no rejection tags or conflicting take")
    ref_id = None
    if conflicts_with is not None:
        if "continuity_error" not in tags:
            raise StoreError("a conflicting take is given only with the continuity_error tag")
        ref_id = resolve_take_id(session, conflicts_with)
        if ref_id == take_id:
            raise StoreError("a take cannot conflict with itself")
    decision = ReviewDecision(
        take_id=take_id,
        reviewer=reviewer.strip(),
        created_at=at or utcnow(),
        action="approve" if approve else "reject",
        note=note,
        conflicts_with_take_id=ref_id,
        client_key=client_key,
    )
    if client_key is None:
        session.add(decision)
        session.flush()
    elif (raced := add_or_existing(session, decision, lambda: _by_client_key(session, client_key))) is not None:
        return raced
    session.add_all(ReviewTag(decision_id=decision.id, tag=t) for t in tags)
    session.flush()
    session.refresh(decision)
    return _record(session, decision)


def _by_client_key(session: Session, client_key: str) -> DecisionRecord | None:
    found = session.scalar(select(ReviewDecision).where(ReviewDecision.client_key == client_key))
    return _record(session, found) if found is not None else None


def retract_latest(
    session: Session, take: str | int, *, reviewer: str, client_key: str | None = None
) -> DecisionRecord:
    """Undo: withdraw the take's latest standing decision by appending a retraction."""
    if client_key is not None:
        existing = _by_client_key(session, client_key)
        if existing is not None:
            return existing
    take_id = resolve_take_id(session, take)
    retracted = set(
        session.scalars(
            select(ReviewDecision.retracts_id).where(
                ReviewDecision.take_id == take_id, ReviewDecision.retracts_id.is_not(None)
            )
        )
    )
    standing = [
        d
        for d in session.scalars(
            select(ReviewDecision)
            .where(ReviewDecision.take_id == take_id, ReviewDecision.action != "retract")
            .order_by(ReviewDecision.id.desc())
        )
        if d.id not in retracted
    ]
    if not standing:
        raise StoreError(f"take {_ref(session, take_id)} has no decision to undo")
    retraction = ReviewDecision(
        take_id=take_id,
        reviewer=reviewer,
        action="retract",
        note="",
        retracts_id=standing[0].id,
        client_key=client_key,
    )
    if client_key is None:
        session.add(retraction)
        session.flush()
    elif (raced := add_or_existing(session, retraction, lambda: _by_client_key(session, client_key))) is not None:
        return raced
    session.refresh(retraction)
    return _record(session, retraction)


def history(session: Session, take: str | int) -> list[DecisionRecord]:
    """Every decision on a take, oldest first, retractions included."""
    take_id = resolve_take_id(session, take)
    decisions = session.scalars(
        select(ReviewDecision).where(ReviewDecision.take_id == take_id).order_by(ReviewDecision.id)
    )
    return [_record(session, d) for d in decisions]
