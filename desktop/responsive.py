"""Keeping the GUI thread free to paint while the desk works.

`after_start()` runs once the desk's window is built. Everything made by then (modules,
classes, Qt wrappers, the first views) lives as long as the desk, so it is left out of the
garbage collector's full passes (gc.freeze): a full pass walks every object it tracks while
holding the interpreter lock, whichever thread's allocation set it off, and on a desk that
has loaded PySide6, SQLAlchemy and the engine that kept the GUI thread from painting for
tens of milliseconds each time a large result arrived.

It also shortens the interpreter's switch interval to 1 ms: a worker thread running Python
(turning a large result into rows) keeps the interpreter lock until the interval ends each
time the GUI thread asks for it, and the GUI thread asks many times per frame, so at the
default 5 ms a busy worker made the desk late by tens of milliseconds.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.001


def after_start() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.collect()  # what is garbage already is freed, not frozen
    gc.freeze()
