"""Insert-or-get that holds when two writers race for the same key.

On SQLite a write session holds the database's write lock from its start, so a look-up and
an insert in it cannot be overtaken. On PostgreSQL two sessions can both miss the look-up;
the insert then says ON CONFLICT DO NOTHING (it waits for the other writer, and inserts
nothing if that one committed the key) and the row is read back in a new statement, which
under READ COMMITTED sees the other writer's commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.store.models import SystemPromptText, utcnow

T = TypeVar("T")
PROMPTS = SystemPromptText.__table__


def prompt_text_id(session: Session, sha256: str, text: str) -> int:
    """The id of the system-prompt text with this hash, inserted now if no writer has."""
    conn = session.connection()
    values = {"sha256": sha256, "text": text, "created_at": utcnow()}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # loaded where it is used

        found = conn.execute(
            pg_insert(PROMPTS).values(values).on_conflict_do_nothing(index_elements=["sha256"])
            .returning(PROMPTS.c.id)
        ).scalar()
        if found is not None:
            return found
    else:
        found = conn.execute(select(PROMPTS.c.id).where(PROMPTS.c.sha256 == sha256)).scalar()
        if found is not None:
            return found
        return conn.execute(PROMPTS.insert().values(values).returning(PROMPTS.c.id)).scalar_one()
    return conn.execute(select(PROMPTS.c.id).where(PROMPTS.c.sha256 == sha256)).scalar_one()


def add_or_existing(session: Session, row: object, existing: Callable[[], T | None]) -> T | None:
    """Add `row` (an ORM object with a unique key); when another writer stored that key first,
    return what `existing()` finds instead (None: `row` was added). The insert runs in a
    savepoint, so losing the race leaves the session's transaction usable."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return None
