"""Review decisions: append-only. Undo appends a retraction; the history stays.

Every decision, from the CLI, the desk or an import, is recorded by `add_decision`, which
enforces the review rule (`decision_problem`): a rejection carries at least one tag of the
taxonomy in config/review.json, and a conflicting take goes only with a tag the config marks
as needing a reference frame. Recording over another reviewer's standing decision is reported
(`DecisionRecord.overrules`). Undo (`retract_latest`) withdraws the reviewer's own latest
standing decision; someone else's only when they are named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.errors import StoreError
from engine.core.review_config import ReviewConfig, review_config
from engine.store.insert_or_get import add_or_existing
from engine.store.models import ReviewDecision, ReviewTag, Shot, Take, utcnow
from engine.store.review_weeks import counting
from engine.store.takes import resolve_take_id, take_ref


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
    # "ana.ruiz's approval": another reviewer's standing decision this one replaced, or (for
    # a retraction) the decision it withdrew. Derived from the history, never stored.
    overrules: str | None = None
    withdrew: str | None = None

    @property
    def effect(self) -> str:
        """What this decision did to the take's standing decision, in words."""
        if self.withdrew:
            return f"withdraws {self.withdrew}"
        return f"overrules {self.overrules}" if self.overrules else ""


VERDICT_NOUN = {"approve": "approval", "reject": "rejection"}


def _owned(reviewer: str, action: str) -> str:
    return f"{reviewer}'s {VERDICT_NOUN.get(action, action)}"


def decision_problem(
    config: ReviewConfig, *, approve: bool, tags: Sequence[str], has_conflict: bool = False
) -> str | None:
    """Why a decision may not be recorded, in one line, or None when it may.

    The one statement of the review rule; the desk asks it before it queues a decision and
    `add_decision` asks it again before anything is written.
    """
    known = set(config.tags)
    unknown = [t for t in tags if t not in known]
    if unknown:
        return f"'{unknown[0]}' is not a rejection tag; tags are {', '.join(config.tags)}"
    if approve:
        if tags or has_conflict:
            return "an approval carries no rejection tags or conflicting take"
        return None
    if not tags:
        return f"a rejection needs at least one tag: {', '.join(config.tags)}"
    if has_conflict and not any(config.tag(t).needs_reference for t in tags):
        ref = [t.tag for t in config.taxonomy if t.needs_reference]
        return ("a conflicting take is given only with "
                + (" or ".join(ref) if ref else "a tag that needs a reference frame"))
    return None


def _ref(session: Session, take_id: int | None) -> str | None:
    if take_id is None:
        return None
    row = session.execute(
        select(Shot.code, Take.number).join(Take, Take.shot_id == Shot.id).where(Take.id == take_id)
    ).one()
    return take_ref(row[0], row[1])


def _record(session: Session, d: ReviewDecision) -> DecisionRecord:
    withdrew = None
    if d.retracts_id is not None:
        undone = session.get(ReviewDecision, d.retracts_id)
        withdrew = _owned(undone.reviewer, undone.action) if undone is not None else None
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
        withdrew=withdrew,
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
    tags = tuple(dict.fromkeys(tags))
    problem = decision_problem(
        review_config(), approve=approve, tags=tags, has_conflict=conflicts_with is not None
    )
    if problem:
        raise StoreError(f"take {_ref(session, take_id)}: {problem}")
    ref_id = None
    if conflicts_with is not None:
        ref_id = resolve_take_id(session, conflicts_with)
        if ref_id == take_id:
            raise StoreError("a take cannot conflict with itself")
    with counting(session, [take_id]):
        before = _standing(session, take_id)
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
    overrules = before[0] if before and before[0].reviewer != decision.reviewer else None
    return replace(
        _record(session, decision),
        overrules=_owned(overrules.reviewer, overrules.action) if overrules else None,
    )


def _by_client_key(session: Session, client_key: str) -> DecisionRecord | None:
    found = session.scalar(select(ReviewDecision).where(ReviewDecision.client_key == client_key))
    return _record(session, found) if found is not None else None


def _standing(session: Session, take_id: int) -> list[ReviewDecision]:
    """The take's approvals and rejections no retraction has withdrawn, newest first."""
    retracted = set(
        session.scalars(
            select(ReviewDecision.retracts_id).where(
                ReviewDecision.take_id == take_id, ReviewDecision.retracts_id.is_not(None)
            )
        )
    )
    return [
        d
        for d in session.scalars(
            select(ReviewDecision)
            .where(ReviewDecision.take_id == take_id, ReviewDecision.action != "retract")
            .order_by(ReviewDecision.id.desc())
        )
        if d.id not in retracted
    ]


def retract_latest(
    session: Session,
    take: str | int,
    *,
    reviewer: str,
    of: str | None = None,
    at: datetime | None = None,
    client_key: str | None = None,
) -> DecisionRecord:
    """Undo: withdraw `reviewer`'s own latest standing decision on the take, or, when `of`
    names another reviewer, that reviewer's. The retraction is appended; the history stays.
    Nothing of theirs standing on the take: StoreError, nothing written."""
    if client_key is not None:
        existing = _by_client_key(session, client_key)
        if existing is not None:
            return existing
    take_id = resolve_take_id(session, take)
    reviewer = reviewer.strip()
    if not reviewer:
        raise StoreError("an undo needs a reviewer name")
    owner = (of or reviewer).strip()
    with counting(session, [take_id]):
        standing = _standing(session, take_id)
        mine = [d for d in standing if d.reviewer == owner]
        if not mine:
            top = f"; its standing decision is {_owned(standing[0].reviewer, standing[0].action)}" if standing else ""
            if standing and of is None and standing[0].reviewer != reviewer:
                top += f" (name {standing[0].reviewer} to withdraw it)"
            raise StoreError(f"take {_ref(session, take_id)} has no standing decision by {owner} to undo{top}")
        retraction = ReviewDecision(
            take_id=take_id,
            reviewer=reviewer,
            created_at=at or utcnow(),
            action="retract",
            note="",
            retracts_id=mine[0].id,
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
    """Every decision on a take, oldest first, retractions included; each approval or
    rejection says whose standing decision it overruled."""
    take_id = resolve_take_id(session, take)
    decisions = list(
        session.scalars(
            select(ReviewDecision).where(ReviewDecision.take_id == take_id).order_by(ReviewDecision.id)
        )
    )
    out: list[DecisionRecord] = []
    standing: list[ReviewDecision] = []  # oldest first
    for d in decisions:
        record = _record(session, d)
        if d.action == "retract":
            standing = [s for s in standing if s.id != d.retracts_id]
        else:
            top = standing[-1] if standing else None
            if top is not None and top.reviewer != d.reviewer:
                record = replace(record, overrules=_owned(top.reviewer, top.action))
            standing.append(d)
        out.append(record)
    return out


@dataclass(frozen=True)
class StandingDecision:
    """What the desk shows for a take: its standing decision (None when undecided) and how
    many decisions the take has had (retractions included)."""

    decision: DecisionRecord | None
    count: int
    blind: bool = False  # sampled for a second review: the first decision is hidden from this reviewer


def standing_decisions(session: Session, take_ids: Sequence[int]) -> dict[int, StandingDecision]:
    """The standing decision of each take, with the whole history read once per take."""
    out = {}
    for take_id in take_ids:
        records = history(session, take_id)
        withdrawn = {r.retracts_id for r in records if r.retracts_id is not None}
        live = [r for r in records if r.action != "retract" and r.id not in withdrawn]
        out[take_id] = StandingDecision(live[-1] if live else None, len(records))
    return out
