"""The rejected takes behind one line of the weekly review, with the exact prompts that were
sent, for the supervisor's manual read. Paged by decision id, so a long list is read a page
at a time. The week's rejected decisions are found from indexes alone; the take rows, which
are large (they hold the prompts), are read only for the takes of the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engine.store.db import Store
from engine.store.models import ReviewDecision, ReviewTag, Shot, SystemPromptText, Take
from engine.store.takes import take_ref
from engine.takes.reports.standing import rejected_in, take_source
from engine.takes.reports.weekly import GroupKey
from engine.takes.reports.weeks import IsoWeek

PAGE = 200
CHUNK = 900  # ids per IN list, under SQLite's bound-parameter limit


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


def _group_filter(rejected, key: GroupKey) -> tuple:
    c = rejected.c
    target = c.target.is_(None) if key.target is None else c.target == key.target
    version = (
        c.system_prompt_version.is_(None) if key.version is None else c.system_prompt_version == key.version
    )
    return (target, version, c.model == key.model)


def _details(session: Session, decision_ids: list[int]) -> dict[int, RejectedTake]:
    """The rejected takes behind `decision_ids`, prompts included: only these rows are read."""
    decision = aliased(ReviewDecision)
    other = aliased(Take)
    other_shot = aliased(Shot)
    found: dict[int, RejectedTake] = {}
    for start in range(0, len(decision_ids), CHUNK):
        chunk = decision_ids[start : start + CHUNK]
        tags: dict[int, list[str]] = {}
        for decision_id, tag in session.execute(
            select(ReviewTag.decision_id, ReviewTag.tag)
            .where(ReviewTag.decision_id.in_(chunk))
            .order_by(ReviewTag.decision_id, ReviewTag.tag)
        ):
            tags.setdefault(decision_id, []).append(tag)
        rows = session.execute(
            select(
                decision.id, Take.id, Shot.code, Take.number, Take.created_at, decision.created_at,
                decision.reviewer, decision.note, other_shot.code, other.number, Take.prompt,
                Take.builder_prompt, Take.seed, Take.model, Take.target, Take.system_prompt_version,
                SystemPromptText.sha256,
            )
            .select_from(decision)
            .join(Take, Take.id == decision.take_id)
            .join(Shot, Shot.id == Take.shot_id)
            .outerjoin(other, other.id == decision.conflicts_with_take_id)
            .outerjoin(other_shot, other_shot.id == other.shot_id)
            .outerjoin(SystemPromptText, SystemPromptText.id == Take.system_prompt_id)
            .where(decision.id.in_(chunk))
        )
        for (did, tid, code, number, made, at, reviewer, note, ocode, onum, prompt, builder, seed,
             model, target, version, sha) in rows:
            found[did] = RejectedTake(
                decision_id=did,
                take_id=tid,
                ref=take_ref(code, number),
                created_at=made,
                rejected_at=at,
                reviewer=reviewer,
                tags=tuple(tags.get(did, ())),
                note=note,
                conflicts_with=take_ref(ocode, onum) if ocode is not None else None,
                prompt=prompt,
                builder_prompt=builder,
                seed=seed,
                model=model,
                target=target,
                system_prompt_version=version,
                system_prompt_sha256=sha,
            )
    return found


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
    with store.read() as session:
        rejected = rejected_in(week, take_source(session)).subquery()
        mine = _group_filter(rejected, key)
        query = (
            select(rejected.c.decision_id).where(*mine).order_by(rejected.c.decision_id).limit(limit + 1)
        )
        if after is not None:
            query = query.where(rejected.c.decision_id > after)
        if total is None:
            total = session.scalar(select(func.count()).select_from(rejected).where(*mine)) or 0
        ids = [int(d) for d in session.scalars(query)]
        more = len(ids) > limit
        ids = ids[:limit]
        details = _details(session, ids)
    takes = tuple(details[d] for d in ids)
    return RejectedPage(
        week=str(week),
        key=key,
        total=int(total),
        takes=takes,
        next_after=takes[-1].decision_id if more else None,
    )


def rejected_first_pages(store: Store, week: IsoWeek, *, limit: int = PAGE) -> dict[GroupKey, RejectedPage]:
    """The first page of rejected takes of every group of `week`, in one pass over the week
    (each group's first `limit` decisions picked with ROW_NUMBER), for the exported page."""
    with store.read() as session:
        rejected = rejected_in(week, take_source(session)).subquery()
        group = (rejected.c.target, rejected.c.model, rejected.c.system_prompt_version)
        ranked = select(
            rejected.c.decision_id,
            *group,
            func.row_number().over(partition_by=group, order_by=rejected.c.decision_id).label("n"),
            func.count().over(partition_by=group).label("total"),
        ).subquery()
        query = (
            select(ranked.c.decision_id, ranked.c.target, ranked.c.model, ranked.c.system_prompt_version,
                   ranked.c.total)
            .where(ranked.c.n <= limit)
            .order_by(ranked.c.decision_id)
        )
        rows = [(int(d), GroupKey(t, m, v), int(n)) for d, t, m, v, n in session.execute(query)]
        details = _details(session, [d for d, _, _ in rows])
    pages: dict[GroupKey, tuple[int, list[RejectedTake]]] = {}
    for decision_id, key, total in rows:
        pages.setdefault(key, (total, []))[1].append(details[decision_id])
    return {
        key: RejectedPage(
            week=str(week),
            key=key,
            total=total,
            takes=tuple(takes),
            next_after=takes[-1].decision_id if total > len(takes) else None,
        )
        for key, (total, takes) in pages.items()
    }
