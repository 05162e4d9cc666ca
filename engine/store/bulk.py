"""Many rows at once, for imports.

On SQLite the rows go straight to the driver's executemany: SQLAlchemy's per-row parameter
processing costs more than the insert itself. Timestamp and boolean columns are converted the
way the SQLite dialect stores them (naive UTC text, 0/1), so they read back through the models
unchanged. On PostgreSQL the rows go through SQLAlchemy's own executemany.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, DateTime, Table, TypeDecorator, insert
from sqlalchemy.orm import Session


def _sqlite_time(value: datetime | None) -> str | None:
    """The text SQLAlchemy's SQLite dialect stores: naive UTC, always six fractional digits
    (so that timestamps compare correctly as text)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _converter(column_type) -> Callable[[Any], Any] | None:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl
    if isinstance(column_type, DateTime):
        return _sqlite_time
    if isinstance(column_type, Boolean):
        return _sqlite_bool
    return None


def _memo(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert` remembering its answers for one insert: most rows of a bulk append share one
    timestamp, and formatting it again for each row cost a fifth of the append."""
    seen: dict[Any, Any] = {}

    def once(value):
        found = seen.get(value, seen)
        if found is seen:
            found = seen[value] = convert(value)
        return found
    return once


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` within the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    unknown = [c for c in columns if c not in table.c]
    if unknown:
        raise KeyError(f"table {table.name} has no column {unknown[0]}")
    getter = itemgetter(*columns)
    converted = [(i, _memo(f)) for i, c in enumerate(columns) if (f := _converter(table.c[c].type))]
    params = []
    for row in rows:
        values = list(getter(row))
        for i, convert in converted:
            values[i] = convert(values[i])
        params.append(values)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()
