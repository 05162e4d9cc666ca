"""Work that must not run twice: claimed in the database, skipped while held, free again when
its holder gives it back or dies (its claim expires)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError
from engine.procedural.interpretation.loop import waiting_jobs
from engine.procedural.interpretation.worker import CYCLE_CLAIM, interpret_worker
from engine.procedural.registries.record import record_job
from engine.workers.claims import claim, claim_first, claimed, claims, release, renew
from engine.workers.heartbeat import register
from engine.workers.models import WorkClaim


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request):
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def expire(store, name: str) -> None:
    """As if the holder died long ago: its claim's expiry has passed."""
    with store.write() as s:
        s.execute(update(WorkClaim).where(WorkClaim.name == name).values(expires_at=WorkClaim.claimed_at))


def test_a_claim_is_held_by_one_worker_until_it_is_released(any_store):
    assert claim(any_store, "backfill", "worker-a", ttl=60)
    assert not claim(any_store, "backfill", "worker-b", ttl=60)
    assert claim(any_store, "backfill", "worker-a", ttl=60)  # the holder may claim again
    assert renew(any_store, "backfill", "worker-a", ttl=60) and not renew(any_store, "backfill", "worker-b")
    release(any_store, "backfill", "worker-b")  # not theirs: nothing happens
    assert [c.holder for c in claims(any_store)] == ["worker-a"]
    release(any_store, "backfill", "worker-a")
    assert claim(any_store, "backfill", "worker-b", ttl=60)


def test_a_dead_workers_claim_expires_and_another_takes_it(any_store):
    assert claim(any_store, "nightly-export", "worker-dead", ttl=60)
    with claimed(any_store, "nightly-export", "worker-b") as mine:
        assert not mine  # skipped while held
    expire(any_store, "nightly-export")
    with claimed(any_store, "nightly-export", "worker-b") as mine:
        assert mine
        assert [c.holder for c in claims(any_store)] == ["worker-b"]
    assert [c.holder for c in claims(any_store)] == [None]


def test_a_claim_must_expire(store):
    with pytest.raises(DailiesError, match="expire after more than 0 s"):
        claim(store, "x", "w", ttl=0)


def test_claimers_skip_a_row_another_is_claiming_on_postgresql(pg_store):
    assert claim_first(pg_store, ["job-1", "job-2"], "seed", ttl=1) == "job-1"
    release(pg_store, "job-1", "seed")
    other = Session(pg_store.engine)  # another worker in the middle of claiming job-1
    other.execute(select(WorkClaim).where(WorkClaim.name == "job-1").with_for_update())
    try:
        assert claim_first(pg_store, ["job-1", "job-2"], "worker-b", ttl=60) == "job-2"  # no wait
    finally:
        other.rollback()
        other.close()
    assert claim_first(pg_store, ["job-1", "job-2"], "worker-c", ttl=60) == "job-1"
    assert claim_first(pg_store, ["job-1", "job-2"], "worker-d", ttl=60) is None


def test_interpret_workers_take_turns_and_each_prompt_is_interpreted_once(any_store):
    with any_store.write() as s:
        for i in range(3):
            record_job(s, f"create-{i}", prompt=f"slow pan over a dark alley, take {i}")
    a, b = register(any_store, "interpret-loop", "interpret"), register(any_store, "interpret-loop", "interpret")
    assert claim(any_store, CYCLE_CLAIM, a.id)  # a is in a cycle: b waits, and stops when asked
    asked = iter([False, False, True])
    assert interpret_worker(any_store, 1, b, generate=0, cancel=lambda: next(asked), sleep=lambda _s: None) == []
    release(any_store, CYCLE_CLAIM, a.id)
    reports = interpret_worker(any_store, 2, b, generate=0)
    assert [r.interpreted for r in reports] == [3, 0]  # the second cycle finds the queue empty
    with any_store.read() as s:
        assert waiting_jobs(s) == ([], [])
        assert s.scalar(text("SELECT COUNT(*) FROM interpretation WHERE id LIKE 'job:create-%'")) == 3
        assert s.scalar(text("SELECT runs FROM worker WHERE id = :w"), {"w": b.id}) == 2
