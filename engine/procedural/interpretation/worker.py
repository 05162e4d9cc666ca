"""Several interpret-loop workers on one store: each cycle reads the prompts waiting for an
interpretation and interprets them, so two workers running a cycle at once would interpret
the same prompts twice and count their words twice in the linguistic registry. A cycle is
therefore claimed work: one worker at a time holds the "interpret-cycle" claim while it runs a
cycle, and the others wait for it (each cycle then finds the queue as the last one left it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from engine.core.errors import DailiesError
from engine.procedural.interpretation.loop import CycleReport, interpret_loop
from engine.store.db import Store
from engine.workers.claims import claimed
from engine.workers.heartbeat import WorkerHandle

CYCLE_CLAIM = "interpret-cycle"
CYCLE_TTL_S = 600.0  # a cycle left unfinished by a dead worker is free again after this


def interpret_worker(
    store: Store, cycles: int, handle: WorkerHandle, *, generate: int = 5, seed: int | None = None,
    progress: Callable[[str], None] | None = None, cancel: Callable[[], bool] = lambda: False,
    poll: float = 0.2, sleep: Callable[[float], None] = time.sleep,
) -> list[CycleReport]:
    """`cycles` interpretation cycles, each under the cycle claim; `cancel` is asked between
    cycles and while waiting for the claim."""
    if cycles < 1:
        raise DailiesError(f"--cycles must be at least 1, not {cycles}")
    seeds = np.random.SeedSequence(seed).generate_state(cycles)
    reports: list[CycleReport] = []
    while len(reports) < cycles and not cancel():
        with claimed(store, CYCLE_CLAIM, handle.id, ttl=CYCLE_TTL_S) as mine:
            if mine:
                reports += interpret_loop(store, 1, generate=generate, seed=int(seeds[len(reports)]),
                                          progress=progress)
                handle.count_run()
                continue
        sleep(poll)
    return reports
