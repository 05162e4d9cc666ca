"""Many rows at once, for imports.

On SQLite the rows go straight to the driver, many rows per INSERT (engine.store.driver):
SQLAlchemy's per-row parameter processing costs more than the insert itself. On PostgreSQL the
rows go through SQLAlchemy's own executemany.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from engine.store.driver import DriverInsert, sqlite_driver


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> int | None:
    """Insert `rows` (dicts with the same keys) into `table` within the session's transaction.
    Returns the id of the first row when the rows were given consecutive ids in their order
    (SQLite, whose write lock the transaction holds), else None."""
    if not rows:
        return None
    if sqlite_driver(session) is None:
        session.execute(insert(table), rows)
        return None
    statement = DriverInsert(table, list(rows[0]))
    return insert_values(session, statement, statement.lists(rows))


def insert_values(session: Session, statement: DriverInsert, values: list[list]) -> int | None:
    """insert_many for rows given as lists of values in `statement`'s columns' order (as
    Python gives them: SQLite's conversions are made here). The lists may be changed."""
    if not values:
        return None
    raw = sqlite_driver(session)
    table = statement.table
    if raw is None:
        session.execute(insert(table), [dict(zip(statement.columns, row, strict=True)) for row in values])
        return None
    statement.convert(values)
    before = raw.execute(f"SELECT max(rowid) FROM {table.name}").fetchone()[0] or 0
    statement.many(raw, values)
    after = raw.execute(f"SELECT max(rowid) FROM {table.name}").fetchone()[0] or 0
    return before + 1 if after - before == len(values) else None


# A bulk append's page cache on SQLite (KiB): a chunk reads and touches pages all over the
# (shot, number) index (each shot's latest number, then its new entries), and a cache smaller
# than those pages reads them again and writes them out within the one transaction. The
# connection keeps it afterwards: an import appends chunk after chunk to the same shots, and
# the next chunk finds the index's pages already read (14 MB of them at a million takes, where
# a connection's usual cache holds 2 MB). Memory only, held by a process that has bulk appended
# (an import); durability is as the store sets it.
BULK_CACHE_KIB = 262_144


def keep_bulk_cache(session: Session) -> None:
    """From now on the session's SQLite connection keeps up to BULK_CACHE_KIB of pages. Nothing
    on PostgreSQL."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if raw.execute("PRAGMA cache_size").fetchone()[0] != -BULK_CACHE_KIB:
        raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


@contextmanager
def collection_paused() -> Iterator[None]:
    """Inside: no automatic garbage collection (as it was after). A bulk append makes tens of
    thousands of short-lived rows, which reference counting frees, and makes no cycles; their
    allocations set off full collections, each of which walks every live object of the
    process (an import's takes included), about a tenth of the append's time. Where the
    process collects by hand (the desk's GUI thread does), nothing changes."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def plain_inserts(session: Session, tables: Sequence[str]) -> Iterator[None]:
    """Inside: only plain INSERTs of new rows into `tables` (SQLite).

    Each history table's replace guard (a BEFORE INSERT trigger, migration 0005) refuses a
    row whose key exists, so that INSERT OR REPLACE cannot delete history; it runs for every
    row and halves a bulk append. A plain INSERT cannot replace anything (a key that exists
    fails on its unique index), so for the plain INSERTs made inside, the guards are dropped
    and created again, exactly as stored, within one savepoint of the session's transaction:
    no other connection ever sees the store without them (SQLite's schema is transactional,
    and the write lock is held), and an error inside rolls the savepoint back, guards included.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    names = [f"{table}_refuse_replace" for table in tables]
    guards = raw.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join('?' for _ in names)})",
        names,
    ).fetchall()
    raw.execute("SAVEPOINT dailies_plain_inserts")
    try:
        for name, _ in guards:
            raw.execute(f'DROP TRIGGER "{name}"')
        yield
        for _, sql in guards:
            raw.execute(sql)
    except BaseException:
        raw.execute("ROLLBACK TO dailies_plain_inserts")
        raw.execute("RELEASE dailies_plain_inserts")
        raise
    else:
        raw.execute("RELEASE dailies_plain_inserts")
