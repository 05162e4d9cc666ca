"""Generate a shot's image: build, enrich (at most once), call the image model, save the file
with its provenance, and append the take with everything that was sent.

Every attempt becomes a take, a failed one too (failed=True, the error in extra), so nothing
is lost; every Flash call becomes a prompt_enrichment cost entry of the shot.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.core import gemini
from engine.core.errors import DailiesError, MediaError, PlanError
from engine.core.inputs import BIGINT_MAX, check_whole
from engine.core.plans import ShotPlan, parse_plan
from engine.store.costs import add_cost
from engine.store.media_files import stage_bytes
from engine.store.shots import list_shots, resolve_shot, shot_plan
from engine.store.takes import (
    NewTake,
    TakeRecord,
    append_take,
    next_take_number,
    take_name,
    take_ref,
)
from engine.takes import perceptual, provenance
from engine.takes.display_copies import take_display_copy
from engine.takes.perceptual_hashes import record_hash
from engine.takes.prompting.batch import enrich_batch, enrich_plans, episode_names, scene_runs
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.drafts import refuse_draft
from engine.takes.prompting.enrichment import EnrichedPrompt, Options, enrich, system_prompt_for

EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


@dataclass(frozen=True)
class ImageAnswer:
    data: bytes | None
    mime: str | None
    error: str | None


@dataclass(frozen=True)
class GenerationResult:
    take: TakeRecord
    enriched: EnrichedPrompt
    error: str | None


def _plan(store, code: str, *, clips: bool = False):
    with store.read() as s:
        plan = shot_plan(s, code)
    if plan is None:
        raise PlanError(f"shot {code} has no plan to build a prompt from")
    profile = load_config().profile(plan.target_model, where=f"shot {code}")
    refuse_draft(plan.target_model, profile.version)
    if profile.media_kind != "image" and not (clips and profile.limits.json_array):
        raise DailiesError(
            f"shot {code}: target {plan.target_model} makes clips; generate makes images "
            "(build and enrich its prompt with 'dailies prompt enrich')"
        )
    return plan


def _image_config(enriched: EnrichedPrompt, seed: int):
    from google.genai import types

    system = enriched.system_prompt.text if enriched.built.pipeline == "previz" and enriched.system_prompt else None
    return types.GenerateContentConfig(seed=seed, response_modalities=["IMAGE"], system_instruction=system)


def _answer(response) -> ImageAnswer:
    found = gemini.image_of(response)
    if found is None:
        return ImageAnswer(None, None, "no image in the answer")
    return ImageAnswer(found[0], found[1], None)


def _client(options: Options):
    key = gemini.api_key()
    if options.client is not None:
        return options.client
    if key is None:
        return None
    return gemini.make_client(key, (options.settings or load_config().enrichment).timeout_s)


def _render_policy(client, enriched: EnrichedPrompt, seed: int):
    """Image generation as a generator shared by the sync and async drivers: yields the call
    to make, is sent the answer or the exception, returns the ImageAnswer (two tries)."""
    if client is None:
        return ImageAnswer(None, None, "offline: no API key (set GOOGLE_API_KEY or GEMINI_API_KEY)")
    model = load_config().profile(enriched.built.target).generator
    error = None
    for _ in range(2):
        answer = yield client, model, enriched.text, _image_config(enriched, seed)
        if not isinstance(answer, Exception):
            return _answer(answer)
        failure = gemini.classify(answer)
        if failure is None:
            raise answer
        error = failure.check
    return ImageAnswer(None, None, error)


def _render(client, enriched: EnrichedPrompt, seed: int) -> ImageAnswer:
    return gemini.drive(_render_policy(client, enriched, seed))


async def _render_async(client, enriched: EnrichedPrompt, seed: int, gate: asyncio.Semaphore) -> ImageAnswer:
    async with gate:
        return await gemini.drive_async(_render_policy(client, enriched, seed))


def _capture(store, s, code: str, enriched: EnrichedPrompt, seed: int, image: ImageAnswer,
             media_kind: str = "image") -> TakeRecord:
    """Inside a write session: save the file with provenance and append the take and costs."""
    cfg = load_config()
    profile = cfg.profile(enriched.built.target)
    shot = resolve_shot(s, code, lock=True)
    number = next_take_number(s, shot.id)
    sp = enriched.system_prompt or system_prompt_for(enriched.built)
    output_path = output_sha = None
    if image.data is not None:
        rel = f"{code}/{take_name(number)}{EXTENSIONS.get(image.mime or '', '.png')}"
        meta = {
            "take": take_ref(code, number),
            "prompt": enriched.text,
            "seed": str(seed),
            "model": profile.generator,
            "system_prompt_version": sp.version if sp else "",
        }
        # Inside the media folder or refused; in place only once the take is committed.
        stage_bytes(s, store.media_file(rel), provenance.embed(image.data, meta))
        output_path, output_sha = rel, provenance.sha256(image.data)
    extra = {
        "flash_model": enriched.model or None,
        "attempts": [
            {"temperature": a.temperature, "check": a.check, "input_tokens": a.input_tokens, "output_tokens": a.output_tokens}
            for a in enriched.attempts
        ],
    }
    if image.error:
        extra["error"] = image.error
    take = append_take(
        s,
        NewTake(
            shot=code,
            model=profile.generator,
            pipeline=enriched.built.pipeline,
            prompt=enriched.text,
            seed=seed,
            target=enriched.built.target,
            system_prompt_version=sp.version if sp else None,
            system_prompt_text=sp.text if sp else None,
            builder_prompt=enriched.built.text,
            enrichment_outcome=enriched.outcome,
            enrichment_reason=enriched.reason,
            cost=profile.price if image.data is not None else 0.0,
            output_path=output_path,
            media_kind=media_kind,
            output_sha256=output_sha,
            failed=image.data is None,
            extra=extra,
        ),
    )
    record_hash(s, take.id, _picture_hash(image.data))
    for a in enriched.attempts:
        add_cost(
            s, pass_type="prompt_enrichment", amount=a.cost, model=enriched.model, shot=code,
            take_id=take.id, input_tokens=a.input_tokens, output_tokens=a.output_tokens,
        )
    return take


def _picture_hash(data: bytes | None) -> int | None:
    """The perceptual hash of the model's image (None: no image, or one that cannot be read)."""
    if data is None:
        return None
    try:
        return perceptual.phash(perceptual.look_of_bytes(data))
    except MediaError:
        return None


