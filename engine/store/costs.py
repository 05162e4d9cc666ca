"""Cost entries: every pass that spends money, booked against its shot and episode."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.errors import StoreError
from engine.store.models import CostEntry, Episode
from engine.store.review_weeks import counting
from engine.store.shots import resolve_shot


@dataclass(frozen=True)
class CostSummary:
    scope: str  # "shot EP01_SC01_SH010", "episode EP01" or "store"
    by_pass: dict[str, float]
    tokens: dict[str, int]
    landed: float


def add_cost(
    session: Session,
    *,
    pass_type: str,
    amount: float,
    model: str = "",
    shot: str | None = None,
    take_id: int | None = None,
    input_tokens: int = 0,
    output_tokens: int = 0,
) -> int:
    """Book one cost entry (e.g. a prompt_enrichment call) against a shot and its episode."""
    if amount < 0:
        raise StoreError(f"cost entry of {pass_type}: amount {amount} is negative")
    shot_row = resolve_shot(session, shot) if shot else None
    entry = CostEntry(
        pass_type=pass_type,
        shot_id=shot_row.id if shot_row else None,
        episode_id=shot_row.episode_id if shot_row else None,
        take_id=take_id,
        model=model,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        amount=amount,
    )
    # A take already reviewed carries its costs into the weeks it counts in.
    with counting(session, [take_id] if take_id is not None else []):
        session.add(entry)
        session.flush()
    return entry.id


def cost_summary(session: Session, *, shot: str | None = None, episode: str | None = None) -> CostSummary:
    """Cost by pass type and the landed cost (their sum) of a shot, an episode or the store."""
    query = select(
        CostEntry.pass_type,
        func.sum(CostEntry.amount),
        func.sum(CostEntry.input_tokens + CostEntry.output_tokens),
    ).group_by(CostEntry.pass_type)
    scope = "store"
    if shot is not None:
        query = query.where(CostEntry.shot_id == resolve_shot(session, shot).id)
        scope = f"shot {shot}"
    elif episode is not None:
        ep = session.scalar(select(Episode.id).where(Episode.code == episode))
        if ep is None:
            raise StoreError(f"no episode '{episode}' in the store")
        query = query.where(CostEntry.episode_id == ep)
        scope = f"episode {episode}"
    by_pass: dict[str, float] = {}
    tokens: dict[str, int] = {}
    for pass_type, amount, toks in session.execute(query.order_by(CostEntry.pass_type)):
        by_pass[pass_type] = round(float(amount or 0), 6)
        tokens[pass_type] = int(toks or 0)
    return CostSummary(scope=scope, by_pass=by_pass, tokens=tokens, landed=round(sum(by_pass.values()), 6))


def landed_cost(session: Session, shot: str) -> float:
    return cost_summary(session, shot=shot).landed
