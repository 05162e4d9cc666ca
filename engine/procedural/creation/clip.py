"""A clip planned from the registries (honouring the prompt's interpretation): its frames
rendered, its sounds mixed, written as an mp4. engine.procedural.discovery.loop records and learns from it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.core.errors import DailiesError
from engine.procedural.creation import sound_synth
from engine.procedural.creation.encode import write_mp4
from engine.procedural.creation.plan import ClipPlan, plan_clip
from engine.procedural.creation.pools import load_pools
from engine.procedural.creation.render import render_frames
from engine.procedural.interpretation.config import load_config
from engine.procedural.interpretation.interpret import interpret_text
from engine.procedural.interpretation.service import (
    vocabulary,
)
from engine.store.db import Store

DEFAULT_SIZE = (640, 360)
DEFAULT_FPS = 24
MAX_SECONDS = 60.0


@dataclass(frozen=True)
class Clip:
    """A rendered clip held in memory."""

    plan: ClipPlan
    frames: np.ndarray  # (n, h, w, 3) uint8
    audio: np.ndarray  # mono float32 at sound_synth.SAMPLE_RATE
    fps: int
    instruction: dict | None


def make_clip(
    store: Store, prompt: str | None, rng: np.random.Generator, *, seconds: float | None = None,
    size: tuple[int, int] = DEFAULT_SIZE, fps: int = DEFAULT_FPS,
) -> Clip:
    """Plan and render a clip; every choice is drawn from the store's registries."""
    if seconds is not None and not 0 < seconds <= MAX_SECONDS:
        raise DailiesError(f"--seconds must be more than 0 and at most {MAX_SECONDS:g}, not {seconds}")
    cfg = load_config()
    instruction = interpret_text(prompt, vocabulary(store)) if prompt and prompt.strip() else None
    with store.read() as s:
        pools = load_pools(s)
    if not pools.colour or not pools.sound:
        raise DailiesError("the store's registries hold no colours or no sounds to create from")
    plan = plan_clip(pools, instruction, cfg, rng, seconds)
    if plan.seconds > MAX_SECONDS:
        plan = ClipPlan(**{**plan.__dict__, "seconds": MAX_SECONDS})
    w, h = size
    frames = render_frames(plan, w, h, fps, rng)
    mix = sound_synth.synthesise(
        [s.timbre for s in plan.sounds], [s.strength for s in plan.sounds], plan.seconds, rng
    )
    audio = mix.samples
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    if peak > 0.99:
        audio = audio * (0.99 / peak)
    return Clip(plan, frames, audio.astype(np.float32), fps, instruction)


def new_ref(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def save_clip(store: Store, clip: Clip, ref: str, out: Path | None = None) -> Path:
    path = Path(out) if out else Path(store.media_dir) / "creations" / f"{ref}.mp4"
    return write_mp4(path, clip.frames, clip.fps, clip.audio, sound_synth.SAMPLE_RATE)
