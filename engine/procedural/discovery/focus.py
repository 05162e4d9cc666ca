"""Which registries a discovery run grows, and the log lines operators search for.

The focus comes from the environment variable ``LOOP_EXTRACTION_FOCUS``:

- ``frame``: per-frame Pure values only (colours, sounds);
- ``window``: Blended values measured over a window (motion, gradient, camera, ...);
- unset: everything (``all``).

A value outside those warns, naming the bad value and the valid ones, and grows everything.
The misspelt ``LCXP_EXTRACTION_FOCUS`` is never read; when it is set, a warning names the
variable that is.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

FOCUS_VARIABLE = "LOOP_EXTRACTION_FOCUS"
MISSPELT_VARIABLE = "LCXP_EXTRACTION_FOCUS"
FRAME = "frame"
WINDOW = "window"
ALL = "all"
VALID_FOCUSES = (FRAME, WINDOW)

log = logging.getLogger("engine.procedural.discovery")


def extraction_focus(environ: Mapping[str, str] | None = None) -> str:
    """The focus of this run: "frame", "window" or "all" (unset or invalid)."""
    env = os.environ if environ is None else environ
    if MISSPELT_VARIABLE in env:
        log.warning(
            "%s=%r is ignored: the focus is read from %s (valid values: %s)",
            MISSPELT_VARIABLE,
            env[MISSPELT_VARIABLE],
            FOCUS_VARIABLE,
            ", ".join(VALID_FOCUSES),
        )
    raw = env.get(FOCUS_VARIABLE)
    if raw is None or raw.strip() == "":
        return ALL
    value = raw.strip().lower()
    if value in VALID_FOCUSES:
        return value
    log.warning(
        "%s=%r is not a valid focus (valid values: %s; unset means all): growing all",
        FOCUS_VARIABLE,
        raw,
        ", ".join(VALID_FOCUSES),
    )
    return ALL


def grows_frame(focus: str) -> bool:
    """Whether per-frame Pure values (colours, sounds) grow under this focus."""
    return focus in (FRAME, ALL)


def grows_window(focus: str) -> bool:
    """Whether window-level Blended values grow under this focus."""
    return focus in (WINDOW, ALL)


def log_growth(focus: str, counts: Mapping[str, int]) -> str:
    """Log ``Growth [focus] aspect=n ...`` (new entries per aspect) and return the line."""
    if focus not in (FRAME, WINDOW, ALL):
        raise ValueError(f"unknown extraction focus {focus!r}: expected frame, window or all")
    parts = " ".join(f"{aspect}={int(n)}" for aspect, n in sorted(counts.items()))
    line = f"Growth [{focus}] {parts or 'nothing new'}"
    log.info(line)
    return line


def log_missing_discovery(job_id: object) -> str:
    """Log that a successful run left no discovery record."""
    line = f"Missing discovery (job_id={job_id})"
    log.warning(line)
    return line


def log_missing_learning(job_id: object) -> str:
    """Log that a successful run left no learning record."""
    line = f"Missing learning (job_id={job_id})"
    log.warning(line)
    return line
