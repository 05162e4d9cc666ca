"""The rejected takes behind one line of the weekly review, with the exact prompts that were
sent, for the supervisor's manual read. Paged by decision id, so a long list is read a page
at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select
from sqlalchemy.orm import aliased

from engine.reports.weekly import GroupKey, decided_in
from engine.reports.weeks import IsoWeek
from engine.store.db import Store
from engine.store.models import ReviewDecision, ReviewTag, Shot, SystemPromptText, Take
from engine.store.takes import take_label

PAGE = 200


@dataclass(frozen=True)
class RejectedTake:
    decision_id: int
    take_id: int
    ref: str  # SHOT/take_NNN
    created_at: datetime
    rejected_at: datetime
    reviewer: str
    tags: tuple[str, ...]
    note: str
    conflicts_with: str | None
    prompt: str | None
    builder_prompt: str | None
    seed: int | None
    model: str
    target: str | None
    system_prompt_version: str | None
    system_prompt_sha256: str | None


@dataclass(frozen=True)
class RejectedPage:
    week: str
    key: GroupKey
    total: int  # all rejected takes of the group this week
    takes: tuple[RejectedTake, ...]
    next_after: int | None  # pass as `after` for the next page; None: this was the last


def _group_filter(key: GroupKey):
    target = Take.target.is_(None) if key.target is None else Take.target == key.target
    version = (
        Take.system_prompt_version.is_(None)
        if key.version is None
        else Take.system_prompt_version == key.version
    )
    return (target, version, Take.model == key.model, Take.failed == false())


def rejected_takes(
    store: Store,
    week: IsoWeek,
    key: GroupKey,
    *,
    after: int | None = None,
    limit: int = PAGE,
    total: int | None = None,
) -> RejectedPage:
    """One page of the takes of `key` rejected in `week` (by the rule of the weekly review),
    oldest decision first; `after` is the previous page's `next_after`. `total`, when the
    caller knows it from the weekly report, saves counting again."""
    latest = decided_in(week.starts, week.ends).subquery()
    decision = aliased(ReviewDecision)
    other = aliased(Take)
    other_shot = aliased(Shot)
    base = (
        select(decision.id)
        .select_from(latest)
        .join(decision, decision.id == latest.c.decision_id)
        .join(Take, Take.id == latest.c.take_id)
        .where(decision.action == "reject", *_group_filter(key))
    )
    query = (
        base.add_columns(
            Take.id, Shot.code, Take.number, Take.created_at, decision.created_at,
            decision.reviewer, decision.note, other_shot.code, other.number, Take.prompt,
            Take.builder_prompt, Take.seed, SystemPromptText.sha256,
        )
        .join(Shot, Shot.id == Take.shot_id)
        .outerjoin(other, other.id == decision.conflicts_with_take_id)
        .outerjoin(other_shot, other_shot.id == other.shot_id)
        .outerjoin(SystemPromptText, SystemPromptText.id == Take.system_prompt_id)
        .order_by(decision.id)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(decision.id > after)
    with store.read() as session:
        if total is None:
            total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = list(session.execute(query))
        more = len(rows) > limit
        rows = rows[:limit]
        tags: dict[int, list[str]] = {}
        if rows:
            for decision_id, tag in session.execute(
                select(ReviewTag.decision_id, ReviewTag.tag)
                .where(ReviewTag.decision_id.in_([r[0] for r in rows]))
                .order_by(ReviewTag.decision_id, ReviewTag.tag)
            ):
                tags.setdefault(decision_id, []).append(tag)
    takes = tuple(
        RejectedTake(
            decision_id=did,
            take_id=tid,
            ref=f"{code}/{take_label(number)}",
            created_at=made,
            rejected_at=at,
            reviewer=reviewer,
            tags=tuple(tags.get(did, ())),
            note=note,
            conflicts_with=f"{ocode}/{take_label(onum)}" if ocode is not None else None,
            prompt=prompt,
            builder_prompt=builder,
            seed=seed,
            model=key.model,
            target=key.target,
            system_prompt_version=key.version,
            system_prompt_sha256=sha,
        )
        for did, tid, code, number, made, at, reviewer, note, ocode, onum, prompt, builder, seed, sha in rows
    )
    return RejectedPage(
        week=str(week),
        key=key,
        total=int(total),
        takes=takes,
        next_after=takes[-1].decision_id if more else None,
    )
