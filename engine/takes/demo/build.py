"""`dailies demo`: a whole episode to look at, built offline and deterministically from a seed.

Three scenes of eight shots, 1-4 takes each, rendered frames (and a few clips), prompts from
the real builder, system-prompt versions v1.0 and v1.1 as they rolled out across the last
two ISO weeks, costs, and review decisions with tags, so that every screen has real data.

Dates are placed relative to `today` (default: now): the episode's last reviews land just
before it, so a fresh demo has this week and last week filled. The same seed and the same
`today` give the same store.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from engine.core.errors import StoreError
from engine.core.media import file_sha256
from engine.core.review_config import review_config
from engine.store.costs import add_cost
from engine.store.db import Store
from engine.store.models import Shot
from engine.store.reviews import add_decision, retract_latest
from engine.store.shots import add_shot
from engine.store.takes import NewTake, TakeRecord, append_take, take_ref
from engine.takes import perceptual, provenance
from engine.takes.demo.frames import render_frame, write_clip
from engine.takes.demo.plans import DemoShot, demo_script
from engine.takes.perceptual_hashes import file_hash, record_hash
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.system_prompts import system_prompt
from engine.takes.thumbnails import make_store_thumbnails

EPISODE = "EP01"
# The episode is shot on eleven days in a row from 09:00; v1.1 of the keyframe and
# text-to-video system prompts rolled out on the sixth. The whole layout is then moved so that
# its latest possible review (the eleventh day's last take, 11 h after 09:00, reviewed 20 h
# later) falls on `today`: the last days are this week, the ones before last week.
LAYOUT_START = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
LAYOUT_END = LAYOUT_START + timedelta(days=10, hours=11 + 20)
ROLLOUT_DAY = timedelta(days=5)
REVIEWERS = ("ana.ruiz", "ben.okafor")
# Demo rejection odds per system-prompt version: v1.1 was written to fix v1.0's failures.
REJECT_ODDS = {"v1.0": 0.55, "v1.1": 0.35}
TAKE_FLOURISHES = (
    "",
    "slight handheld drift",
    "shallow depth of field",
    "haze catching the key light",
    "rain streaks in the foreground",
)


@dataclass(frozen=True)
class DemoReport:
    store: str
    episode: str
    shots: int
    takes: int
    clips: int
    decisions: int


def _versions_for(target: str) -> list[str]:
    profile = load_config().profile(target)
    current = profile.version or "v1.0"
    return sorted({"v1.0", current})


def _take_time(shot: DemoShot, take: int, rng: random.Random, start: datetime) -> datetime:
    day = (shot.position - 1) * 11 // 24  # the episode is shot across eleven days
    return start + timedelta(days=day, hours=take * 2 + rng.randint(0, 3))


def demo_start(today: datetime | None = None) -> datetime:
    """When the demo's first take was made, for a demo built `today` (to the hour, UTC)."""
    now = (today or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return LAYOUT_START + (now - LAYOUT_END)


def _final_prompt(builder_text: str, take: int, rng: random.Random, outcome: str) -> str:
    if outcome != "enriched":
        return builder_text
    flourish = TAKE_FLOURISHES[(take + rng.randint(0, 4)) % len(TAKE_FLOURISHES)]
    return builder_text if not flourish else f"{builder_text.rstrip('.')}; {flourish}."


def _write_frame(path, shot: DemoShot, take: int, seed: int, meta: dict[str, str]) -> tuple[str, int]:
    """Save a rendered frame with its provenance inside; the content hash is of the bare
    image; the perceptual hash is of the picture."""
    buffer = io.BytesIO()
    frame = render_frame(shot, take, seed)
    frame.save(buffer, "PNG", compress_level=1)
    data = buffer.getvalue()
    path.write_bytes(provenance.embed(data, meta))
    return provenance.sha256(data), perceptual.phash(perceptual.look_of_image(frame))


def _outcome(shot: DemoShot, rng: random.Random) -> tuple[str, str | None]:
    if shot.plan.env_only:
        return "bypassed", "env"
    if rng.random() < 0.1:
        return "fell_back", "locked term missing from the answer: retried at temperature 0, kept the builder text"
    return "enriched", None


def build_demo(
    store: Store,
    seed: int = 7,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    today: datetime | None = None,
) -> DemoReport:
    """Build the demo episode into an empty store; refuses a store that already has shots."""
    with store.read() as s:
        existing = s.scalar(select(func.count()).select_from(Shot))
    if existing:
        raise StoreError(
            f"store {store.display()} already holds {existing} shot(s); the demo is built into a new store"
        )
    rng = random.Random(seed)
    start = demo_start(today)
    rollout = start + ROLLOUT_DAY
    script = demo_script(seed)
    media = store.media_dir / "demo"
    media.mkdir(parents=True, exist_ok=True)
    config = load_config()
    tags = review_config().tags
    takes_made: list[tuple[DemoShot, TakeRecord]] = []
    clips = 0
    with store.write() as s:
        for n, shot in enumerate(script, start=1):
            if cancel and cancel():
                raise StoreError("demo build cancelled; nothing was written")
            add_shot(s, episode=EPISODE, scene=shot.scene, code=shot.code, plan=shot.plan,
                     position=shot.position)
            built = build_prompt(shot.plan)
            profile = config.profile(shot.plan.target_model)
            versions = _versions_for(shot.plan.target_model)
            for take in range(1, rng.randint(1, 4) + 1):
                created = _take_time(shot, take, rng, start)
                version = versions[-1] if created >= rollout and rng.random() < 0.85 else versions[0]
                sp = system_prompt(shot.plan.target_model, version)
                outcome, reason = _outcome(shot, rng)
                is_clip = profile.media_kind == "clip"
                name = f"{shot.code}_take_{take:03d}." + ("mp4" if is_clip else "png")
                path = media / name
                final = _final_prompt(built.text, take, rng, outcome)
                take_seed = rng.randrange(1, 2**31)
                if is_clip:
                    write_clip(path, shot, take, seed)
                    clips += 1
                    digest, look = file_sha256(path), file_hash(path)
                else:
                    digest, look = _write_frame(path, shot, take, seed, {
                        "take": take_ref(shot.code, take), "prompt": final,
                        "seed": str(take_seed), "model": profile.generator,
                        "system_prompt_version": sp.version,
                    })
                record = append_take(
                    s,
                    NewTake(
                        shot=shot.code,
                        model=profile.generator,
                        pipeline=shot.plan.pipeline,
                        prompt=final,
                        builder_prompt=built.text,
                        seed=take_seed,
                        target=shot.plan.target_model,
                        system_prompt_version=sp.version,
                        system_prompt_text=sp.text,
                        enrichment_outcome=outcome,
                        enrichment_reason=reason,
                        cost=profile.price,
                        output_path=f"demo/{name}",
                        media_kind="clip" if is_clip else "image",
                        output_sha256=digest,
                        created_at=created,
                        extra={"demo_seed": seed},
                    ),
                )
                record_hash(s, record.id, look)
                if outcome != "bypassed":
                    tokens_in, tokens_out = 900 + rng.randint(0, 400), 120 + rng.randint(0, 80)
                    add_cost(
                        s,
                        pass_type="prompt_enrichment",
                        amount=round(
                            tokens_in * config.enrichment.price_per_1m_input_tokens / 1e6
                            + tokens_out * config.enrichment.price_per_1m_output_tokens / 1e6,
                            6,
                        ),
                        model=config.enrichment.model,
                        shot=shot.code,
                        input_tokens=tokens_in,
                        output_tokens=tokens_out,
                    )
                takes_made.append((shot, record))
            if progress:
                progress(n, len(script))
        decisions = _review(s, takes_made, tags, rng, start + (LAYOUT_END - LAYOUT_START))
    # The strip's thumbnails, made now so the desk's first look at the demo is instant.
    make_store_thumbnails(store)
    return DemoReport(
        store=store.display(),
        episode=EPISODE,
        shots=len(script),
        takes=len(takes_made),
        clips=clips,
        decisions=decisions,
    )


def _review(s, takes_made, tags, rng: random.Random, end: datetime) -> int:
    """Reviewers go through most takes a few hours after they land; the newest stay undecided."""
    count = 0
    last_of_shot = {}
    for shot, take in takes_made:
        last_of_shot[shot.code] = take
    previous_shot_take: dict[str, TakeRecord] = {}
    ordered = sorted({shot.code: shot for shot, _ in takes_made}.values(), key=lambda x: x.position)
    for before, after in zip(ordered, ordered[1:], strict=False):
        previous_shot_take[after.code] = last_of_shot[before.code]
    for shot, take in takes_made:
        if rng.random() < 0.18 and take is last_of_shot[shot.code]:
            continue  # still waiting for review
        at = take.created_at + timedelta(hours=rng.randint(1, 20))
        reviewer = rng.choice(REVIEWERS)
        odds = REJECT_ODDS.get(take.system_prompt_version or "v1.0", 0.5)
        if take is last_of_shot[shot.code]:
            odds *= 0.5
        if rng.random() >= odds:
            add_decision(s, take.id, reviewer=reviewer, approve=True, at=at)
        else:
            chosen = rng.sample(tags, k=1 if rng.random() < 0.8 else 2)
            ref = None
            if "continuity_error" in chosen and shot.code in previous_shot_take:
                ref = previous_shot_take[shot.code].id
            add_decision(s, take.id, reviewer=reviewer, approve=False, tags=chosen, at=at,
                         note=rng.choice(("", "", "see hands", "eyeline drifts", "too warm")),
                         conflicts_with=ref)
        count += 1
        if rng.random() < 0.03:
            retract_latest(s, take.id, reviewer=reviewer, at=min(at + timedelta(minutes=30), end))
            count += 1
    return count
