"""The interpretation loop: each cycle interprets the prompts waiting for it (users' prompts
first), backfills interpretations that are missing or from an older schema, interprets prompts
it generates (recorded as interpretations, never learned back as linguistic mappings), and
reports how much the linguistic registry grew. It logs exactly:

    [cycle] interpreted N
    [cycle] backfill N
    [cycle] generated N
    [cycle] linguistic growth N

The queue is the creation jobs' own records: a job with a prompt and no interpretation under
``job:<ref>`` is waiting. Jobs a user created (``create-...``) are interpreted first; the rest
(loop runs, imports) are the backfill, together with stored interpretations of an older
schema, which are interpreted again in place.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError
from engine.procedural.interpretation.interpret import SCHEMA, interpret_text
from engine.procedural.interpretation.prompt_gen import generate_prompts
from engine.procedural.interpretation.service import (
    job_interpretation_id,
    prompt_id,
    record_instruction,
    vocabulary,
)
from engine.procedural.registries.models import CreationJob, Interpretation, LinguisticMapping
from engine.procedural.registries.record import record_interpretation
from engine.store.db import Store

log = logging.getLogger("engine.procedural.interpretation")
USER_PREFIX = "create-"
BATCH = 50


@dataclass(frozen=True)
class CycleReport:
    cycle: int
    interpreted: int
    backfill: int
    generated: int
    linguistic_growth: int

    def lines(self) -> list[str]:
        return [
            f"[cycle] interpreted {self.interpreted}",
            f"[cycle] backfill {self.backfill}",
            f"[cycle] generated {self.generated}",
            f"[cycle] linguistic growth {self.linguistic_growth}",
        ]


def _distinct_mappings(session: Session) -> int:
    sub = select(LinguisticMapping.domain, LinguisticMapping.span, LinguisticMapping.canonical).distinct().subquery()
    return int(session.scalar(select(func.count()).select_from(sub)) or 0)


def waiting_jobs(session: Session, limit: int = BATCH) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(user jobs, other jobs) with a prompt and no interpretation: (ref, prompt), oldest first."""
    interp_id = literal("job:") + CreationJob.ref
    rows = session.execute(
        select(CreationJob.ref, CreationJob.prompt)
        .outerjoin(Interpretation, Interpretation.id == interp_id)
        .where(Interpretation.id.is_(None), CreationJob.prompt.is_not(None), CreationJob.prompt != "")
        .order_by(CreationJob.created_at, CreationJob.id)
    ).all()
    user = [(r, p) for r, p in rows if r.startswith(USER_PREFIX)][:limit]
    other = [(r, p) for r, p in rows if not r.startswith(USER_PREFIX)][:limit]
    return user, other


def stale_interpretations(session: Session, limit: int = BATCH) -> list[tuple[str, str]]:
    """(id, prompt) of stored interpretations whose instruction is not of this schema."""
    out = []
    for ident, prompt, text in session.execute(select(Interpretation.id, Interpretation.prompt, Interpretation.instruction_json)):
        try:
            ok = json.loads(text).get("schema") == SCHEMA
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            out.append((ident, prompt))
            if len(out) >= limit:
                break
    return out


def interpret_cycle(store: Store, cycle: int, *, generate: int = 5, seed: int | None = None,
                    batch: int = BATCH) -> CycleReport:
    vocab = vocabulary(store)
    with store.read() as s:
        before = _distinct_mappings(s)
        user, other = waiting_jobs(s, batch)
        stale = stale_interpretations(s, batch)
    work = [(job_interpretation_id(r), p) for r, p in user]
    back = [(job_interpretation_id(r), p) for r, p in other] + stale
    fresh: list[tuple[str, str]] = []
    if generate > 0:
        try:
            fresh = [(prompt_id(p, "gen"), p) for p in generate_prompts(store, generate, seed=seed).prompts]
        except DailiesError as exc:
            log.warning("no prompts generated: %s", exc)
    for ident, prompt in work + back:
        instruction = interpret_text(prompt, vocab)
        with store.write() as s:
            record_instruction(s, prompt, instruction, ident)
    for ident, prompt in fresh:
        # the generator's own words are never learned back as linguistic mappings: they came
        # from the registries, so learning them would only repeat what the registries say
        instruction = interpret_text(prompt, vocab)
        with store.write() as s:
            record_interpretation(s, prompt, instruction, id=ident)
    with store.read() as s:
        after = _distinct_mappings(s)
    report = CycleReport(cycle, len(work), len(back), len(fresh), after - before)
    for line in report.lines():
        log.info(line)
    return report


def interpret_loop(
    store: Store, cycles: int, *, generate: int = 5, seed: int | None = None,
    progress: Callable[[str], None] | None = None, cancel: Callable[[], bool] | None = None,
) -> list[CycleReport]:
    if cycles < 1:
        raise DailiesError(f"--cycles must be at least 1, not {cycles}")
    seeds = np.random.SeedSequence(seed).generate_state(cycles)
    reports = []
    for i in range(cycles):
        if cancel and cancel():
            break
        report = interpret_cycle(store, i + 1, generate=generate, seed=int(seeds[i]))
        reports.append(report)
        if progress:
            for line in report.lines():
                progress(line)
    return reports
