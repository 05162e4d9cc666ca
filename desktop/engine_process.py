"""Heavy engine work in a separate process, so the GUI thread never waits for the
interpreter lock while a backfill, a density report or a render runs.

`run(store, fn, args, kwargs, cancelled, report)`, called on an op's worker thread
(`Job.in_process` in desktop.ops), sends `fn(store, *args, **kwargs)` to an engine process
and waits for it without holding the lock. `fn` is a module-level engine function and its
arguments and result are picklable (the engine's dataclasses are). The engine process opens
the same store itself from where it lives (the SQLite file, or the PostgreSQL URL) and keeps
it open for the next piece of work.

When `fn` takes `progress` and `cancel` (as the backfill does), they cross between the
processes: every `progress(done, total, what)` reaches `report` on the waiting thread, and
`cancel()` turns true in the engine process soon after `cancelled()` does here. Work that
has not started yet when it is cancelled never starts.

A failure comes back as the engine raised it; one that cannot cross between processes comes
back as an `EngineProcessError` with its message. This module never imports Qt: the engine
processes import it to run the work.
"""

from __future__ import annotations

import atexit
import inspect
import multiprocessing
import os
import pickle
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.managers import SyncManager
from typing import Any

from engine.core.errors import DailiesError

PROCESSES = 2  # engine processes at most: a preview and a density report can run at once
POLL_S = 0.05  # how often the waiting thread looks at progress and cancel
STOP_WAIT_S = 5.0  # at shutdown, how long work under way gets to stop before it is ended
_KEPT_STORES = 4  # stores an engine process keeps open

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_manager = None
_cancels: set = set()  # the cancel events of work under way, all set at shutdown


class EngineProcessError(DailiesError):
    """A failure in an engine process that could not be carried back as it was raised,
    or the engine process itself stopping."""


def store_spec(store) -> str | None:
    """What an engine process opens to reach the same store; None for a store only this
    process can open (SQLite in memory)."""
    location = store.location
    if location.path is not None:
        return str(location.path)
    if location.url.drivername.startswith("sqlite"):
        return None
    return location.url.render_as_string(hide_password=False)


def _takes(fn: Callable) -> set[str]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return set()
    return {name for name in ("progress", "cancel") if name in params}


def _started():
    global _pool, _manager
    with _lock:
        if _pool is None:
            # spawn: a fresh interpreter, never a copy of this one (Qt's threads are here)
            context = multiprocessing.get_context("spawn")
            _manager = SyncManager(ctx=context)
            _manager.start(_end_with, (os.getpid(),))
            _pool = ProcessPoolExecutor(PROCESSES, mp_context=context, initializer=_end_with, initargs=(os.getpid(),))
        return _pool, _manager


def _forget(pool: ProcessPoolExecutor, manager=None) -> None:
    """Engine processes that died are dropped; the next piece of work starts new ones."""
    global _pool, _manager
    with _lock:
        if _pool is pool:
            _pool = None
            if manager is not None and _manager is manager:
                _manager = None
    pool.shutdown(wait=False, cancel_futures=True)


