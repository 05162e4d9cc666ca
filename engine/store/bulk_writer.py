"""Rows made on one thread and stored on another, for the large appends of imports.

Making a take's row costs Python time (its digest above all); storing it costs SQLite time, and
the SQLite driver leaves the interpreter free while SQLite works. So on SQLite a bulk append
stores each batch of rows on a writer thread while the calling thread makes the next batch,
and the two share the machine's cores. The writer wants the interpreter back between
statements; while the rows are made, the interpreter is handed over more often than Python's
default of every 5 ms (which would leave the writer idle for most of each wait).

Only the writer uses the session's connection while rows are stored: whatever the rows need
from the store is read before they are made.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy.orm import Session

from engine.store.bulk import insert_values
from engine.store.driver import DriverInsert, sqlite_driver

# How often the interpreter changes threads while rows are made and stored (seconds).
QUICK_SWITCH_S = 0.0005

_switches = threading.Lock()
_quick = {"users": 0, "before": 0.0}


@contextmanager
def quick_switches() -> Iterator[None]:
    """Inside: the interpreter changes threads every QUICK_SWITCH_S at most (as it was after
    the last of several overlapping users leaves)."""
    with _switches:
        if _quick["users"] == 0:
            _quick["before"] = sys.getswitchinterval()
            sys.setswitchinterval(min(QUICK_SWITCH_S, _quick["before"]))
        _quick["users"] += 1
    try:
        yield
    finally:
        with _switches:
            _quick["users"] -= 1
            if _quick["users"] == 0:
                sys.setswitchinterval(_quick["before"])


def insert_batches(session: Session, statement: DriverInsert, batches: Iterable[list[list]]) -> int | None:
    """insert_values for rows that come in batches (lists of values in `statement`'s columns'
    order, as Python gives them; they are changed). On SQLite each batch is stored on a writer
    thread while the next one is made. Returns the id of the first row when the rows were
    given consecutive ids in their order (SQLite), else None."""
    raw = sqlite_driver(session)
    if raw is None:
        for values in batches:
            insert_values(session, statement, values)
        return None
    table = statement.table
    before = raw.execute(f"SELECT max(rowid) FROM {table.name}").fetchone()[0] or 0
    count = 0
    # Leaving the block waits for the writer, whatever happened: the connection is never left
    # in its hands.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dailies-bulk-writer") as writer, quick_switches():
        storing: Future | None = None
        for values in batches:
            statement.convert(values)
            if storing is not None:
                storing.result()  # the batch before is stored (or its error is raised here)
            storing = writer.submit(statement.many, raw, values)
            count += len(values)
        if storing is not None:
            storing.result()
    after = raw.execute(f"SELECT max(rowid) FROM {table.name}").fetchone()[0] or 0
    return before + 1 if after - before == count else None
