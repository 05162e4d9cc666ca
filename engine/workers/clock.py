"""The store's own clock: workers on several machines compare heartbeats and claim expiries
against one clock (the PostgreSQL server's), so a machine whose clock is off cannot make a
live worker look dead or a claim look expired."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.store.models import utcnow


def db_now(session: Session) -> datetime:
    """Now, by the store's clock (a SQLite store lives on this machine: its clock)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.scalar(select(func.clock_timestamp()))
    return utcnow()
