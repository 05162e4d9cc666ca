"""The discovery loop: create a clip from the registries, extract what it holds, record it.

Each run plans and renders a clip (engine.procedural.creation), extracts per-frame Pure values (colours
of every frame, sounds of every 1/24 s) and per-window Blended values (camera, motion,
gradient, lighting, composition of every second), as LOOP_EXTRACTION_FOCUS allows, and
records them through the growth rule with the job as source. Every run leaves a learning
record and a discovery record, written in the run's own transaction (so many workers, or a
worker killed mid-run, never leave half a run); each is retried in a savepoint, and one that
still cannot be written is logged as ``Missing learning (job_id=...)`` /
``Missing discovery (job_id=...)`` while the rest of the run is kept.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError
from engine.procedural.creation.clip import (
    DEFAULT_FPS,
    DEFAULT_SIZE,
    Clip,
    make_clip,
    new_ref,
    save_clip,
)
from engine.procedural.discovery import focus as F
from engine.procedural.discovery.colour_extract import extract_colours
from engine.procedural.discovery.sound_extract import extract_sound
from engine.procedural.discovery.window_extract import extract_window
from engine.procedural.interpretation.service import job_interpretation_id, record_instruction
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.concurrency import share_backfill_lock, with_current_names
from engine.procedural.registries.record import (
    observe_many,
    record_discovery_run,
    record_job,
    record_learning_run,
)
from engine.store.db import Store
from engine.workers.heartbeat import WorkerHandle

# Extraction reads every 4th pixel of every 4th row (160x90 of a 640x360 frame): area shares
# are the same on that grid (the renderer draws hard edges), and camera and motion are
# measured 96 px wide anyway.
PIXEL_STRIDE = 4
WINDOW_ASPECTS = ("camera", "motion", "gradient", "lighting", "composition")
RETRIES = 3


@dataclass(frozen=True)
class Extracted:
    """Keys found in one clip with how many frames (or windows) held each."""

    colours: Counter = field(default_factory=Counter)
    sounds: Counter = field(default_factory=Counter)
    blended: dict[str, Counter] = field(default_factory=dict)

    def by_aspect(self) -> dict[tuple[str, str], Counter]:
        out = {("pure", "colour"): self.colours, ("pure", "sound"): self.sounds}
        out.update({("blended", a): c for a, c in self.blended.items()})
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class RunOutcome:
    ref: str
    palette: tuple[str, ...]
    motion: str
    camera: str
    sounds: tuple[str, ...]
    extracted: Extracted
    new_entries: dict[str, int]
    growth_line: str
    missing: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class LoopSummary:
    runs: int
    focus: str
    distinct_palettes: int
    distinct_motions: int
    distinct_cameras: int
    distinct_sound_pairings: int
    distinct_colours_found: int
    distinct_cameras_found: int
    new_entries: dict[str, int]
    missing: tuple[str, ...]
    seconds: float
    outcomes: tuple[RunOutcome, ...]

    def diversity_line(self) -> str:
        return (
            f"Diversity over {self.runs} runs: {self.distinct_palettes} palettes, "
            f"{self.distinct_motions} motions, {self.distinct_cameras} cameras, "
            f"{self.distinct_sound_pairings} sound pairings chosen; "
            f"{self.distinct_colours_found} colours and {self.distinct_cameras_found} cameras found"
        )


def extract_clip(clip: Clip, focus: str) -> Extracted:
    colours: Counter = Counter()
    sounds: Counter = Counter()
    blended: dict[str, Counter] = {}
    small = clip.frames[:, ::PIXEL_STRIDE, ::PIXEL_STRIDE]
    if F.grows_frame(focus):
        for frame in small:
            colours.update(extract_colours(frame).keys())
        for fs in extract_sound(clip.audio):
            sounds.update({c.key for c in fs.components})
    if F.grows_window(focus):
        blended = {a: Counter() for a in WINDOW_ASPECTS}
        step = clip.fps
        for start in range(0, len(small) - 1, step):
            window = small[start : start + step]
            if len(window) < 2:
                break
            wv = extract_window(list(window), fps=clip.fps)
            for a in WINDOW_ASPECTS:
                blended[a][getattr(wv, a)] += 1
    return Extracted(colours, sounds, blended)


def _record_found(session: Session, ref: str, prompt: str, found: Extracted) -> dict[str, int]:
    """The job and every value it held; returns new entries per aspect."""
    new: dict[str, int] = {}
    source = SourceRef("job", ref, prompt)
    record_job(session, ref, prompt=prompt)
    for (registry, aspect), counts in found.by_aspect().items():
        stored = observe_many(session, registry, aspect, counts, source=source)
        # An entry created here has been seen exactly as often as this job saw it.
        new[aspect] = sum(1 for key, entry in stored.items() if entry.count == counts.get(key))
    return new


def _optional(session: Session, write: Callable, attempts: int, sleep: Callable[[float], None]) -> bool:
    """A record the run stands without, in a savepoint: retried, and if it still fails rolled
    back alone (the caller logs it as missing) while the rest of the run is kept."""
    for attempt in range(attempts):
        try:
            with session.begin_nested():
                write(session)
            return True
        except (SQLAlchemyError, DailiesError):
            if attempt + 1 < attempts:
                sleep(0.05 * 2**attempt)
    return False


def record_run(
    store: Store, ref: str, text: str, found: Extracted, *, focus: str, prompt: str | None = None,
    instruction: dict | None = None, worker: WorkerHandle | None = None, attempts: int = RETRIES,
    sleep: Callable[[float], None] = time.sleep, names_read: Mapping[tuple[str, str, str], str] | None = None,
) -> tuple[dict[str, int], bool, bool]:
    """A run in ONE transaction: its job, every value it held, its interpretation, learning and
    discovery records and the worker that made it, so a worker killed at any moment leaves the
    run whole or absent. A backfill in progress is waited for first, and `text` gets the new
    names of any of `names_read` a backfill changed since the run read them. A transaction a busy or
    deadlocked store refused is tried again whole. Returns (new entries per aspect, learned,
    discovered)."""
    summary = ", ".join(f"{a}={len(c)}" for (_r, a), c in sorted(found.by_aspect().items()))
    for attempt in range(attempts):
        try:
            with store.write() as s:
                share_backfill_lock(s)
                words = with_current_names(s, text, names_read or {})
                new = _record_found(s, ref, words, found)
                if instruction is not None:
                    _optional(s, lambda s: record_instruction(s, prompt, instruction, job_interpretation_id(ref)),
                              attempts, sleep)
                learning = f"{words} | found {summary}"
                learned = _optional(s, lambda s, p=learning: record_learning_run(s, ref, prompt=p), attempts, sleep)
                discovered = _optional(s, lambda s: record_discovery_run(s, ref, focus=focus), attempts, sleep)
                if worker is not None:
                    worker.attribute(s, ref)
            return new, learned, discovered
        except OperationalError:
            if attempt + 1 >= attempts:
                raise
            sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _names_read(clip: Clip) -> dict[tuple[str, str, str], str]:
    """The registry names a clip's plan was written with (its colours and sounds)."""
    names = {("pure", "colour", c.key): c.name for c in clip.plan.palette}
    names.update({("pure", "sound", s.key): s.name for s in clip.plan.sounds})
    return names


