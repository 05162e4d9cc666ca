"""Ended weeks' figures are kept between runs, and counted again whenever what they were
counted from has changed."""

from datetime import UTC, datetime, timedelta

from engine.store.db import open_store
from engine.store.reviews import retract_latest
from engine.takes.reports import weekly
from engine.takes.reports.week_cache import WeekCache, fingerprints
from engine.takes.reports.weekly import GroupKey, weekly_report
from engine.takes.reports.weeks import IsoWeek

from .conftest import Desk

NBP10 = GroupKey("nbp", "nbp-model", "v1.0")
ENDED = IsoWeek(2025, 10)  # long over: its figures are kept
MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _new_run() -> None:
    """What a new run of Dailies starts with: only the cache's files."""
    weekly._CACHE.forget()


def test_a_new_run_finds_the_figures_and_counts_again_after_a_late_decision_or_an_undo(store, desk):
    first = desk.take(at=MONDAY)
    desk.review(first, False, tags=["anatomy_failure"], at=MONDAY + timedelta(hours=1))
    assert weekly_report(store, ENDED).group(NBP10).rejected == 1
    _new_run()
    assert weekly_report(store, ENDED).group(NBP10).rejected == 1
    desk.review(desk.take(at=MONDAY), False, tags=["anatomy_failure"], at=MONDAY + timedelta(days=2))
    _new_run()
    assert weekly_report(store, ENDED).group(NBP10).rejected == 2  # a late import
    with store.write() as s:
        retract_latest(s, first, reviewer="ana")  # undone today
    _new_run()
    g = weekly_report(store, ENDED).group(NBP10)
    assert (g.reviewed, g.rejected) == (1, 1)
    assert [p.reviewed for p in weekly_report(store, ENDED, trend_weeks=3).trend] == [1]


def test_another_store_at_the_same_place_is_counted_afresh(tmp_path):
    path = tmp_path / "desk.sqlite"
    with open_store(path, create=True) as first:
        desk = Desk(first)
        for _ in range(2):
            desk.review(desk.take(at=MONDAY), False, tags=["anatomy_failure"], at=MONDAY + timedelta(hours=1))
        assert weekly_report(first, ENDED).group(NBP10).rejected == 2
    path.unlink()
    _new_run()
    with open_store(path, create=True) as second:  # same ids, same takes, other decisions
        desk = Desk(second)
        for _ in range(2):
            desk.review(desk.take(at=MONDAY), True, at=MONDAY + timedelta(hours=1))
        g = weekly_report(second, ENDED).group(NBP10)
    assert (g.reviewed, g.approved, g.rejected) == (2, 2, 0)


def test_an_unreadable_cache_file_is_ignored(store, desk):
    desk.review(desk.take(at=MONDAY), False, tags=["anatomy_failure"], at=MONDAY + timedelta(hours=1))
    weekly_report(store, ENDED)
    (cache_file,) = list(weekly._CACHE._file(store).parent.glob("*.json"))
    cache_file.write_text("{not json", encoding="utf-8")
    _new_run()
    assert weekly_report(store, ENDED).group(NBP10).rejected == 1


def test_only_ended_weeks_are_kept(store, desk, tmp_path):
    cache = WeekCache(tmp_path / "cache")
    this_week = IsoWeek.current()
    rows = [("nbp", "nbp-model", "v1.0", 3, 1)]
    with store.read() as s:
        ended_print, current_print = fingerprints(s, [ENDED, this_week])
    cache.put(store, {ENDED: (ended_print, rows), this_week: (current_print, rows)})
    again = WeekCache(tmp_path / "cache")  # another run
    assert again.get(store, ENDED, ended_print) == rows
    assert again.get(store, ENDED, [1, 0, 0, 0, 0, 0]) is None
    assert again.get(store, this_week, current_print) is None
