"""A small store with takes and decisions placed in known ISO weeks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.store.reviews import add_decision
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take

W47_MON = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # 2026-W47 starts Monday 16 November


class Desk:
    """Append takes and decisions the way the pipelines and reviewers do."""

    def __init__(self, store):
        self.store = store
        self.shots = 0

    def take(self, target="nbp", version="v1.0", *, at=W47_MON, model="nbp-model", prompt=None,
             failed=False) -> int:
        self.shots += 1
        code = f"EP01_SH{self.shots:03d}"
        with self.store.write() as s:
            add_shot(s, episode="EP01", code=code)
            record = append_take(
                s,
                NewTake(shot=code, model=model, pipeline="keyframe", target=target,
                        system_prompt_version=version, prompt=prompt or f"prompt of {code}",
                        seed=self.shots, created_at=at, failed=failed),
            )
        return record.id

    def review(self, take_id: int, approve: bool, *, at=W47_MON + timedelta(hours=2), tags=(),
               note="", conflicts_with=None):
        with self.store.write() as s:
            return add_decision(s, take_id, reviewer="ana", approve=approve, tags=tags, note=note,
                                at=at, conflicts_with=conflicts_with)

    def reviewed(self, target="nbp", version="v1.0", *, approved=0, rejected=0, tags=("anatomy_failure",),
                 at=W47_MON, model="nbp-model"):
        for _ in range(approved):
            self.review(self.take(target, version, at=at, model=model), True, at=at + timedelta(hours=1))
        for _ in range(rejected):
            self.review(self.take(target, version, at=at, model=model), False, tags=tags,
                        at=at + timedelta(hours=1))


@pytest.fixture
def desk(store):
    return Desk(store)
