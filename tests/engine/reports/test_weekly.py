from datetime import timedelta

from engine.store.reviews import retract_latest
from engine.takes.reports.rejected import rejected_takes
from engine.takes.reports.weekly import GroupKey, weekly_report
from engine.takes.reports.weeks import IsoWeek

from .conftest import W47_MON

W47 = IsoWeek(2026, 47)
NBP10 = GroupKey("nbp", "nbp-model", "v1.0")
NBP11 = GroupKey("nbp", "nbp-model", "v1.1")


def test_a_take_counts_in_the_week_it_was_reviewed(store, desk):
    made_last_week = desk.take(at=W47_MON - timedelta(days=3))
    desk.review(made_last_week, False, tags=["anatomy_failure"], at=W47_MON + timedelta(days=1))
    reviewed_next_week = desk.take(at=W47_MON)
    desk.review(reviewed_next_week, True, at=W47_MON + timedelta(days=7, hours=1))
    desk.take(at=W47_MON)  # not reviewed yet

    report = weekly_report(store, W47)
    (nbp,) = report.groups
    assert (nbp.generated, nbp.reviewed, nbp.approved, nbp.rejected) == (2, 1, 0, 1)
    assert nbp.rejection_rate == 1.0
    assert "Reviewed in 2026-W47" in report.basis and "UTC" in report.basis

    w48 = weekly_report(store, W47.shifted(1)).group(NBP10)
    assert (w48.generated, w48.reviewed, w48.approved) == (0, 1, 1)


def test_only_the_last_standing_decision_of_the_week_counts(store, desk):
    changed_mind = desk.take()
    desk.review(changed_mind, False, tags=["style_lighting"], at=W47_MON + timedelta(hours=1))
    desk.review(changed_mind, True, at=W47_MON + timedelta(hours=2))
    undone = desk.take()
    desk.review(undone, False, tags=["camera_composition"], at=W47_MON + timedelta(hours=1))
    with store.write() as s:
        retract_latest(s, undone, reviewer="ana")

    g = weekly_report(store, W47).group(NBP10)
    assert (g.reviewed, g.approved, g.rejected) == (1, 1, 0)
    assert all(t.count == 0 for t in g.tags)


def test_a_take_rereviewed_later_keeps_its_first_weeks_figure(store, desk):
    take = desk.take()
    desk.review(take, False, tags=["anatomy_failure"], at=W47_MON + timedelta(hours=1))
    desk.review(take, True, at=W47_MON + timedelta(days=8))
    assert weekly_report(store, W47).group(NBP10).rejected == 1
    assert weekly_report(store, W47.shifted(1)).group(NBP10).approved == 1


def test_failed_generations_are_not_reviewed_takes(store, desk):
    broken = desk.take(failed=True)
    desk.review(broken, False, tags=["anatomy_failure"])
    desk.reviewed(approved=1)
    g = weekly_report(store, W47).group(NBP10)
    assert (g.generated, g.failed, g.reviewed, g.rejected) == (2, 1, 1, 0)


def test_groups_split_by_target_model_and_version_with_tags(store, desk):
    desk.reviewed("nbp", "v1.0", approved=2, rejected=2, tags=("anatomy_failure", "continuity_error"))
    desk.reviewed("nbp", "v1.1", approved=3, rejected=1, tags=("style_lighting",))
    desk.reviewed("kling_t2v", "v1.0", model="kling-v2", rejected=1, tags=("camera_composition",))
    report = weekly_report(store, W47)
    assert [g.key for g in report.groups] == [
        GroupKey("kling_t2v", "kling-v2", "v1.0"), NBP10, NBP11
    ]
    v10 = report.group(NBP10)
    assert {t.tag: t.count for t in v10.tags} == {
        "anatomy_failure": 2, "continuity_error": 2, "camera_composition": 0, "style_lighting": 0
    }
    assert report.group(NBP11).rejection_rate == 0.25
    assert report.tags == ("anatomy_failure", "continuity_error", "camera_composition", "style_lighting")


def test_the_newest_two_versions_are_compared_and_small_samples_are_inconclusive(store, desk):
    desk.reviewed("nbp", "v1.9", approved=5, rejected=5)
    desk.reviewed("nbp", "v1.10", approved=8, rejected=2)
    desk.reviewed("nbp", "v1.2", approved=1)
    (c,) = weekly_report(store, W47).comparisons
    assert c.a_label.startswith("nbp v1.9") and c.b_label.startswith("nbp v1.10")
    assert (c.a_rejected, c.a_reviewed, c.b_rejected, c.b_reviewed) == (5, 10, 2, 10)
    assert c.verdict == "inconclusive" and c.low < 0 < c.high


