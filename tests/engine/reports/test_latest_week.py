"""With no week asked for, the weekly review opens on the latest week that has reviews and
says so; a fresh demo fills this week and last week, relative to the day it is built."""

from __future__ import annotations

import shutil
from datetime import timedelta

from sqlalchemy import func, select

from engine.cli.main import main
from engine.store.db import open_store
from engine.store.models import ReviewDecision, Take
from engine.store.reviews import retract_latest
from engine.takes.reports.weekly import weekly_report
from engine.takes.reports.weeks import IsoWeek, default_week, latest_week_with_reviews
from tests.conftest import DEMO_TODAY

from .conftest import W47_MON


def test_a_fresh_demo_fills_this_week_and_last_week(demo_store_path, tmp_path, capsys):
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_store_path, copy)
    this_week = IsoWeek.of(DEMO_TODAY)
    with open_store(copy) as store:
        with store.read() as s:
            newest_take = s.scalar(select(func.max(Take.created_at)))
            newest_decision = s.scalar(select(func.max(ReviewDecision.created_at)))
            assert latest_week_with_reviews(s) == this_week
        for week in (this_week, this_week.shifted(-1)):
            report = weekly_report(store, week)
            assert sum(g.reviewed for g in report.groups) > 0, f"{week} has no reviews"
    assert newest_take <= DEMO_TODAY and newest_decision <= DEMO_TODAY  # nothing in the future
    assert main(["report", "weekly", "--store", str(copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"latest week with reviews: {this_week}"
    assert out[1] == f"Weekly prompt review {this_week}"


def test_the_latest_week_skips_withdrawn_decisions_and_an_empty_store_says_so(store, desk):
    with store.read() as s:
        week, said = default_week(s)
    assert week == IsoWeek.current() and said.startswith("no reviews yet")
    kept = desk.take()
    desk.review(kept, True, at=W47_MON + timedelta(hours=2))
    later = desk.take()
    desk.review(later, False, tags=["anatomy_failure"], at=W47_MON + timedelta(weeks=1, hours=2))
    with store.read() as s:
        assert default_week(s) == (IsoWeek(2026, 48), "latest week with reviews: 2026-W48")
    with store.write() as s:
        retract_latest(s, later, reviewer="ana", at=W47_MON + timedelta(weeks=2))
    with store.read() as s:
        assert latest_week_with_reviews(s) == IsoWeek(2026, 47)