def learn_from_clip(
    store: Store, clip: Clip, ref: str, prompt: str | None, focus: str, *, out=None,
    save: bool = True, attempts: int = RETRIES, sleep: Callable[[float], None] = time.sleep,
    started: float | None = None, worker: WorkerHandle | None = None,
) -> RunOutcome:
    """Save a created clip, extract it, and record the run (record_run): the job (with the
    user's prompt, or the plan in words), what it held, its learning and discovery records."""
    t0 = started if started is not None else time.perf_counter()
    writer = ThreadPoolExecutor(max_workers=1) if save else None
    written = writer.submit(save_clip, store, clip, ref, out) if writer else None
    text = prompt if prompt and prompt.strip() else clip.plan.describe()
    try:
        found = extract_clip(clip, focus)  # while the encoder writes the mp4
    finally:
        if writer:
            writer.shutdown(wait=True)
    if written:
        written.result()  # a failed write raises here, before anything is recorded
    new, learned, discovered = record_run(
        store, ref, text, found, focus=focus, prompt=prompt, instruction=clip.instruction,
        worker=worker, attempts=attempts, sleep=sleep, names_read=_names_read(clip))
    missing = []
    if not learned:
        missing.append(F.log_missing_learning(ref))
    if not discovered:
        missing.append(F.log_missing_discovery(ref))
    return RunOutcome(
        ref=ref,
        palette=tuple(c.key for c in clip.plan.palette),
        motion=clip.plan.motion,
        camera=clip.plan.camera,
        sounds=tuple(sorted(s.timbre for s in clip.plan.sounds)),
        extracted=found,
        new_entries=new,
        growth_line=F.log_growth(focus, new),
        missing=tuple(missing),
        seconds=time.perf_counter() - t0,
    )


