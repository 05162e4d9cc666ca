"""The desk's one way to run work off the GUI thread.

An `Op` is a function of the store run on a background lane, with success and failure handled
on the GUI thread through a relay:

    Op(store, self, lambda job: density_report(job.session()), self.show_density).start()

- `job.session()` opens a read session for the op (closed when the op ends); `job.store` is there
  for engine functions that take the store and open their own sessions.
- `.progress(cb)` gets `cb(done, total, what)` on the GUI thread for every `job.report(...)`.
- `.partial(cb)` gets `cb(payload)` on the GUI thread for every `job.partial(payload)`, in order
  and before the result (a stand-in frame ahead of the full decode).
- `.cancelled(cb)` runs when the op stopped because `job.cancel()` was asked; an engine function
  that takes a cancel callable gets `job.is_cancelled`.
- `.latest(key)`: a newer op with the same key and parent supersedes this one (search as you
  type): the older one is asked to stop and its result is dropped.
- Lanes: READ (store reads, two at a time), WRITE (one at a time, in order: the store's writers
  queue here), FRAMES (decoding the frames on screen and the ones next to them), THUMBS (the
  filmstrip's thumbnails, so a strip filling never holds up a frame). `start(priority=...)`
  orders work within a lane: higher first.
- Heavy engine work (a backfill, the density report) runs in an engine process, so the GUI
  thread never waits for the interpreter lock while it runs: `job.in_process(fn, *args)`
  inside an op's function, or `in_process(store, parent, fn, *args, success=...)` for an op
  that is only that. `fn` is a module-level engine function `fn(store, *args, **kwargs)`;
  when it takes `progress` and `cancel` they are wired to the op's (desktop.engine_process).
  `shutdown()` ends the engine processes when the desk closes.

Results reach the parent through a `Relay` owned by the parent, so a result that arrives after
the parent has gone is dropped, never delivered to a deleted widget.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack, suppress
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QObject,
    QRunnable,
    QThread,
    QThreadPool,
    QTimer,
)

from desktop import engine_process
from desktop.relay import Relay

READ, WRITE, FRAMES, THUMBS = "read", "write", "frames", "thumbs"
_LANE_THREADS = {READ: 2, WRITE: 1, FRAMES: 2, THUMBS: 2}
# How far each lane's threads stand back from the GUI thread for the CPU (nice values on
# Linux, lower thread priorities elsewhere). After a jump, the frames and thumbnails of where
# the reviewer landed are decoded on every core at once; at the GUI thread's own priority they
# took the cores from it and the next key waited behind them. Lower, they use every core the
# GUI thread leaves idle and give it way the moment it has work: the desk answers the keys first.
_LANE_NICE = {READ: 5, WRITE: 0, FRAMES: 5, THUMBS: 10}
_stood_back = threading.local()
_lanes: dict[str, QThreadPool] = {}
_latest: dict[tuple[int, str], Job] = {}
_latest_lock = threading.Lock()
_kept: list = []  # ops just delivered, let go of from the event loop (see Op._deliver)
_on_unhandled_failure: Callable[[str], None] | None = None


def lane(name: str) -> QThreadPool:
    pool = _lanes.get(name)
    if pool is None:
        pool = QThreadPool()
        pool.setMaxThreadCount(_LANE_THREADS[name])
        pool.setExpiryTimeout(-1)
        _lanes[name] = pool
    return pool


def set_failure_handler(handler: Callable[[str], None] | None) -> None:
    """Where failures of ops that gave no `.failure(...)` are shown (the main window's status bar)."""
    global _on_unhandled_failure
    _on_unhandled_failure = handler


def wait_idle(timeout_ms: int = 20_000) -> bool:
    """Wait until every lane is idle and every finished op's result has been delivered."""
    deadline = QDeadlineTimer(timeout_ms)
    idle = True
    for pool in list(_lanes.values()):
        idle = pool.waitForDone(max(0, deadline.remainingTime())) and idle
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    return idle


def failure_line(exc: BaseException) -> str:
    """The one line a reviewer sees for a failed op."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Job:
    """What an op's function gets, and what the widget keeps to cancel it."""

    def __init__(self, store, op: Op):
        self.store = store
        self._op = op
        self._cancel = threading.Event()
        self._stack = ExitStack()

    def session(self):
        """A read session for this op, opened on first use and closed when the op ends."""
        if not hasattr(self, "_session"):
            self._session = self._stack.enter_context(self.store.read())
        return self._session

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int, what: str = "") -> None:
        """Progress from the worker thread, shown by the op's progress callback."""
        if self._op._progress is not None:
            self._op._relay.post("progress", self, (done, total, what))

    def partial(self, payload) -> None:
        """An early part of the result from the worker thread, for the op's partial callback."""
        if self._op._partial is not None:
            self._op._relay.post("partial", self, payload)

    def in_process(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """`fn(store, *args, **kwargs)` in an engine process, waited for on this op's thread
        without holding the interpreter lock; its `progress` reports reach the op's progress
        callback and its `cancel` turns true when this op is cancelled."""
        report = self.report if self._op._progress is not None else None
        return engine_process.run(self.store, fn, args, kwargs, cancelled=self.is_cancelled, report=report)

    def _close(self) -> None:
        self._stack.close()


def _stand_back(lane_name: str) -> None:
    """Give this lane thread its place behind the GUI thread, once per thread."""
    nice = _LANE_NICE[lane_name]
    if not nice or getattr(_stood_back, "done", False):
        return
    _stood_back.done = True
    if sys.platform.startswith("linux"):  # per-thread nice values
        with suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    else:
        QThread.currentThread().setPriority(QThread.LowPriority if nice < 10 else QThread.LowestPriority)


class _Runner(QRunnable):
    def __init__(self, job: Job, op: Op):
        super().__init__()
        self.job, self.op = job, op

    def run(self) -> None:
        job, op = self.job, self.op
        _stand_back(op._lane)
        if job.is_cancelled():
            op._relay.post("cancelled", job, None)
            return
        try:
            result = op._work(job)
        except BaseException as exc:  # noqa: BLE001 - every failure is shown, the desk keeps working
            outcome = ("cancelled", job, None) if job.is_cancelled() else ("failed", job, exc)
        else:
            # a write that finished is done even if a cancel came too late to stop it
            stopped = job.is_cancelled() and op._lane != WRITE
            outcome = ("cancelled", job, None) if stopped else ("done", job, result)
        finally:
            try:
                job._close()
            except Exception:  # noqa: BLE001 - closing a read session cannot lose anything
                pass
        op._relay.post(*outcome)


class Op:
    """A function of the store run off the GUI thread; see the module's docstring."""

    def __init__(self, store, parent: QObject, work: Callable[[Job], Any],
                 success: Callable[[Any], None] | None = None):
        self.store, self.parent = store, parent
        self._work = work
        self._success = success
        self._failure: Callable[[str], None] | None = None
        self._cancelled: Callable[[], None] | None = None
        self._progress: Callable[[int, int, str], None] | None = None
        self._partial: Callable[[Any], None] | None = None
        self._key: str | None = None
        self._lane = READ
        self._relay: Relay | None = None

    def failure(self, handler: Callable[[str], None]) -> Op:
        self._failure = handler
        return self

    def cancelled(self, handler: Callable[[], None]) -> Op:
        self._cancelled = handler
        return self

    def progress(self, handler: Callable[[int, int, str], None]) -> Op:
        self._progress = handler
        return self

    def partial(self, handler: Callable[[Any], None]) -> Op:
        self._partial = handler
        return self

    def latest(self, key: str) -> Op:
        self._key = key
        return self

    def writes(self) -> Op:
        """Run on the write lane: one op at a time, in the order they were started."""
        self._lane = WRITE
        return self

    def on(self, lane_name: str) -> Op:
        self._lane = lane_name
        return self

    def start(self, priority: int = 0) -> Job:
        job = Job(self.store, self)
        self._relay = Relay(self._deliver, self.parent)
        if self._key is not None:
            slot = (id(self.parent), self._key)
            with _latest_lock:
                older = _latest.get(slot)
                _latest[slot] = job
            if older is not None:
                older.cancel()
        lane(self._lane).start(_Runner(job, self), priority)
        return job

    def _superseded(self, job: Job) -> bool:
        """A newer op with the same key and parent has started since this one."""
        if self._key is None:
            return False
        slot = (id(self.parent), self._key)
        with _latest_lock:
            current = _latest.get(slot)
            if current is job:
                del _latest[slot]
            return current is not job

    def _deliver(self, kind: str, job: Job, payload) -> None:
        if kind == "progress":
            if not job.is_cancelled():
                self._progress(*payload)
            return
        if kind == "partial":
            if not job.is_cancelled():
                self._partial(payload)
            return
        superseded = self._superseded(job)
        relay, self._relay = self._relay, None
        if relay is not None:
            relay.deleteLater()
        # This runs inside the relay's delivery. When the op holds the last reference to its
        # parent, letting go of it here would delete the parent, and the relay with it, in
        # the relay's own event: the desk would crash. It is let go of from the event loop.
        _kept.append((self, job))
        if len(_kept) == 1:
            QTimer.singleShot(0, _kept.clear)
        if superseded:
            return
        if kind == "done":
            if self._success is not None:
                self._success(payload)
        elif kind == "cancelled":
            if self._cancelled is not None:
                self._cancelled()
        else:
            line = failure_line(payload)
            if self._failure is not None:
                self._failure(line)
            elif _on_unhandled_failure is not None:
                _on_unhandled_failure(line)


def query(store, parent: QObject, read: Callable[[Any], Any],
          success: Callable[[Any], None] | None = None) -> Op:
    """An op whose function reads through one session: `read(session)`."""
    return Op(store, parent, lambda job: read(job.session()), success)


def in_process(store, parent: QObject, fn: Callable[..., Any], *args,
               success: Callable[[Any], None] | None = None, **kwargs) -> Op:
    """An op that runs the engine function `fn(store, *args, **kwargs)` in an engine process."""
    return Op(store, parent, lambda job: job.in_process(fn, *args, **kwargs), success)


def shutdown() -> None:
    """End the engine processes (the desk is closing); work under way is asked to stop first."""
    engine_process.shutdown()
