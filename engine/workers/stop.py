"""Stopping a worker between runs: Ctrl+C (SIGINT) or SIGTERM asks it to stop after the run
in hand; a second signal abandons that run (its transaction rolls back, nothing is half
written). A SIGKILL cannot be caught: the open run's transaction is simply never committed.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopFlag:
    def __init__(self, what: str = "run"):
        self.what = what
        self.asked = False

    def __call__(self) -> bool:
        return self.asked

    def _on_signal(self, signum, _frame) -> None:
        if self.asked:
            raise KeyboardInterrupt  # the second time: abandon the open run
        self.asked = True
        name = signal.Signals(signum).name
        print(f"{name}: stopping after this {self.what} (send it again to abandon it)",
              file=sys.stderr, flush=True)


@contextmanager
def stop_on_signals(what: str = "run") -> Iterator[StopFlag]:
    """A flag that SIGINT and SIGTERM set while the block runs (handlers restored after)."""
    flag = StopFlag(what)
    previous = {s: signal.signal(s, flag._on_signal) for s in SIGNALS}
    try:
        yield flag
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
