"""The sound loop: a dedicated discovery process for Pure sounds, with no video.

Each cycle:
1. picks 1-4 origin noises and their strengths, favouring what the registry has seen least
   (weight 1/(1+count) per origin, then per strength among that origin's keys);
2. synthesises the mix (sound_synth) and extracts pure sounds per frame (1/24 s),
   separating each frame into its components;
3. scores the extraction against the mix's truth (sound_scoring);
4. records, in ONE transaction, a creation job, a learning run, a discovery run, every
   component key and every composite key (a frame holding several noises, its component
   breakdown as its depth) into the Pure sound registry by the growth rule, in a few
   batched statements (record.observe_many).

A cycle is written whole or not at all; ``cancel`` is consulted between cycles only.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.procedural.creation.sound_synth import ORIGIN_NOISES, Mix, synthesise
from engine.procedural.discovery.focus import FRAME, log_growth
from engine.procedural.discovery.sound_extract import COMPOSITE_SEPARATOR, FrameSound, extract_sound
from engine.procedural.discovery.sound_scoring import Score, score_frames
from engine.procedural.registries import query
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.concurrency import share_backfill_lock
from engine.procedural.registries.keys import (
    RegistryKeyError,
    canonical_sound_key,
    sound_key,
    sound_parts,
)
from engine.procedural.registries.record import (
    observe_many,
    record_discovery_run,
    record_job,
    record_learning_run,
)
from engine.store.db import Store
from engine.workers.heartbeat import WorkerHandle

SOUNDING = ORIGIN_NOISES[1:]
NATURAL_BAND = {
    "rumble": "low", "hum": "low", "thump": "low",
    "tone": "mid", "whoosh": "mid", "drip": "mid",
    "hiss": "high", "rustle": "high", "click": "high",
}
STRENGTHS = tuple(round(0.03 + 0.01 * i, 2) for i in range(28))  # RMS 0.03 .. 0.30
MAX_NOISES = 4


@dataclass(frozen=True)
class SoundUsage:
    """How often the registry has seen each origin noise and each component key."""

    by_origin: dict[str, int]
    by_key: dict[str, int]


@dataclass(frozen=True)
class CycleReport:
    cycle: int
    job_ref: str
    noises: tuple[str, ...]
    strengths: tuple[float, ...]
    frames: int
    precision: float
    recall: float
    score: tuple[int, int, int]  # (found, false, missed) frame-components against the truth
    new_components: int
    new_composites: int
    components_seen: int  # distinct component keys observed this cycle
    composites_seen: int
    growth: str  # the Growth [...] line

    def line(self) -> str:
        mix = " + ".join(f"{n} {s:.2f}" for n, s in zip(self.noises, self.strengths, strict=True))
        return (
            f"cycle {self.cycle}: {mix} | {self.frames} frames, precision {self.precision:.3f} "
            f"recall {self.recall:.3f} | {self.components_seen} sounds ({self.new_components} new), "
            f"{self.composites_seen} composites ({self.new_composites} new) | {self.growth}"
        )


@dataclass(frozen=True)
class LoopSummary:
    cycles: int
    precision: float
    recall: float
    new_components: int
    new_composites: int
    stopped: bool  # cancelled before the cycles asked for were done


def sound_usage(store: Store) -> SoundUsage:
    by_origin: Counter[str] = Counter()
    by_key: dict[str, int] = {}
    with store.read() as s:
        for e in query.entries(s, "pure", "sound", with_sources=False):
            if e.is_origin:
                continue
            try:
                parts = sound_parts(e.key)
            except RegistryKeyError:
                continue
            for _amp, _tone, timbre in parts:
                by_origin[timbre] += e.count
            if COMPOSITE_SEPARATOR not in e.key:
                by_key[e.key] = e.count
    return SoundUsage(dict(by_origin), by_key)


def _weights(counts: list[int]) -> np.ndarray:
    w = 1.0 / (1.0 + np.asarray(counts, dtype=float))
    return w / w.sum()


def choose_mix(usage: SoundUsage, rng: np.random.Generator) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """1-4 distinct sounding origins, and a strength for each, favouring the underused."""
    count = int(rng.integers(1, MAX_NOISES + 1))
    p = _weights([usage.by_origin.get(o, 0) for o in SOUNDING])
    picks = rng.choice(len(SOUNDING), size=count, replace=False, p=p)
    noises = tuple(SOUNDING[i] for i in picks)
    strengths = []
    for origin in noises:
        keys = [sound_key(s, NATURAL_BAND[origin], origin) for s in STRENGTHS]
        q = _weights([usage.by_key.get(k, 0) for k in keys])
        strengths.append(float(STRENGTHS[int(rng.choice(len(STRENGTHS), p=q))]))
    return noises, tuple(strengths)


def _observations(frames: list[FrameSound]):
    """{key: frames} of components and of composites (keys as the registry stores them,
    so two frames holding the same mixture count as one key), and a value for each key."""
    components: Counter[str] = Counter()
    composites: Counter[str] = Counter()
    values: dict[str, dict] = {}
    for f in frames:
        for c in f.components:
            components[c.key] += 1
            values.setdefault(c.key, {"amplitude": round(c.strength, 4), "tone": c.tone, "timbre": c.timbre})
        if f.is_composite:
            key = canonical_sound_key(f.key)
            composites[key] += 1
            values.setdefault(key, {"components": key.split(COMPOSITE_SEPARATOR)})
    return components, composites, values


def run_cycle(
    store: Store, rng: np.random.Generator, cycle: int, *, seconds: float = 2.0,
    worker: WorkerHandle | None = None,
) -> CycleReport:
    """One whole cycle: choose, synthesise, extract, score and record (one transaction).

    Each composite is recorded with its component breakdown as its depth (each part's share
    of the power, keys.sound_depth)."""
    noises, strengths = choose_mix(sound_usage(store), rng)
    mix: Mix = synthesise(noises, strengths, seconds, rng)
    frames = extract_sound(mix.samples)
    score: Score = score_frames(mix, frames)
    components, composites, values = _observations(frames)
    job_ref = f"sound-loop-{uuid.uuid4().hex[:12]}"
    prompt = "sound loop: " + " + ".join(f"{n} {s:.2f}" for n, s in zip(noises, strengths, strict=True))
    source = SourceRef("discovery", job_ref, prompt)
    with store.write() as s:
        share_backfill_lock(s)  # a backfill in progress is waited for before anything is written
        record_job(s, job_ref, prompt=prompt, status="succeeded")
        record_learning_run(s, job_ref, prompt=prompt)
        record_discovery_run(s, job_ref, focus=FRAME)
        seen = observe_many(s, "pure", "sound", components, source=source, values=values)
        new_components = sum(e.count == components[k] for k, e in seen.items())
        mixed = observe_many(s, "pure", "sound", composites, source=source, values=values)
        new_composites = sum(e.count == composites[k] for k, e in mixed.items())
        if worker is not None:
            worker.attribute(s, job_ref)
    growth = log_growth(FRAME, {"sound": new_components, "sound_composite": new_composites})
    return CycleReport(
        cycle=cycle, job_ref=job_ref, noises=noises, strengths=strengths, frames=len(frames),
        precision=score.precision, recall=score.recall,
        score=(score.found, score.false, score.missed),
        new_components=new_components, new_composites=new_composites,
        components_seen=len(components), composites_seen=len(composites),
        growth=growth,
    )


def run_sound_loop(
    store: Store,
    *,
    cycles: int | None = None,
    seed: int | None = None,
    seconds: float = 2.0,
    progress: Callable[[CycleReport], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    worker: WorkerHandle | None = None,
) -> LoopSummary:
    """Run cycles until ``cycles`` are done (None: until cancelled); cancel is checked between
    cycles, so the store only ever holds whole cycles."""
    if cycles is not None and cycles < 0:
        raise ValueError(f"cycles must be 0 or more, not {cycles}")
    if not 1 / 24 <= seconds <= 60:
        raise ValueError(f"a cycle's mix lasts 1/24 s to 60 s, not {seconds}")
    rng = np.random.default_rng(seed)
    total = Score()
    done = new_c = new_k = 0
    stopped = False
    while cycles is None or done < cycles:
        if cancel is not None and cancel():
            stopped = True
            break
        report = run_cycle(store, rng, done + 1, seconds=seconds, worker=worker)
        done += 1
        new_c += report.new_components
        new_k += report.new_composites
        total.found, total.false, total.missed = (
            a + b for a, b in zip((total.found, total.false, total.missed), report.score, strict=True)
        )
        if progress is not None:
            progress(report)
    return LoopSummary(
        cycles=done, precision=total.precision, recall=total.recall,
        new_components=new_c, new_composites=new_k, stopped=stopped,
    )
