"""The workers' tables: who is working, which runs each made, and claimed work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base, UTCDateTime, utcnow


class Worker(Base):
    """One loop process: where it runs, what it grows, how far it got, when it last beat."""

    __tablename__ = "worker"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    command: Mapped[str] = mapped_column(String(32))  # loop | sound-loop | interpret-loop
    focus: Mapped[str] = mapped_column(String(16))  # frame | window | all | interpret
    runs: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkerRun(Base):
    """The worker that recorded a run (a creation job), written in the run's own transaction."""

    __tablename__ = "worker_run"
    __table_args__ = (Index("ix_worker_run_worker", "worker_id"),)

    job_ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    worker_id: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkClaim(Base):
    """Work that must not run twice, by name; free when it has no holder or its claim expired."""

    __tablename__ = "work_claim"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
