"""Many rows at once, for imports.

On SQLite the rows go straight to the driver's executemany: SQLAlchemy's per-row parameter
processing costs more than the insert itself. Timestamp columns are converted the way the
SQLite dialect stores them (naive UTC text; booleans bind as 0/1 as they are), so they read
back through the models unchanged. On PostgreSQL the rows go through SQLAlchemy's own executemany.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import DateTime, Table, TypeDecorator, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def _sqlite_time(value: datetime | None) -> str | None:
    """The text SQLAlchemy's SQLite dialect stores: naive UTC, always six fractional digits
    (so that timestamps compare correctly as text)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def _converter(column_type) -> Callable[[Any], Any] | None:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    if isinstance(column_type, DateTime):
        return _sqlite_time
    return None  # booleans bind as 0/1 already (bool is an int to the driver)


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> int | None:
    """Insert `rows` (dicts with the same keys) into `table` within the session's transaction.
    Returns the id of the first row when the rows were given consecutive ids in their order
    (SQLite, whose write lock the transaction holds), else None."""
    if not rows:
        return None
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return None
    columns = list(rows[0])
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise KeyError(f"table {table.name} has no column {unknown[0]}")
    getter = itemgetter(*columns)
    converted = [(i, f) for i, c in enumerate(columns) if (f := _converter(table.c[c].type))]
    params = list(map(list, map(getter, rows))) if converted else list(map(getter, rows))
    for i, convert in converted:
        # Most rows of a bulk append share one timestamp: each value is converted once.
        seen: dict[Any, Any] = {}
        for values in params:
            value = values[i]
            found = seen.get(value, seen)
            values[i] = seen.setdefault(value, convert(value)) if found is seen else found
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    cursor = connection.connection.driver_connection.cursor()
    try:
        before = cursor.execute(f"SELECT max(rowid) FROM {table.name}").fetchone()[0] or 0
        try:
            cursor.executemany(sql, params)
        except sqlite3.Error as exc:  # raised as SQLAlchemy raises what it runs itself
            raise DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc
        after = cursor.execute(f"SELECT max(rowid) FROM {table.name}").fetchone()[0] or 0
    finally:
        cursor.close()
    return before + 1 if after - before == len(rows) else None


# A bulk append's page cache on SQLite (KiB): a chunk reads and touches pages all over the
# (shot, number) index (each shot's latest number, then its new entries), and a cache smaller
# than those pages reads them again and writes them out within the one transaction. Memory
# only: durability is as the store sets it.
BULK_CACHE_KIB = 262_144


@contextmanager
def bulk_cache(session: Session) -> Iterator[None]:
    """Inside: the session's SQLite connection keeps up to BULK_CACHE_KIB of pages (as it was
    after). Nothing on PostgreSQL."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    cache = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {cache}")


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
