"""The weekly review gives the same figures on PostgreSQL as on SQLite for the same reviews."""

from dataclasses import asdict
from datetime import timedelta

from engine.store.reviews import retract_latest
from engine.takes.reports.export import export_report, report_dict
from engine.takes.reports.rejected import rejected_first_pages, rejected_takes
from engine.takes.reports.weekly import GroupKey, weekly_report
from engine.takes.reports.weeks import IsoWeek

from .conftest import W47_MON, Desk

W47 = IsoWeek(2026, 47)
NBP10 = GroupKey("nbp", "nbp-model", "v1.0")


def _reviews(store) -> None:
    """Three weeks of reviews with every case the rule of the week has to handle."""
    desk = Desk(store)
    w45 = W47_MON - timedelta(days=14)
    desk.reviewed("nbp", "v1.0", approved=3, rejected=2, at=w45, tags=("anatomy_failure", "style_lighting"))
    desk.reviewed("nbp", "v1.1", approved=4, rejected=1, at=w45)
    desk.reviewed("nbp", "v1.0", approved=5, rejected=3, tags=("continuity_error",))
    desk.reviewed("nbp", "v1.1", approved=6, rejected=1, tags=("camera_composition",))
    desk.reviewed("kling_t2v", "v1.0", model="kling-v2.1", approved=2, rejected=2, at=w45 + timedelta(days=7))
    desk.reviewed(None, None, model="seedance", rejected=1)
    changed_mind = desk.take()
    desk.review(changed_mind, False, tags=["anatomy_failure"], at=W47_MON + timedelta(hours=3))
    desk.review(changed_mind, True, at=W47_MON + timedelta(hours=4))
    undone = desk.take(at=w45)
    desk.review(undone, False, tags=["anatomy_failure"], at=w45 + timedelta(hours=2))
    with store.write() as s:
        retract_latest(s, undone, reviewer="ana")
    again_later = desk.take(at=w45)
    desk.review(again_later, False, tags=["style_lighting"], at=w45 + timedelta(hours=5))
    desk.review(again_later, True, at=W47_MON + timedelta(hours=6))
    broken = desk.take(failed=True)
    desk.review(broken, False, tags=["anatomy_failure"])
    other = desk.take("nbp", "v1.1")
    conflicting = desk.take(prompt="a courier crosses the market\nat dusk")
    desk.review(conflicting, False, tags=["continuity_error"], note="coat changes colour",
                conflicts_with=other, at=W47_MON + timedelta(hours=7))


def _comparable(report) -> dict:
    data = report_dict(report)
    data.pop("made_at")
    return data


def _page_rows(page) -> list[tuple]:
    return [(t.ref, t.prompt, t.tags, t.note, t.conflicts_with, t.seed, t.reviewer, t.model,
             t.target, t.system_prompt_version) for t in page.takes]


def test_the_same_reviews_give_the_same_report_on_both_stores(store, pg_store, tmp_path):
    _reviews(store)
    _reviews(pg_store)
    reports = [weekly_report(s, W47, trend_weeks=4) for s in (store, pg_store)]
    assert _comparable(reports[0]) == _comparable(reports[1])
    v10 = reports[1].group(NBP10)
    assert (v10.generated, v10.failed, v10.reviewed, v10.approved, v10.rejected) == (11, 1, 11, 7, 4)
    assert reports[1].series(NBP10) == [None, 3 / 6, None, 4 / 11]
    assert {t.tag: t.count for t in v10.tags}["continuity_error"] == 4
    assert GroupKey(None, "seedance", None) in {g.key for g in reports[1].groups}

    for g in reports[0].groups:
        pages = [rejected_takes(s, W47, g.key, limit=2) for s in (store, pg_store)]
        assert pages[0].total == pages[1].total == g.rejected
        assert _page_rows(pages[0]) == _page_rows(pages[1])
    firsts = [rejected_first_pages(s, W47, limit=2) for s in (store, pg_store)]
    assert firsts[0].keys() == firsts[1].keys()
    for key, page in firsts[0].items():
        assert (page.total, _page_rows(page)) == (firsts[1][key].total, _page_rows(firsts[1][key]))
    conflict = next(t for t in rejected_takes(pg_store, W47, NBP10).takes if t.conflicts_with)
    assert conflict.prompt == "a courier crosses the market\nat dusk" and conflict.note == "coat changes colour"

    pages = [export_report(s, r, tmp_path / f"{i}.html").read_text(encoding="utf-8")
             for i, (s, r) in enumerate(zip((store, pg_store), reports, strict=True))]
    assert pages[0].split("</div>", 1)[1] == pages[1].split("</div>", 1)[1]  # all but the time it was made
    assert asdict(reports[0].comparisons[0]) == asdict(reports[1].comparisons[0])
