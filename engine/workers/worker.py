"""A loop process as a worker: registered with a heartbeat, and stopped between runs by
Ctrl+C or SIGTERM. Every loop command (loop, sound-loop, interpret-loop) runs inside one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from engine.store.db import Store
from engine.workers.heartbeat import HEARTBEAT_S, WorkerHandle, working
from engine.workers.stop import StopFlag, stop_on_signals


@contextmanager
def as_worker(
    store: Store, command: str, focus: str, *, what: str = "run", interval: float = HEARTBEAT_S,
) -> Iterator[tuple[WorkerHandle, StopFlag]]:
    """(the registered worker, the flag its loop checks between runs) for the block."""
    with stop_on_signals(what) as stop, working(store, command, focus, interval=interval) as handle:
        yield handle, stop
