"""The weekly counts kept as decisions are written give the figures the decisions say: after
an upgrade from a store that had decisions before them, after undoing and deciding again in
any week, and with several reviewers writing at once."""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select

from engine.core.errors import StoreError
from engine.store.costs import add_cost
from engine.store.db import _alembic_config, open_store
from engine.store.models import ReviewDecision, ReviewTag, ReviewWeekGroup, Take
from engine.store.review_weeks import recount
from engine.store.reviews import add_decision, retract_latest
from engine.takes.reports.export import report_dict
from engine.takes.reports.tag_rates import landed_costs
from engine.takes.reports.weekly import weekly_report
from engine.takes.reports.weeks import IsoWeek

from .conftest import W47_MON, Desk

W47 = IsoWeek(2026, 47)
TAGS = ("anatomy_failure", "continuity_error", "camera_composition", "style_lighting")


def _from_history(store) -> dict:
    """Every week's counts worked out here from the raw history: per (week, target, model,
    version, tag) the takes counted (tag '') and the rejections (with the tag)."""
    with store.read() as s:
        decisions = s.execute(select(ReviewDecision.id, ReviewDecision.take_id, ReviewDecision.created_at,
                                     ReviewDecision.action, ReviewDecision.retracts_id)).all()
        tags = s.execute(select(ReviewTag.decision_id, ReviewTag.tag)).all()
        takes = {t: (g, m, v, f) for t, g, m, v, f in s.execute(
            select(Take.id, Take.target, Take.model, Take.system_prompt_version, Take.failed))}
    withdrawn = {r for *_, r in decisions if r is not None}
    action = {d: a for d, _, _, a, _ in decisions}
    last: dict = {}
    for d, take, at, act, _ in decisions:
        if act in ("approve", "reject") and d not in withdrawn and not takes[take][3]:
            key = (str(IsoWeek.of(at)), take)
            last[key] = max(last.get(key, 0), d)
    counts: dict = {}
    for (week, take), d in last.items():
        group = takes[take][:3]
        row = counts.setdefault((week, *group, ""), [0, 0])
        row[0] += 1
        row[1] += action[d] == "reject"
        if action[d] == "reject":
            for decision, tag in tags:
                if decision == d:
                    counts.setdefault((week, *group, tag), [0, 0])[1] += 1
    return {k: tuple(v) for k, v in counts.items()}


def _kept(store) -> dict:
    table = ReviewWeekGroup.__table__
    with store.read() as s:
        rows = s.execute(select(table.c.week, table.c.target, table.c.model, table.c.version, table.c.tag,
                                table.c.takes, table.c.rejected)).all()
    return {tuple(r[:5]): (r[5], r[6]) for r in rows if r[5] or r[6]}


def _history(store) -> None:
    """Three weeks of reviews: approvals, tagged rejections, minds changed within a week and a
    week later, undos, a failed generation, takes without target or version."""
    desk = Desk(store)
    w45 = W47_MON - timedelta(days=14)
    desk.reviewed("nbp", "v1.0", approved=3, rejected=2, at=w45, tags=("anatomy_failure", "style_lighting"))
    desk.reviewed("nbp", "v1.1", approved=4, rejected=1)
    desk.reviewed(None, None, model="seedance", rejected=1)
    changed = desk.take()
    desk.review(changed, False, tags=["anatomy_failure"], at=W47_MON + timedelta(hours=3))
    desk.review(changed, True, at=W47_MON + timedelta(hours=4))
    undone = desk.take(at=w45)
    desk.review(undone, False, tags=["continuity_error"], at=w45 + timedelta(hours=2))
    desk.review(undone, True, at=w45 + timedelta(hours=3))
    with store.write() as s:
        retract_latest(s, undone, reviewer="ana", at=W47_MON)  # the approval, withdrawn two weeks later
    later = desk.take(at=w45)
    desk.review(later, False, tags=["style_lighting"], at=w45 + timedelta(hours=5))
    desk.review(later, True, at=W47_MON + timedelta(hours=6))
    broken = desk.take(failed=True)
    desk.review(broken, False, tags=["anatomy_failure"])
    with store.write() as s:  # costs booked after the reviews count where their takes count
        add_cost(s, pass_type="prompt_enrichment", amount=0.021, take_id=changed)
        add_cost(s, pass_type="prompt_enrichment", amount=0.0007, take_id=later)
        add_cost(s, pass_type="generation", amount=0.134, take_id=undone)


def _comparable(report) -> dict:
    data = report_dict(report)
    data.pop("made_at")
    return data


