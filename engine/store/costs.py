"""Cost entries: every pass that spends money, booked against its shot and episode."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, text, union_all
from sqlalchemy.orm import Session

from engine.core.errors import StoreError
from engine.store.driver import run, sqlite_driver
from engine.store.models import CostEntry, Episode, Take
from engine.store.review_weeks import counting
from engine.store.shots import resolve_shot

COSTS = CostEntry.__table__

# A take's generation cost entry, made from the take as it was stored (its shot's episode
# joined): what it cost, by which model, when. One statement books a whole import's.
_GENERATION = (
    "INSERT INTO cost_entry (pass_type, shot_id, episode_id, take_id, model, input_tokens, output_tokens, "
    "amount, created_at) SELECT 'generation', t.shot_id, s.episode_id, t.id, t.model, 0, 0, t.cost, t.created_at "
    "FROM take AS t JOIN shot AS s ON s.id = t.shot_id WHERE t.cost <> 0 AND "
)
_GENERATION_OF_RANGE = _GENERATION + "t.id BETWEEN ? AND ? ORDER BY t.id"
_GENERATION_OF_IDS = text(_GENERATION + "t.id IN :ids ORDER BY t.id").bindparams(bindparam("ids", expanding=True))


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
    if shot_row is not None and take_id is not None:
        take_shot = session.scalar(select(Take.shot_id).where(Take.id == take_id))
        if take_shot != shot_row.id:
            # A shot's entries with a take are found through its takes (cost_summary).
            raise StoreError(f"cost entry of {pass_type}: take {take_id} is not a take of shot {shot}")
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


def book_generation_costs(session: Session, take_ids: Sequence[int]) -> None:
    """Book the generation cost of each of the takes just appended that cost anything, as the
    take records it. A range of ids (SQLite's consecutive ids) is booked by one statement on
    the driver."""
    raw = sqlite_driver(session)
    if raw is not None and isinstance(take_ids, range) and take_ids.step == 1:
        if take_ids:
            run(raw, _GENERATION_OF_RANGE, (take_ids[0], take_ids[-1]))
        return
    ids = list(take_ids)
    for start in range(0, len(ids), 900):
        session.execute(_GENERATION_OF_IDS, {"ids": ids[start:start + 900]})


def cost_summary(session: Session, *, shot: str | None = None, episode: str | None = None) -> CostSummary:
    """Cost by pass type and the landed cost (their sum) of a shot, an episode or the store."""
    entries = COSTS
    scope = "store"
    where = []
    if shot is not None:
        entries = _shot_entries(resolve_shot(session, shot).id)
        scope = f"shot {shot}"
    elif episode is not None:
        ep = session.scalar(select(Episode.id).where(Episode.code == episode))
        if ep is None:
            raise StoreError(f"no episode '{episode}' in the store")
        where.append(entries.c.episode_id == ep)
        scope = f"episode {episode}"
    query = select(
        entries.c.pass_type,
        func.sum(entries.c.amount),
        func.sum(entries.c.input_tokens + entries.c.output_tokens),
    ).where(*where).group_by(entries.c.pass_type).order_by(entries.c.pass_type)
    by_pass: dict[str, float] = {}
    tokens: dict[str, int] = {}
    for pass_type, amount, toks in session.execute(query):
        by_pass[pass_type] = round(float(amount or 0), 6)
        tokens[pass_type] = int(toks or 0)
    return CostSummary(scope=scope, by_pass=by_pass, tokens=tokens, landed=round(sum(by_pass.values()), 6))


def _shot_entries(shot_id: int):
    """A shot's cost entries: those without a take by the shot (ix_cost_shot holds only
    those), those with a take through the shot's takes (ix_cost_take). Imports book one
    entry per take, and an index keyed by shot would take a page write per take."""
    columns = (COSTS.c.pass_type, COSTS.c.amount, COSTS.c.input_tokens, COSTS.c.output_tokens)
    return union_all(
        select(*columns).where(COSTS.c.shot_id == shot_id, COSTS.c.take_id.is_(None)),
        select(*columns).where(
            COSTS.c.take_id.in_(select(Take.id).where(Take.shot_id == shot_id)), COSTS.c.shot_id == shot_id
        ),
    ).subquery()


def landed_cost(session: Session, shot: str) -> float:
    return cost_summary(session, shot=shot).landed
