"""Batch enrichment: many prompts at once through the async client, a bounded number in
flight; SeedDance scene blocks (3-8 shots) as one call each, answered as a JSON array.

A block's answer is checked item by item: items that pass are enriched, items that fail both
the first answer and the retry at temperature 0 fall back alone; an answer that is not a JSON
array of one text per shot falls back for the whole block.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import replace

from engine.core import gemini
from engine.core.plans import ShotPlan
from engine.takes.prompting.builder import BuiltPrompt, build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.enrichment import (
    ENRICHED,
    Attempt,
    EnrichedPrompt,
    Options,
    bypass_reason,
    bypassed,
    enrich_async,
    fell_back,
    payload,
    price,
    request_config,
)
from engine.takes.prompting.system_prompts import system_prompt
from engine.takes.prompting.validation import check_answer, parse_json_array

Item = BuiltPrompt | Sequence[BuiltPrompt]  # a prompt, or a SeedDance scene block


def episode_names(plans: Sequence[ShotPlan]) -> tuple[str, ...]:
    """The character names of an episode's plans (an ENV-only shot drops them)."""
    seen: dict[str, None] = {}
    for plan in plans:
        for subject in plan.subjects:
            seen.setdefault(subject.name, None)
    return tuple(seen)


def _blockable(plan: ShotPlan) -> bool:
    limits = load_config().profile(plan.target_model).limits
    return limits.json_array and not plan.env_only


def scene_runs(plans: Sequence[ShotPlan], scenes: Sequence[str] | None = None) -> list[list[int]]:
    """Indices of `plans` grouped as they are enriched: each run of consecutive SeedDance plans
    of one scene, cut into blocks of block_min..block_max, is one group; every other plan (and
    a run too short to be a block) is a group of one."""
    scenes = list(scenes) if scenes is not None else [p.scene for p in plans]
    out: list[list[int]] = []
    i = 0
    while i < len(plans):
        j = i + 1
        if _blockable(plans[i]):
            while (j < len(plans) and _blockable(plans[j]) and scenes[j] == scenes[i]
                   and plans[j].target_model == plans[i].target_model):
                j += 1
        limits = load_config().profile(plans[i].target_model).limits
        run = list(range(i, j))
        if len(run) >= (limits.block_min or 3):
            out += scene_blocks(run, limits.block_max or 8, limits.block_min or 3)
        else:
            out += [[k] for k in run]
        i = j
    return out


def enrich_plans(plans: Sequence[ShotPlan], options: Options | None = None, *, target: str | None = None,
                 names: Sequence[str] | None = None, scenes: Sequence[str] | None = None) -> list[EnrichedPrompt]:
    """Build and enrich plans in order, SeedDance scene blocks as one JSON request each; one
    EnrichedPrompt per plan."""
    names = tuple(names) if names is not None else episode_names(plans)
    if target is not None:
        plans = [replace(p, target_model=target) for p in plans]
    built = [build_prompt(p, names=names) for p in plans]
    groups = scene_runs(plans, scenes)
    items: list[Item] = [built[g[0]] if len(g) == 1 else [built[k] for k in g] for g in groups]
    out: list[EnrichedPrompt | None] = [None] * len(plans)
    for group, results in zip(groups, enrich_batch(items, options), strict=True):
        for k, result in zip(group, results or (), strict=False):
            out[k] = result
    return [r for r in out if r is not None]


def scene_blocks(codes: Sequence, size_max: int = 8, size_min: int = 3) -> list[list]:
    """One scene's shots cut into blocks of size_min..size_max, as even as possible."""
    n = len(codes)
    if n <= size_max:
        return [list(codes)]
    count = -(-n // size_max)
    base, extra = divmod(n, count)
    out, at = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        out.append(list(codes[at : at + size]))
        at += size
    return out


async def enrich_block_async(block: Sequence[BuiltPrompt], options: Options) -> list[EnrichedPrompt]:
    """One SeedDance call for a scene block; one EnrichedPrompt per shot, in order."""
    block = list(block)
    reasons = [bypass_reason(b, options) for b in block]
    if all(reasons):
        return [bypassed(b, r) for b, r in zip(block, reasons, strict=True)]
    cfg = load_config()
    settings = options.settings or cfg.enrichment
    client = options.client or gemini.make_client(gemini.api_key() or "", settings.timeout_s)
    target = block[0].target
    sp = system_prompt(target)
    profile = cfg.profile(target)
    contents = json.dumps({"scene_block": [payload(b, profile) for b in block]}, ensure_ascii=False)
    best: list[str | None] = [None] * len(block)
    per_item: list[list[Attempt]] = [[] for _ in block]
    for temperature in (settings.temperature, 0.0):
        try:
            response = await client.aio.models.generate_content(
                model=settings.model, contents=contents, config=request_config(sp, temperature, json_out=True)
            )
        except Exception as exc:
            failure = gemini.classify(exc)
            if failure is None:
                raise
            if failure.unreachable and temperature == settings.temperature:
                why = f"offline: network unreachable ({failure.check})"
                return [bypassed(b, why) for b in block]
            for attempts in per_item:
                attempts.append(Attempt(temperature, failure.check))
            continue
        usage = gemini.usage_of(response)
        share = price(settings, usage) / len(block)
        texts, malformed = parse_json_array(gemini.text_of(response), len(block))
        for i, b in enumerate(block):
            tokens = (usage.input_tokens // len(block), usage.output_tokens // len(block))
            if best[i] is not None:
                per_item[i].append(Attempt(temperature, None, *tokens, share, None))
                continue
            check = malformed or check_answer(texts[i], b, profile.limits)
            per_item[i].append(Attempt(temperature, check, *tokens, share, None if malformed else texts[i]))
            if check is None:
                best[i] = texts[i].strip()
        if all(t is not None for t in best):
            break
    out = []
    for i, b in enumerate(block):
        if best[i] is not None:
            out.append(EnrichedPrompt(best[i], ENRICHED, None, b, sp, tuple(per_item[i]), settings.model))
        else:
            out.append(fell_back(b, sp, per_item[i], settings.model))
    return out


async def _run(items: Sequence[Item], options: Options, concurrency: int, progress, cancel):
    gate = asyncio.Semaphore(concurrency)
    results: list[list[EnrichedPrompt] | None] = [None] * len(items)
    done = 0

    async def one(i: int, item: Item) -> None:
        nonlocal done
        async with gate:
            if cancel is not None and cancel():
                return
            if isinstance(item, BuiltPrompt):
                results[i] = [await enrich_async(item, options)]
            else:
                results[i] = await enrich_block_async(item, options)
        done += 1
        if progress is not None:
            progress(done, len(items))

    await asyncio.gather(*(one(i, item) for i, item in enumerate(items)))
    return results


def enrich_batch(
    items: Sequence[Item],
    options: Options | None = None,
    *,
    concurrency: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[list[EnrichedPrompt] | None]:
    """Enrich many prompts and blocks with at most `concurrency` calls in flight.

    Returns, per item, its EnrichedPrompts (one for a prompt, one per shot for a block), or
    None for items skipped after `cancel` returned True."""
    options = options or Options()
    key = gemini.api_key()
    if options.client is None and key is not None and not options.offline:
        options = replace(options, client=gemini.make_client(key, (options.settings or load_config().enrichment).timeout_s))
    limit = concurrency or load_config().enrichment.concurrency
    return asyncio.run(_run(list(items), options, limit, progress, cancel))
