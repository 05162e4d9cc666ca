"""Live workers: each registers a row (id, host, pid, command, focus, runs, started), beats a
heartbeat from a background thread while it works, and marks itself stopped when it ends.

A worker killed outright (SIGKILL, a machine lost) cannot say so: its heartbeat stops, and
once it is older than LIVE_S the worker no longer counts as live. Runs are counted in the
run's own transaction (runs.py), so the count is exactly the runs the store holds.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine.store.db import Store
from engine.workers.clock import db_now
from engine.workers.models import Worker, WorkerRun

HEARTBEAT_S = 5.0
LIVE_S = 3 * HEARTBEAT_S


@dataclass
class WorkerHandle:
    """The running worker, as the loop that does the work sees it."""

    store: Store
    id: str
    command: str
    focus: str

    def attribute(self, session: Session, job_ref: str) -> None:
        """In the run's own transaction: this worker made the run `job_ref`."""
        session.execute(insert(WorkerRun).values(job_ref=job_ref, worker_id=self.id, recorded_at=db_now(session)))
        self._count(session)

    def count_run(self, session: Session | None = None) -> None:
        """One more run that made no creation job (an interpretation cycle)."""
        if session is not None:
            self._count(session)
            return
        with self.store.write() as s:
            self._count(s)

    def _count(self, session: Session) -> None:
        session.execute(update(Worker).where(Worker.id == self.id)
                        .values(runs=Worker.runs + 1, heartbeat_at=db_now(session)))

    def beat(self) -> None:
        with self.store.write() as s:
            s.execute(update(Worker).where(Worker.id == self.id).values(heartbeat_at=db_now(s)))


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def register(store: Store, command: str, focus: str) -> WorkerHandle:
    handle = WorkerHandle(store, new_worker_id(), command, focus)
    with store.write() as s:
        now = db_now(s)
        s.execute(insert(Worker).values(
            id=handle.id, host=socket.gethostname()[:200], pid=os.getpid(), command=command,
            focus=focus, runs=0, started_at=now, heartbeat_at=now,
        ))
    return handle


def unregister(handle: WorkerHandle) -> None:
    with handle.store.write() as s:
        now = db_now(s)
        s.execute(update(Worker).where(Worker.id == handle.id).values(stopped_at=now, heartbeat_at=now))


class _Beater(threading.Thread):
    def __init__(self, handle: WorkerHandle, interval: float):
        super().__init__(name=f"heartbeat {handle.id}", daemon=True)
        self.handle, self.interval, self.done = handle, interval, threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            try:
                self.handle.beat()
            except SQLAlchemyError:
                pass  # the store is busy or away for a moment; the next beat tries again


@contextmanager
def working(store: Store, command: str, focus: str, *, interval: float = HEARTBEAT_S) -> Iterator[WorkerHandle]:
    """A registered worker with a heartbeat for the duration of the block; stopped on exit."""
    handle = register(store, command, focus)
    beater = _Beater(handle, interval)
    beater.start()
    try:
        yield handle
    finally:
        beater.done.set()
        beater.join()
        unregister(handle)


@dataclass(frozen=True)
class WorkerStatus:
    id: str
    host: str
    pid: int
    command: str
    focus: str
    runs: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
    live: bool
    heartbeat_age_s: float
    runs_per_minute: float


def worker_status(store: Store, *, include_gone: bool = False, live_s: float = LIVE_S) -> list[WorkerStatus]:
    """Workers by start time: the live ones (a heartbeat within `live_s`, not stopped), and
    with `include_gone` also those that stopped or went silent."""
    with store.read() as s:
        now = db_now(s)
        rows = [(w.id, w.host, w.pid, w.command, w.focus, w.runs, w.started_at, w.heartbeat_at, w.stopped_at)
                for w in s.scalars(select(Worker).order_by(Worker.started_at, Worker.id))]
    out = []
    for row in rows:
        runs, started, beat, stopped = row[5:]
        age = max(0.0, (now - beat).total_seconds())
        live = stopped is None and age <= live_s
        if not live and not include_gone:
            continue
        minutes = max(((now if live else beat) - started).total_seconds(), 1.0) / 60
        out.append(WorkerStatus(*row, live, round(age, 1), round(runs / minutes, 2)))
    return out
