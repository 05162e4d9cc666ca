"""Engine functions the desk's op tests run in an engine process (module level, Qt-free, so
an engine process can import them)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from engine.core.errors import DailiesError
from engine.store.shots import list_shots


def shots_seen(store) -> tuple[int, list[str]]:
    """(the process that read, the shot codes it read)."""
    with store.read() as session:
        return os.getpid(), [s.code for s in list_shots(session)]


def until_cancelled(store, marker: str, *, progress, cancel) -> str:
    """Report one step, then wait for cancel; say in `marker` that it stopped."""
    progress(1, 2, "waiting")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if cancel():
            Path(marker).write_text("stopped", encoding="utf-8")
            raise DailiesError("stopped on cancel")
        time.sleep(0.01)
    return "never cancelled"


def broken(store) -> None:
    raise DailiesError("shot EP01_SC99_SH999 is not in the store\nsecond line")


class _TwoPartError(Exception):
    def __init__(self, what: str, where: str):
        super().__init__(f"{what} in {where}\nmore detail")


def unpicklable_failure(store) -> None:
    raise _TwoPartError("no colour key", "registry.json")