def test_a_store_upgraded_from_0011_with_its_decisions_reports_the_same_figures(tmp_path):
    path = tmp_path / "old.sqlite"
    store = open_store(path, create=True)
    _history(store)
    before = _comparable(weekly_report(store, W47, trend_weeks=3))
    cfg = _alembic_config()
    with store.engine.begin() as conn:  # the store as Dailies 0011 left it: its decisions, no counts
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011_perceptual_hash")
    store.close()
    with open_store(path) as upgraded:
        assert _kept(upgraded) == _from_history(upgraded)
        after = weekly_report(upgraded, W47, trend_weeks=3)
    assert _comparable(after) == before
    with upgraded.read() as s:  # the week's landed costs and generated takes as the history sums them
        live = landed_costs(s, W47)
        made = Counter(s.execute(select(Take.target, Take.model, Take.system_prompt_version).where(
            Take.created_at >= W47.starts, Take.created_at < W47.ends)).all())
    assert {(r.target, r.model, r.version): r.landed_cost for r in after.tag_rates if r.landed_cost} == live
    assert live[("nbp", "nbp-model", "v1.0")] == 0.0217
    assert {(g.key.target, g.key.model, g.key.version): g.generated for g in after.groups if g.generated} == made
    v10 = after.group(next(g.key for g in after.groups if g.key.version == "v1.0" and g.key.target == "nbp"))
    assert (v10.reviewed, v10.rejected, v10.failed) == (2, 0, 1)  # changed mind; later re-review
    # W45: 5, and two rejections: one whose approval after it was withdrawn in W47, one
    # approved again in W47 (which leaves W45's figure as it was)
    assert [(p.reviewed, p.rejected) for p in after.trend if p.week == "2026-W45"] == [(7, 4)]


def test_undoing_and_deciding_again_in_any_week_keeps_the_counts_exact(store):
    desk = Desk(store)
    rng = random.Random(47)
    takes = [desk.take("nbp", rng.choice(("v1.0", "v1.1"))) for _ in range(6)]
    reviewers = ("ana", "ben")
    for _ in range(80):
        take, who = rng.choice(takes), rng.choice(reviewers)
        at = W47_MON + timedelta(days=rng.randrange(-14, 7), hours=rng.randrange(24))
        with store.write() as s:
            if rng.random() < 0.3:
                try:
                    retract_latest(s, take, reviewer=who, of=rng.choice(reviewers), at=at)
                except StoreError:  # nothing of theirs standing: nothing written
                    pass
            elif rng.random() < 0.5:
                add_decision(s, take, reviewer=who, approve=True, at=at)
            else:
                add_decision(s, take, reviewer=who, approve=False, tags=rng.sample(TAGS, 2), at=at)
        assert _kept(store) == _from_history(store)


def _race(store, takes: list[int], worker: int) -> None:
    """One reviewer's dozen decisions and undos on takes the others decide too."""
    rng = random.Random(worker)
    for i in range(12):
        take, at = rng.choice(takes), W47_MON + timedelta(hours=i)
        with store.write() as s:
            if i % 4 == 3:
                try:
                    retract_latest(s, take, reviewer=f"r{worker}", at=at)
                except StoreError:  # nothing of theirs standing there: nothing written
                    pass
            elif rng.random() < 0.5:
                add_decision(s, take, reviewer=f"r{worker}", approve=True, at=at)
            else:
                add_decision(s, take, reviewer=f"r{worker}", approve=False, tags=[rng.choice(TAGS)], at=at)


def _writers_lose_nothing(store) -> None:
    desk = Desk(store)
    takes = [desk.take("nbp", v) for v in ("v1.0", "v1.0", "v1.1", "v1.1")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for done in [pool.submit(_race, store, takes, w) for w in range(4)]:
            done.result()
    kept = _kept(store)
    assert kept == _from_history(store)
    with store.write() as s:
        recount(s)
    assert _kept(store) == kept


def test_reviewers_writing_at_once_lose_nothing_on_sqlite(store):
    _writers_lose_nothing(store)


def test_reviewers_writing_at_once_lose_nothing_on_postgresql(pg_store):
    _writers_lose_nothing(pg_store)


@pytest.mark.parametrize("weeks", [1, 8])
def test_a_report_reads_the_kept_counts(store, weeks):
    _history(store)
    report = weekly_report(store, W47, trend_weeks=weeks)
    history = _from_history(store)
    for point in report.trend:
        key = (point.week, point.key.target, point.key.model, point.key.version, "")
        assert (point.reviewed, point.rejected) == history[key]
