"""A guard against a reference-count fault in PySide6 6.12 on Python 3.11.

On Python 3.11, PySide6 6.12 returns None from many void C++ methods (QPainter.setPen,
fillRect, drawRect, setFont, ...) and from Python overrides of QAbstractItemModel.data()
that return None without taking a reference to it; True and False suffer the same. Every such call lowers None's reference
count by one; after some tens of thousands of paints the count reaches zero and the
interpreter aborts with "Fatal Python error: none_dealloc". Python 3.12 made None immortal,
so the fault is harmless there. On 3.11 the desk raises the counts of None, True and False far out of reach once
at start-up, which is what 3.12 does by design.
"""

from __future__ import annotations

import ctypes
import sys

_RAISED_BY = 1 << 60


def guard_none_refcount() -> bool:
    """Make None, True and False effectively immortal on Python < 3.12. Returns True when it did something."""
    if sys.version_info >= (3, 12) or getattr(sys, "_dailies_none_guarded", False):
        return False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += _RAISED_BY
    sys._dailies_none_guarded = True
    return True