def _seed(seed: int | None) -> int:
    if seed is not None:  # refused before any call is paid for, not when the take is stored
        return check_whole(seed, "--seed", high=BIGINT_MAX, error=DailiesError)
    return random.SystemRandom().randrange(2**31)


def _episode(store, code: str) -> tuple[list[str], list[ShotPlan], list[str]]:
    """The shot codes, plans and scene codes of the episode of shot `code`, in filmstrip order."""
    with store.read() as s:
        rows = list_shots(s)
        episode = next((r.episode for r in rows if r.code == code), None)
        rows = [r for r in rows if r.episode == episode and r.plan_fields is not None]
    plans = [parse_plan(r.plan_fields, where=f"shot {r.code}") for r in rows]
    return [r.code for r in rows], plans, [r.scene or "" for r in rows]


def enrich_shot(store, shot: str, options: Options) -> EnrichedPrompt:
    """The shot's enriched prompt, its episode's characters known; a SeedDance shot is
    enriched with its scene's block (one JSON request for the block)."""
    codes, plans, scenes = _episode(store, shot)
    names = episode_names(plans)
    at = codes.index(shot) if shot in codes else None
    if at is None:
        return enrich(build_prompt(_plan(store, shot), names=names), options)
    for group in scene_runs(plans, scenes):
        if at in group:
            if len(group) == 1:
                return enrich(build_prompt(plans[at], names=names), options)
            results = enrich_plans([plans[k] for k in group], options, names=names,
                                   scenes=[scenes[k] for k in group])
            return results[group.index(at)]
    raise PlanError(f"shot {shot} has no plan to build a prompt from")


def generate(store, shot: str, *, seed: int | None = None, options: Options | None = None) -> GenerationResult:
    """Build, enrich and generate one shot's image; append the take (failed or not). A
    SeedDance shot's prompt is enriched with its scene block and recorded as a clip take that
    is not rendered (no clip generator is connected)."""
    options = options or Options()
    plan = _plan(store, shot, clips=True)
    seed = _seed(seed)
    enriched = enrich_shot(store, shot, options)
    if load_config().profile(plan.target_model).media_kind == "clip":
        image = ImageAnswer(None, None, "clip: no clip generator is connected; the prompt is recorded")
        with store.write() as s:
            take = _capture(store, s, shot, enriched, seed, image, media_kind="clip")
        return GenerationResult(take, enriched, image.error)
    client = None if options.offline else _client(options)
    image = _render(client, enriched, seed) if not options.offline else ImageAnswer(None, None, "offline: generation was turned off for this run")
    with store.write() as s:
        take = _capture(store, s, shot, enriched, seed, image)
    take_display_copy(store, take)
    return GenerationResult(take, enriched, image.error)


def generate_shots(
    store,
    shots: Sequence[str],
    *,
    seed: int | None = None,
    options: Options | None = None,
    concurrency: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[GenerationResult]:
    """Generate many shots: enrichment and image calls through the async client, at most
    `concurrency` in flight; every shot ends as a take (failed ones too)."""
    options = options or Options()
    client = _client(options)
    if client is not None and options.client is None:
        options = Options(skip=options.skip, offline=options.offline, client=client, settings=options.settings)
    limit = concurrency or load_config().enrichment.concurrency
    plans = [_plan(store, code) for code in shots]
    builts = [build_prompt(p, names=episode_names(plans)) for p in plans]
    results = enrich_batch(builts, options, concurrency=limit, cancel=cancel)
    done = [(code, r[0]) for code, r in zip(shots, results, strict=True) if r is not None]
    seeds = [_seed(seed) for _ in done]

    async def render_all():
        gate = asyncio.Semaphore(limit)
        if options.offline:
            return [ImageAnswer(None, None, "offline: generation was turned off for this run")] * len(done)
        return await asyncio.gather(*(_render_async(client, e, sd, gate) for (_, e), sd in zip(done, seeds, strict=True)))

    images = asyncio.run(render_all())
    out = []
    with store.write() as s:
        for i, ((code, enriched), sd, image) in enumerate(zip(done, seeds, images, strict=True)):
            out.append(GenerationResult(_capture(store, s, code, enriched, sd, image), enriched, image.error))
            if progress is not None:
                progress(i + 1, len(done))
    for result in out:
        take_display_copy(store, result.take)
    return out
