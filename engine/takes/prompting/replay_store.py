"""Saved replays: written once (append-only), listed, and opened again as they were."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select

from engine.core.errors import DailiesError
from engine.store.db import Store
from engine.store.supervisor_models import PromptReplay, PromptReplayItem
from engine.takes.prompting.replay import Replay, ReplayItem


@dataclass(frozen=True)
class ReplaySummary:
    id: int
    made_at: datetime
    target: str
    version: str
    released: bool
    week: str
    tag: str | None
    takes: int
    writer_called: bool


def save_replay(store: Store, replay: Replay) -> Replay:
    """Store `replay` and its items; returns it with its id."""
    with store.write() as s:
        row = PromptReplay(target=replay.target, version=replay.version, version_sha256=replay.version_sha256,
                           released=replay.released, week=replay.week, tag=replay.tag,
                           writer_called=replay.writer_called, made_at=replay.made_at)
        s.add(row)
        s.flush()
        s.add_all(
            PromptReplayItem(
                replay_id=row.id, position=i, take_id=it.take_id, decision_id=it.decision_id, take_ref=it.take_ref,
                sent_version=it.sent_version, sent_prompt=it.sent_prompt, new_prompt=it.new_prompt,
                builder_prompt=it.builder_prompt, outcome=it.outcome, reason=it.reason,
                tags_json=json.dumps(list(it.tags)), note=it.note, reviewer=it.reviewer,
            )
            for i, it in enumerate(replay.items)
        )
        s.flush()
        return replace(replay, id=row.id)


def load_replay(store: Store, replay_id: int) -> Replay:
    """A saved replay, exactly as it was made."""
    with store.read() as s:
        row = s.get(PromptReplay, replay_id)
        if row is None:
            raise DailiesError(f"no replay {replay_id} in the store (see: dailies prompts replays)")
        items = s.scalars(select(PromptReplayItem).where(PromptReplayItem.replay_id == replay_id)
                          .order_by(PromptReplayItem.position)).all()
        return Replay(
            id=row.id, target=row.target, version=row.version, version_sha256=row.version_sha256,
            released=row.released, week=row.week, tag=row.tag, writer_called=row.writer_called,
            made_at=row.made_at,
            items=tuple(
                ReplayItem(
                    take_id=it.take_id, decision_id=it.decision_id, take_ref=it.take_ref, reviewer=it.reviewer,
                    tags=tuple(json.loads(it.tags_json)), note=it.note, sent_version=it.sent_version,
                    sent_prompt=it.sent_prompt, new_prompt=it.new_prompt, builder_prompt=it.builder_prompt,
                    outcome=it.outcome, reason=it.reason,
                )
                for it in items
            ),
        )


def list_replays(store: Store, *, target: str | None = None, week: str | None = None) -> list[ReplaySummary]:
    """Saved replays, newest first."""
    with store.read() as s:
        counts = (select(PromptReplayItem.replay_id, func.count().label("n"))
                  .group_by(PromptReplayItem.replay_id).subquery())
        query = (select(PromptReplay, func.coalesce(counts.c.n, 0))
                 .outerjoin(counts, counts.c.replay_id == PromptReplay.id)
                 .order_by(PromptReplay.id.desc()))
        if target is not None:
            query = query.where(PromptReplay.target == target)
        if week is not None:
            query = query.where(PromptReplay.week == week)
        return [
            ReplaySummary(r.id, r.made_at, r.target, r.version, r.released, r.week, r.tag, int(n), r.writer_called)
            for r, n in s.execute(query)
        ]