def test_trend_gives_each_versions_rate_week_by_week(store, desk):
    desk.reviewed("nbp", "v1.0", approved=1, rejected=3, at=W47_MON - timedelta(days=14))
    desk.reviewed("nbp", "v1.0", approved=3, rejected=1, at=W47_MON)
    desk.reviewed("nbp", "v1.1", approved=1, at=W47_MON)
    report = weekly_report(store, W47, trend_weeks=4)
    assert report.trend_weeks == ("2026-W44", "2026-W45", "2026-W46", "2026-W47")
    assert report.series(NBP10) == [None, 0.75, None, 0.25]
    assert report.series(NBP11) == [None, None, None, 0.0]


def test_an_empty_week(store):
    report = weekly_report(store, W47)
    assert report.groups == () and report.comparisons == () and report.trend == ()


def test_rejected_takes_carry_their_exact_prompts_page_by_page(store, desk):
    ids = [desk.take(prompt=f"a courier in the rain, take {i}\nsecond line") for i in range(5)]
    other = desk.take("nbp", "v1.1")
    for i, take in enumerate(ids):
        desk.review(take, i == 4, tags=[] if i == 4 else ["continuity_error"],
                    note="hands" if i == 0 else "", conflicts_with=other if i == 1 else None,
                    at=W47_MON + timedelta(hours=i + 1))
    first = rejected_takes(store, W47, NBP10, limit=3)
    assert first.total == 4 and len(first.takes) == 3 and first.next_after is not None
    assert first.takes[0].prompt == "a courier in the rain, take 0\nsecond line"
    assert first.takes[0].note == "hands" and first.takes[0].tags == ("continuity_error",)
    assert first.takes[1].conflicts_with == "EP01_SH006/take_001"
    assert first.takes[0].ref == "EP01_SH001/take_001"
    rest = rejected_takes(store, W47, NBP10, after=first.next_after, limit=3)
    assert [t.prompt.splitlines()[0] for t in rest.takes] == ["a courier in the rain, take 3"]
    assert rest.next_after is None
    assert rejected_takes(store, W47.shifted(1), NBP10).total == 0


def test_takes_without_target_or_version_are_a_group_of_their_own(store, desk):
    take = desk.take(target=None, version=None)
    desk.review(take, False, tags=["anatomy_failure"])
    report = weekly_report(store, W47)
    (g,) = report.groups
    assert g.key == GroupKey(None, "nbp-model", None)
    assert rejected_takes(store, W47, g.key).total == 1


def test_figures_of_an_ended_week_follow_late_decisions_and_undo(store, desk):
    from datetime import UTC, datetime

    week = IsoWeek(2025, 10)  # long over: its figures are kept between reports
    monday = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    first = desk.take(at=monday)
    desk.review(first, False, tags=["anatomy_failure"], at=monday + timedelta(hours=1))
    assert weekly_report(store, week).group(NBP10).rejected == 1
    late = desk.take(at=monday)
    desk.review(late, False, tags=["anatomy_failure"], at=monday + timedelta(days=2))  # an import
    assert weekly_report(store, week).group(NBP10).rejected == 2
    with store.write() as s:
        retract_latest(s, first, reviewer="ana")  # undone today, withdrawn from that week
    g = weekly_report(store, week).group(NBP10)
    assert (g.reviewed, g.rejected) == (1, 1)
    desk.review(desk.take(), True)  # a decision in another week leaves it as it was
    assert weekly_report(store, week).group(NBP10).reviewed == 1


def test_a_store_without_the_take_lookup_index_gives_the_same_report(store, desk):
    desk.reviewed("nbp", "v1.0", approved=2, rejected=1)
    desk.reviewed("nbp", "v1.1", rejected=2, tags=("style_lighting",))
    before = weekly_report(store, W47, trend_weeks=2)
    with store.engine.begin() as conn:  # as in a store upgraded before that index was added
        conn.exec_driver_sql("DROP INDEX ix_take_lookup")
    after = weekly_report(store, W47, trend_weeks=2)
    assert (after.groups, after.trend) == (before.groups, before.trend)
    assert rejected_takes(store, W47, NBP11).total == 2
