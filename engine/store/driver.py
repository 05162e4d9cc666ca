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
from itertools import chain
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


# Rows per statement of a bulk insert on the driver: one INSERT of many rows binds them all and
# steps once, a quarter faster than a statement per row (executemany).
ROWS_PER_STATEMENT = 500


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
        only = columns[0] if len(columns) == 1 else None
        self._getter = itemgetter(*columns) if only is None else (lambda row: (row[only],))
        self._converted = [(i, f) for i, c in enumerate(columns) if (f := _converter(table.c[c].type))]
        self._row_marks = f"({', '.join('?' for _ in columns)})"
        self._sql_of_rows: dict[int, str] = {}

    def lists(self, rows: Sequence[dict[str, Any]]) -> list[list]:
        """Each row (a dict holding the columns) as a list of its values in the columns' order."""
        return list(map(list, map(self._getter, rows)))

    def convert(self, values: list[list]) -> list[list]:
        """Rows given as lists of values in the columns' order, converted in place to what
        SQLAlchemy's SQLite dialect stores; returns them."""
        for i, convert in self._converted:
            # Most rows of a bulk append share one timestamp: each value is converted once.
            seen: dict[Any, Any] = {}
            for row in values:
                value = row[i]
                found = seen.get(value, seen)
                row[i] = seen.setdefault(value, convert(value)) if found is seen else found
        return values

    def many(self, raw: sqlite3.Connection, values: Sequence[Sequence]) -> None:
        """Insert rows (values in the columns' order, converted) on the driver, up to
        ROWS_PER_STATEMENT rows per statement (fewer where the driver binds fewer values)."""
        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(self.columns)
        per = max(1, min(ROWS_PER_STATEMENT, limit))
        for start in range(0, len(values), per):
            part = values[start:start + per]
            sql = self._sql_of_rows.get(len(part))
            if sql is None:
                sql = self._sql_of_rows[len(part)] = (
                    f"INSERT INTO {self.table.name} ({', '.join(self.columns)}) VALUES "
                    + ", ".join([self._row_marks] * len(part))
                )
            try:
                raw.execute(sql, list(chain.from_iterable(part)))
            except sqlite3.Error as exc:
                raise DBAPIError.instance(self.sql, None, exc, sqlite3.Error) from exc

    @cached_property
    def _returning_id(self):
        """The same INSERT with RETURNING id, for PostgreSQL (tables with an id only)."""
        return insert(self.table).returning(self.table.c.id)

    def one(self, session: Session, raw: sqlite3.Connection | None, values: Sequence) -> int:
        """Insert one row (its values in the columns' order) in the session's transaction; its
        id. `raw` is what sqlite_driver gave for the session."""
        if raw is None:
            return session.connection().execute(
                self._returning_id, dict(zip(self.columns, values, strict=True))
            ).scalar_one()
        cursor = run(raw, self.sql, self.convert([list(values)])[0])
        return cursor.lastrowid
