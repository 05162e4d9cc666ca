"""Statements handed straight to the SQLite driver, for the writes every append makes.

SQLAlchemy's per-statement work (compiling, events, result set-up) costs more than a small
INSERT itself; on SQLite the desk's and the imports' writes run their fixed statements on the
driver connection of the session's own transaction instead. Values are converted the way
SQLAlchemy's SQLite dialect stores them (timestamps as naive UTC text; booleans bind as 0/1 as
they are), so they read back through the models unchanged, and driver errors are raised as
SQLAlchemy raises what it runs itself. On PostgreSQL the same writes go through SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cached_property
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


def sqlite_driver(session: Session) -> sqlite3.Connection | None:
    """The SQLite driver connection of the session's transaction (begun if it was not); None
    on PostgreSQL."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return None
    return connection.connection.driver_connection


def run(raw: sqlite3.Connection, sql: str, params: Sequence = ()) -> sqlite3.Cursor:
    """`sql` on the driver."""
    try:
        return raw.execute(sql, params)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc


def run_many(raw: sqlite3.Connection, sql: str, params: Sequence) -> None:
    """`sql` once per parameter set on the driver."""
    try:
        raw.executemany(sql, params)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc


class DriverInsert:
    """An INSERT of `columns` into `table`: its text for the driver and the conversion of
    values to what SQLAlchemy's SQLite dialect stores."""

    def __init__(self, table: Table, columns: Sequence[str]):
        unknown = [c for c in columns if c not in table.c]
        if unknown:
            raise KeyError(f"table {table.name} has no column {unknown[0]}")
        self.table, self.columns = table, tuple(columns)
        self.sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        self._getter = itemgetter(*columns)
        self._converted = [(i, f) for i, c in enumerate(columns) if (f := _converter(table.c[c].type))]

    def params(self, rows: Sequence[dict[str, Any]]) -> list:
        """Each row (a dict holding the columns) as the driver's parameters."""
        converted = self._converted
        params = list(map(list, map(self._getter, rows))) if converted else list(map(self._getter, rows))
        for i, convert in converted:
            # Most rows of a bulk append share one timestamp: each value is converted once.
            seen: dict[Any, Any] = {}
            for values in params:
                value = values[i]
                found = seen.get(value, seen)
                values[i] = seen.setdefault(value, convert(value)) if found is seen else found
        return params

    @cached_property
    def _returning_id(self):
        """The same INSERT with RETURNING id, for PostgreSQL (tables with an id only)."""
        return insert(self.table).returning(self.table.c.id)

    def one(self, session: Session, raw: sqlite3.Connection | None, row: dict[str, Any]) -> int:
        """Insert one row in the session's transaction; its id. `raw` is what sqlite_driver
        gave for the session."""
        if raw is None:
            return session.connection().execute(self._returning_id, row).scalar_one()
        cursor = run(raw, self.sql, self.params([row])[0])
        return cursor.lastrowid
