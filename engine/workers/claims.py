"""Work that must not run twice (a backfill, a named job), claimed in the database.

A claim is a row per name with its holder and an expiry. Claiming reads the rows under a
row lock that other claimers skip (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; on
SQLite the write transaction holds the writer lock, so claimers queue instead), takes the
first that is free, expired or already ours, and commits at once: the claim lives in the row,
not in an open transaction. A worker that dies holding a claim simply stops renewing it, and
the claim is free again once it expires.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from engine.core.errors import DailiesError
from engine.store.db import Store
from engine.workers.clock import db_now
from engine.workers.models import WorkClaim

DEFAULT_TTL_S = 60.0


@dataclass(frozen=True)
class Claim:
    name: str
    holder: str | None
    claimed_at: datetime | None
    expires_at: datetime | None


def _check(ttl: float) -> None:
    if not ttl > 0:
        raise DailiesError(f"a claim must expire after more than 0 s, not {ttl}")


def claim_first(store: Store, names: Sequence[str], holder: str, *, ttl: float = DEFAULT_TTL_S) -> str | None:
    """Claim the first of `names` nobody holds (or whose claim expired, or that `holder`
    holds already) for `ttl` seconds; returns its name, or None when all are held."""
    _check(ttl)
    if not names:
        return None
    with store.write() as s:
        dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
        s.execute(dialect.insert(WorkClaim).on_conflict_do_nothing(index_elements=["name"]),
                  [{"name": n} for n in dict.fromkeys(names)])
        now = db_now(s)
        row = s.scalar(
            select(WorkClaim)
            .where(WorkClaim.name.in_(list(names)),
                   or_(WorkClaim.holder.is_(None), WorkClaim.holder == holder, WorkClaim.expires_at < now))
            .order_by(WorkClaim.name).limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        row.holder, row.claimed_at, row.expires_at = holder, now, now + timedelta(seconds=ttl)
        return row.name


def claim(store: Store, name: str, holder: str, *, ttl: float = DEFAULT_TTL_S) -> bool:
    return claim_first(store, [name], holder, ttl=ttl) is not None


def renew(store: Store, name: str, holder: str, *, ttl: float = DEFAULT_TTL_S) -> bool:
    """Push a held claim's expiry out by `ttl`; False when `holder` no longer holds it."""
    _check(ttl)
    with store.write() as s:
        now = db_now(s)
        done = s.execute(update(WorkClaim).where(WorkClaim.name == name, WorkClaim.holder == holder)
                         .values(expires_at=now + timedelta(seconds=ttl)))
        return done.rowcount == 1


def release(store: Store, name: str, holder: str) -> None:
    """Give a claim back (a claim someone else holds is left alone)."""
    with store.write() as s:
        s.execute(update(WorkClaim).where(WorkClaim.name == name, WorkClaim.holder == holder)
                  .values(holder=None, claimed_at=None, expires_at=None))


def claims(store: Store) -> list[Claim]:
    with store.read() as s:
        return [Claim(c.name, c.holder, c.claimed_at, c.expires_at)
                for c in s.scalars(select(WorkClaim).order_by(WorkClaim.name))]


@contextmanager
def claimed(
    store: Store, name: str, holder: str, *, ttl: float = DEFAULT_TTL_S, wait: float = 0.0,
    poll: float = 0.2, sleep=time.sleep,
) -> Iterator[bool]:
    """Hold `name` for the block (True), or yield False when it stayed held by someone else
    for `wait` seconds, so the caller skips the work. The claim is released on exit, also
    when the block raises; if the process dies, it expires after `ttl`."""
    deadline = time.monotonic() + wait
    got = claim(store, name, holder, ttl=ttl)
    while not got and time.monotonic() < deadline:
        sleep(min(poll, max(0.0, deadline - time.monotonic())))
        got = claim(store, name, holder, ttl=ttl)
    try:
        yield got
    finally:
        if got:
            release(store, name, holder)
