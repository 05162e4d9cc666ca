"""The weekly review's counts, kept as decisions are written.

A take counts in a week with its standing decision of that week: its last approve or reject
made that week that no retraction has withdrawn (failed generations never count). For each
ISO week and take group (target, model, system-prompt version) review_week_group holds, on
its tag '' row, the takes reviewed and rejected, their landed cost (every cost entry of those
takes) and the takes generated and failed that week (by when they were made); and for each
tag the takes rejected with it. So the weekly review reads a few rows per week instead of
every decision and take of the trend's weeks.

Every write of decisions runs inside `counting(session, take_ids)`: the takes' contributions
are worked out from their own decisions (a take has a handful) and cost entries before and
after the write, and the difference is added with one upsert per row. A cost entry booked
against a reviewed take is written inside `counting` too; new takes are counted by
`count_new_takes` as they are appended. Two writers on different takes both
add (the upsert waits for the other's row); two on one take queue, since on PostgreSQL the
take's row is locked first (SQLite writes one at a time). A retraction made weeks later
changes the week of the decision it withdraws, as the history says it should. `recount`
works the whole table out again from the history (the upgrade that adds it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import ColumnElement, Select, delete, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from engine.core.weeks import IsoWeek
from engine.store.driver import run_many, sqlite_driver
from engine.store.models import CostEntry, ReviewDecision, ReviewTag, ReviewWeekGroup, Take

CHUNK = 900  # take ids per statement, under SQLite's bound-parameter limit
RECOUNT_SPAN = 50_000  # take ids per pass when the whole history is counted again

Row = tuple[str, str | None, str, str | None, str]  # (week, target, model, version, tag)
FIGURES = ("takes", "rejected", "generated", "failed", "landed_cost")
Counts = dict[Row, list]  # -> one value per FIGURES

_COLUMNS = ("week", "group_key", "tag", "target", "model", "version", *FIGURES)


def _upsert_sql(placeholder: str) -> str:
    """The upsert in the driver's own parameter style: it runs on every write, and handing
    the driver its text directly skips SQLAlchemy's per-statement work."""
    return (
        f"INSERT INTO review_week_group ({', '.join(_COLUMNS)}) "
        f"VALUES ({', '.join(placeholder.format(c) for c in _COLUMNS)}) "
        "ON CONFLICT (week, group_key, tag) DO UPDATE SET "
        + ", ".join(f"{f} = review_week_group.{f} + excluded.{f}" for f in FIGURES)
    )


_UPSERT = {"sqlite": _upsert_sql(":{}"), "postgresql": _upsert_sql("%({})s")}


def _cell(counts: Counts, row: Row) -> list:
    return counts.setdefault(row, [0, 0, 0, 0, 0.0])


def group_key(target: str | None, model: str, version: str | None) -> str:
    """One text per group, NULLs included (a unique key cannot hold NULLs as equal)."""
    return json.dumps([target, model, version], ensure_ascii=False)


def _counts(session: Session, which: ColumnElement[bool]) -> Counts:
    """What the takes whose decisions match `which` (a condition on the decisions' take_id)
    add to each week's counts, worked out from their history."""
    decision = ReviewDecision.__table__
    retraction = aliased(decision)
    rows = session.execute(
        select(decision.c.id, decision.c.take_id, decision.c.created_at, decision.c.action)
        .where(which, decision.c.action.in_(("approve", "reject")))
    ).all()
    if not rows:
        return {}
    withdrawn = set(session.scalars(
        select(retraction.c.retracts_id)
        .join(decision, decision.c.id == retraction.c.retracts_id)
        .where(which)
    ))
    standing: dict[tuple[int, str], int] = {}
    actions = {}
    for did, take_id, at, action in rows:
        actions[did] = action
        if did not in withdrawn:
            key = (take_id, str(IsoWeek.of(at)))
            standing[key] = max(standing.get(key, 0), did)
    take = Take.__table__
    groups = {
        tid: (target, model, version)
        for tid, target, model, version in session.execute(
            select(take.c.id, take.c.target, take.c.model, take.c.system_prompt_version)
            .where(take.c.id.in_(select(decision.c.take_id).where(which)), take.c.failed == false())
        )
    }
    costs = dict(session.execute(
        select(CostEntry.take_id, func.sum(CostEntry.amount))
        .where(CostEntry.take_id.in_(select(decision.c.take_id).where(which)))
        .group_by(CostEntry.take_id)
    ).all())
    tags: dict[int, list[str]] = {}
    for did, tag in session.execute(
        select(ReviewTag.decision_id, ReviewTag.tag)
        .where(ReviewTag.decision_id.in_(select(decision.c.id).where(which, decision.c.action == "reject")))
    ):
        tags.setdefault(did, []).append(tag)
    counts: Counts = {}
    for (take_id, week), did in standing.items():
        if take_id not in groups:
            continue  # a failed generation
        group = groups[take_id]
        rejected = int(actions[did] == "reject")
        whole = _cell(counts, (week, *group, ""))
        whole[0] += 1
        whole[1] += rejected
        whole[4] += float(costs.get(take_id) or 0.0)
        for tag in tags.get(did, ()) if rejected else ():
            _cell(counts, (week, *group, tag))[1] += 1
    return counts