def run(store, fn: Callable[..., Any], args: tuple = (), kwargs: dict | None = None, *,
        cancelled: Callable[[], bool] = lambda: False,
        report: Callable[[int, int, str], None] | None = None) -> Any:
    """`fn(store, *args, **kwargs)` in an engine process; see the module's docstring."""
    kwargs = dict(kwargs or {})
    takes = _takes(fn)
    spec = store_spec(store)
    if spec is None:  # nowhere else can open it: run here
        if "progress" in takes:
            kwargs["progress"] = report
        if "cancel" in takes:
            kwargs["cancel"] = cancelled
        return fn(store, *args, **kwargs)
    pool, manager = _started()
    try:
        progress_q = manager.Queue() if "progress" in takes and report is not None else None
        cancel_ev = manager.Event() if "cancel" in takes else None
        future = pool.submit(_in_engine_process, spec, fn, args, kwargs, progress_q, cancel_ev, "progress" in takes)
    except (BrokenProcessPool, RuntimeError, OSError, EOFError) as exc:
        _forget(pool, manager)
        raise EngineProcessError(f"the engine process could not take the work ({exc})") from None
    if cancel_ev is not None:
        with _lock:
            _cancels.add(cancel_ev)
    asked = False
    try:
        while not future.done():
            if progress_q is not None:
                _pass_on(progress_q, report, POLL_S)
            else:
                try:
                    future.result(timeout=POLL_S)
                except (FutureTimeout, CancelledError):
                    pass
                except BaseException:  # noqa: BLE001 - raised below, from future.result()
                    break
            if not asked and cancelled():
                asked = True
                if not future.cancel() and cancel_ev is not None:
                    _set(cancel_ev)
        if progress_q is not None:
            _pass_on(progress_q, report, 0)
        try:
            return future.result()
        except BrokenProcessPool:
            _forget(pool)
            raise EngineProcessError("the engine process stopped before the work was done") from None
    finally:
        if cancel_ev is not None:
            with _lock:
                _cancels.discard(cancel_ev)


def _set(event) -> None:
    try:
        event.set()
    except (EOFError, OSError):  # the desk is closing: the engine process is ending anyway
        pass


def _pass_on(progress_q, report, wait_s: float) -> None:
    """Hand every progress report waiting in the queue to `report`, waiting up to `wait_s`
    for the first."""
    try:
        item = progress_q.get(timeout=wait_s) if wait_s else progress_q.get_nowait()
        while True:
            report(*item)
            item = progress_q.get_nowait()
    except queue.Empty:
        return
    except (EOFError, OSError, BrokenPipeError):  # the desk is closing
        return


# -- in the engine process ----------------------------------------------------------------
_stores: dict[str, Any] = {}


def _end_with(desk_pid: int) -> None:
    """An engine process ends when the desk that started it has gone (even if it crashed):
    work it was doing is rolled back with it."""

    def watch() -> None:
        while os.getppid() == desk_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="end with the desk", daemon=True).start()


def _store(spec: str):
    store = _stores.get(spec)
    if store is None:
        from engine.store.db import open_store

        if len(_stores) >= _KEPT_STORES:
            _stores.pop(next(iter(_stores))).close()
        store = _stores[spec] = open_store(spec, migrate=False)
    return store


def _in_engine_process(spec: str, fn, args, kwargs, progress_q, cancel_ev, wants_progress: bool):
    if wants_progress:
        kwargs["progress"] = None if progress_q is None else (lambda *item: progress_q.put(item))
    if cancel_ev is not None:
        kwargs["cancel"] = cancel_ev.is_set
    try:
        return fn(_store(spec), *args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - carried back to the desk
        raise _portable(exc) from None


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives the trip between processes, else its message."""
    try:
        back = pickle.loads(pickle.dumps(exc))
        if str(back) == str(exc):
            return exc
    except Exception:  # noqa: BLE001 - replaced by its message below
        pass
    return EngineProcessError(str(exc).strip() or type(exc).__name__)


# -- at exit ------------------------------------------------------------------------------
def shutdown(timeout_s: float = STOP_WAIT_S) -> None:
    """Ask work under way to stop, give it `timeout_s`, end the engine processes. The next
    piece of work starts new ones."""
    global _pool, _manager
    with _lock:
        pool, manager, cancels = _pool, _manager, list(_cancels)
        _pool = _manager = None
    for event in cancels:
        _set(event)
    if pool is not None:
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(timeout_s)
            if process.is_alive():  # a write that did not stop is rolled back with its process
                process.terminate()
                process.join(timeout_s)
        pool.shutdown(wait=True)
    if manager is not None:
        manager.shutdown()


def _at_exit() -> None:
    if _pool is not None and os.getpid() == _owner_pid:
        shutdown()


_owner_pid = os.getpid()
atexit.register(_at_exit)
