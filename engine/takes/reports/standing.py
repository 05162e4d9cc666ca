"""Which decision of each take stands in a week, as SQL the report queries build on.

For a week, each take counts once, with its last approve or reject made that week that no
retraction has withdrawn. Each take's standing decision is found as max(id * 2 + is_reject)
over its decisions of the week: ids are unique, so the value names the decision (value // 2)
and its action (value % 2) without reading the decision row again.

A week's decisions are a range scan of the decisions' (created_at, action, take_id) index.
Retracted decisions are excluded with one list of retracted ids read once (retractions are
few), not with a lookup per decision. (The weekly counts themselves are kept as decisions
are written: engine.store.review_weeks.)

A take's target, model, version and failed flag are read from the narrow index
ix_take_lookup rather than from the take rows, which are large (they hold the prompts). On
SQLite this needs INDEXED BY: looking a take up by its id, SQLite otherwise always reads the
row itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import (
    BigInteger,
    Select,
    case,
    cast,
    column,
    false,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.expression import FromClause, TableClause

from engine.store.models import ReviewDecision, Take
from engine.store.status import DECIDED
from engine.takes.reports.weeks import IsoWeek

LOOKUP_INDEX = "ix_take_lookup"


class _IndexedTable(TableClause):
    """A table read through one named index on SQLite (INDEXED BY), plainly elsewhere."""

    inherit_cache = True

    def __init__(self, name: str, index: str, *columns):
        super().__init__(name, *columns)
        self.index = index


def take_source(session: Session) -> FromClause:
    """Where the reports read takes' groups: the lookup index where the store has it."""
    if session.get_bind().dialect.name == "sqlite" and session.scalar(
        text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name"), {"name": LOOKUP_INDEX}
    ):
        wanted = ("id", "target", "model", "system_prompt_version", "failed")
        return _IndexedTable("take", LOOKUP_INDEX, *(column(n, Take.__table__.c[n].type) for n in wanted))
    return Take.__table__


# How a report reads a SQLite store: memory-mapped, with a page cache of this many KiB. A week's
# take lookups land all over the lookup index; read through the default 2 MiB cache, every
# lookup copied its page in again. Reading only: durability is untouched.
REPORT_MMAP_BYTES = 1 << 30
REPORT_CACHE_KIB = 131_072


@contextmanager
def report_reading(session: Session) -> Iterator[Session]:
    """`session` set up for a report's large reads (SQLite: memory-mapped, a larger page
    cache), and set back afterwards, since the connection goes back to the pool."""
    if session.get_bind().dialect.name != "sqlite":
        yield session
        return
    raw = session.connection().connection.driver_connection
    mmap, cache = (raw.execute(f"PRAGMA {name}").fetchone()[0] for name in ("mmap_size", "cache_size"))
    raw.execute(f"PRAGMA mmap_size = {REPORT_MMAP_BYTES}")
    raw.execute(f"PRAGMA cache_size = -{REPORT_CACHE_KIB}")
    try:
        yield session
    finally:
        with suppress(sqlite3.Error):  # a connection that broke is not given back as it is
            raw.execute(f"PRAGMA mmap_size = {int(mmap)}")
            raw.execute(f"PRAGMA cache_size = {int(cache)}")


def _retracted_ids() -> Select:
    retraction = aliased(ReviewDecision)
    return select(retraction.retracts_id).where(retraction.retracts_id.is_not(None))


def standing_in(week: IsoWeek) -> Select:
    """(take_id, code): each take's standing decision of `week` as its code (decision id * 2
    + 1 for a reject, + 0 for an approve)."""
    code = cast(ReviewDecision.id, BigInteger) * 2 + case((ReviewDecision.action == "reject", 1), else_=0)
    return (
        select(ReviewDecision.take_id.label("take_id"), func.max(code).label("code"))
        .where(
            ReviewDecision.created_at >= week.starts,
            ReviewDecision.created_at < week.ends,
            ReviewDecision.action.in_(tuple(DECIDED)),
            ReviewDecision.id.not_in(_retracted_ids()),
        )
        .group_by(ReviewDecision.take_id)
    )


def rejected_in(week: IsoWeek, take: FromClause = Take.__table__) -> Select:
    """(decision_id, take_id, target, model, version) of each take of `week` whose standing
    decision is a reject (failed generations left out)."""
    latest = standing_in(week).subquery("latest")
    return (
        select(
            (latest.c.code // 2).label("decision_id"),
            latest.c.take_id,
            take.c.target,
            take.c.model,
            take.c.system_prompt_version,
        )
        .select_from(latest)
        .join(take, take.c.id == latest.c.take_id)
        .where(latest.c.code % 2 == 1, take.c.failed == false())
    )