def _counts_of(session: Session, take_ids: list[int]) -> Counts:
    counts: Counts = {}
    for start in range(0, len(take_ids), CHUNK):
        _merge(counts, _counts(session, ReviewDecision.__table__.c.take_id.in_(take_ids[start:start + CHUNK])))
    return counts


def _merge(into: Counts, more: Counts, sign: int = 1) -> None:
    for row, values in more.items():
        cell = _cell(into, row)
        for i, value in enumerate(values):
            cell[i] += sign * value


def _add(session: Session, counts: Counts) -> None:
    params = [
        {"week": week, "group_key": group_key(target, model, version), "tag": tag, "target": target,
         "model": model, "version": version, **dict(zip(FIGURES, values, strict=True))}
        for (week, target, model, version, tag), values in sorted(
            counts.items(), key=lambda item: (item[0][0], group_key(*item[0][1:4]), item[0][4]))
        if any(values)
    ]
    if params:
        raw = sqlite_driver(session)
        if raw is None:
            session.connection().exec_driver_sql(_UPSERT["postgresql"], params)
        else:
            run_many(raw, _UPSERT["sqlite"], params)


def _lock(session: Session, take_ids: list[int]) -> None:
    """PostgreSQL: hold the takes' rows until commit, so one take's decisions are counted one
    writer after the other (FOR NO KEY UPDATE leaves other writers' foreign-key checks be)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    take = Take.__table__
    for start in range(0, len(take_ids), CHUNK):
        session.execute(
            select(take.c.id).where(take.c.id.in_(take_ids[start:start + CHUNK]))
            .order_by(take.c.id).with_for_update(key_share=True)
        ).all()


@contextmanager
def counting(session: Session, take_ids: Iterable[int]) -> Iterator[None]:
    """Write decisions of `take_ids` inside this block; the weekly counts follow them."""
    ids = sorted({int(t) for t in take_ids})
    _lock(session, ids)
    before = _counts_of(session, ids)
    yield
    session.flush()
    after = _counts_of(session, ids)
    _merge(after, before, -1)
    _add(session, after)


def count_new_takes(session: Session, takes: Iterable[Sequence]) -> None:
    """Count takes just appended, each given as (created_at, target, model,
    system_prompt_version, failed), as generated in their week."""
    # An import's takes share a handful of moments and groups: they are tallied first, and
    # each distinct moment's week is worked out once.
    tally = Counter((at, target, model or "", version, bool(failed)) for at, target, model, version, failed in takes)
    weeks: dict = {}
    counts: Counts = {}
    for (at, target, model, version, failed), n in tally.items():
        week = weeks.get(at)
        if week is None:
            week = weeks[at] = str(IsoWeek.of(at))
        cell = _cell(counts, (week, target, model, version, ""))
        cell[2] += n
        cell[3] += n if failed else 0
    _add(session, counts)


def recount(session: Session) -> None:
    """Work every week's counts out again from the whole history."""
    session.execute(delete(ReviewWeekGroup.__table__))
    take = Take.__table__
    highest = session.scalar(select(func.max(take.c.id))) or 0
    for low in range(0, highest + 1, RECOUNT_SPAN):
        span = (low, low + RECOUNT_SPAN - 1)
        count_new_takes(session, session.execute(
            select(take.c.created_at, take.c.target, take.c.model, take.c.system_prompt_version, take.c.failed)
            .where(take.c.id.between(*span))
        ))
        _add(session, _counts(session, ReviewDecision.__table__.c.take_id.between(*span)))


def week_counts(weeks: Iterable[object]) -> Select:
    """(week, target, model, version, tag, takes, rejected, generated, failed, landed_cost)
    of each of `weeks` (ISO weeks, or their text): per group (tag '') the takes reviewed and
    rejected, their landed cost, and the takes generated and failed; per tag the takes
    rejected with it. Rows that count nothing are left out."""
    table = ReviewWeekGroup.__table__
    return select(
        table.c.week, table.c.target, table.c.model, table.c.version, table.c.tag,
        *(table.c[f] for f in FIGURES),
    ).where(table.c.week.in_([str(w) for w in weeks]),
            or_(table.c.takes > 0, table.c.rejected > 0, table.c.generated > 0))