def run_once(
    store: Store, rng: np.random.Generator, focus: str, *, seconds: float = 3.0,
    size: tuple[int, int] = DEFAULT_SIZE, fps: int = DEFAULT_FPS, save: bool = True,
    attempts: int = RETRIES, sleep: Callable[[float], None] = time.sleep,
    worker: WorkerHandle | None = None,
) -> RunOutcome:
    """One run of the loop: a clip with no prompt (every choice a weighted draw)."""
    t0 = time.perf_counter()
    clip = make_clip(store, None, rng, seconds=seconds, size=size, fps=fps)
    return learn_from_clip(store, clip, new_ref("loop"), None, focus, save=save,
                           attempts=attempts, sleep=sleep, started=t0, worker=worker)


@dataclass(frozen=True)
class Creation:
    path: Path
    clip: Clip
    outcome: RunOutcome


def create_and_learn(
    store: Store, *, prompt: str | None = None, seconds: float | None = None, seed: int | None = None,
    out: Path | None = None, size: tuple[int, int] = DEFAULT_SIZE, fps: int = DEFAULT_FPS,
    environ: Mapping[str, str] | None = None,
) -> Creation:
    """`dailies create`: a clip made from the registries (honouring `prompt`), written to an
    mp4, recorded as a creation job and learnt from like a loop run."""
    rng = np.random.default_rng(seed)
    clip = make_clip(store, prompt, rng, seconds=seconds, size=size, fps=fps)
    ref = new_ref("create")
    path = Path(out) if out else Path(store.media_dir) / "creations" / f"{ref}.mp4"
    outcome = learn_from_clip(store, clip, ref, prompt, F.extraction_focus(environ), out=path)
    return Creation(path, clip, outcome)


def run_loop(
    store: Store, runs: int, *, seed: int | None = None, seconds: float = 3.0,
    size: tuple[int, int] = DEFAULT_SIZE, fps: int = DEFAULT_FPS, save: bool = True,
    environ: Mapping[str, str] | None = None, progress: Callable[[str], None] | None = None,
    cancel: Callable[[], bool] | None = None, focus: str | None = None,
    worker: WorkerHandle | None = None,
) -> LoopSummary:
    """`runs` create-extract-record runs under `focus`, else the one LOOP_EXTRACTION_FOCUS
    sets; `cancel` is asked between runs, and each run is credited to `worker` when given."""
    if runs < 1:
        raise DailiesError(f"--runs must be at least 1, not {runs}")
    focus = focus or F.extraction_focus(environ)
    children = np.random.SeedSequence(seed).spawn(runs)
    t0 = time.perf_counter()
    outcomes: list[RunOutcome] = []
    for i in range(runs):
        if cancel and cancel():
            break
        out = run_once(store, np.random.default_rng(children[i]), focus, seconds=seconds,
                       size=size, fps=fps, save=save, worker=worker)
        outcomes.append(out)
        if progress:
            progress(f"run {i + 1}/{runs} {out.ref}: {out.growth_line}")
            for line in out.missing:
                progress(line)
    return summarise(outcomes, focus, time.perf_counter() - t0)


def summarise(outcomes: list[RunOutcome], focus: str, seconds: float) -> LoopSummary:
    new: Counter = Counter()
    for o in outcomes:
        new.update(o.new_entries)
    colours = set().union(*(o.extracted.colours for o in outcomes)) if outcomes else set()
    cams = set().union(*(o.extracted.blended.get("camera", {}) for o in outcomes)) if outcomes else set()
    return LoopSummary(
        runs=len(outcomes),
        focus=focus,
        distinct_palettes=len({frozenset(o.palette) for o in outcomes}),
        distinct_motions=len({o.motion for o in outcomes}),
        distinct_cameras=len({o.camera for o in outcomes}),
        distinct_sound_pairings=len({o.sounds for o in outcomes}),
        distinct_colours_found=len(colours),
        distinct_cameras_found=len(cams),
        new_entries=dict(new),
        missing=tuple(line for o in outcomes for line in o.missing),
        seconds=seconds,
        outcomes=tuple(outcomes),
    )
