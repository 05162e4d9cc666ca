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

from engine.prompting import gemini
from engine.prompting.builder import BuiltPrompt
from engine.prompting.config import load_config
from engine.prompting.enrichment import (
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
from engine.prompting.system_prompts import system_prompt
from engine.prompting.validation import check_answer, parse_json_array

Item = BuiltPrompt | Sequence[BuiltPrompt]  # a prompt, or a SeedDance scene block


def scene_blocks(codes: Sequence[str], size_max: int = 8, size_min: int = 3) -> list[list[str]]:
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
