"""Per-tag rejection rates with Wilson intervals, cost per approved take and the per-tag
comparison of two versions, against figures worked out by hand, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from engine.store.costs import add_cost
from engine.store.reviews import add_decision
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take
from engine.takes.reports.export import csv_text, report_dict
from engine.takes.reports.weekly import GroupKey, weekly_report
from engine.takes.reports.weeks import IsoWeek

from .conftest import W47_MON

W47 = IsoWeek(2026, 47)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request):
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def _week(store) -> None:
    """nbp v1.0: 40 reviewed, 4 rejected for anatomy (2 of them for lighting too);
    nbp v1.1: 10 reviewed, 3 rejected for camera. Each reviewed take cost 0.05 to make and
    0.01 to enrich; one take reviewed the week before costs 9 and is not this week's."""
    at = W47_MON + timedelta(hours=1)
    lines = [("v1.0", ("anatomy_failure", "style_lighting"))] * 2 + [("v1.0", ("anatomy_failure",))] * 2
    lines += [("v1.0", ())] * 36 + [("v1.1", ("camera_composition",))] * 3 + [("v1.1", ())] * 7
    with store.write() as s:
        for n, (version, tags) in enumerate(lines + [("v1.1", None)], start=1):
            code = f"EP01_SH{n:03d}"
            add_shot(s, episode="EP01", code=code)
            when = at if tags is not None else W47_MON - timedelta(days=7)
            take = append_take(s, NewTake(shot=code, model="nbp-model", pipeline="keyframe", target="nbp",
                                          system_prompt_version=version, seed=n, created_at=when))
            add_decision(s, take.id, reviewer="ana", approve=not tags, tags=tags or (), at=when)
            if tags is None:
                add_cost(s, pass_type="generation", amount=9.0, take_id=take.id)
            else:
                add_cost(s, pass_type="generation", amount=0.05, take_id=take.id)
                add_cost(s, pass_type="prompt_enrichment", amount=0.01, take_id=take.id)


def test_per_tag_rates_intervals_and_cost_by_hand(any_store):
    _week(any_store)
    report = weekly_report(any_store, W47)
    v10, v11 = report.tag_rates
    assert (v10.version, v10.reviewed, v10.approved) == ("v1.0", 40, 36)
    anatomy = v10.tag("anatomy_failure")
    # 4 of 40: p = 0.1; Wilson centre (0.1 + z²/80) / (1 + z²/40), half-width as by hand.
    assert (anatomy.rejected, anatomy.rate) == (4, 0.1)
    assert anatomy.low == pytest.approx(0.03958, abs=1e-5)
    assert anatomy.high == pytest.approx(0.23052, abs=1e-5)
    assert anatomy.warning is None  # 19 points wide: readable
    lighting = v10.tag("style_lighting")
    assert (lighting.rejected, lighting.rate) == (2, 0.05)
    assert v10.tag("camera_composition").rejected == 0
    assert v10.tag("camera_composition").low == 0.0
    camera = v11.tag("camera_composition")
    # 3 of 10: Wilson 10.78% to 60.32%, 49 points wide: too wide to read.
    assert camera.low == pytest.approx(0.10779, abs=1e-5)
    assert camera.high == pytest.approx(0.60322, abs=1e-5)
    assert camera.too_wide and "only 10 reviewed" in camera.warning
    # 40 takes at 0.06 each, 36 approved: 2.4 / 36; the take reviewed the week before is not counted.
    assert v10.landed_cost == pytest.approx(2.4)
    assert v10.cost_per_approved == pytest.approx(2.4 / 36)
    assert v11.cost_per_approved == pytest.approx(0.6 / 7)


def test_two_versions_compared_tag_by_tag_and_exported(store):
    _week(store)
    report = weekly_report(store, W47)
    (pair,) = report.tag_comparisons
    assert (pair.a_label, pair.b_label) == (GroupKey("nbp", "nbp-model", "v1.0").label,
                                            GroupKey("nbp", "nbp-model", "v1.1").label)
    assert pair.overall.difference == pytest.approx(0.3 - 0.1)
    by_tag = {tag: d for tag, _, d in pair.tags}
    assert by_tag["anatomy_failure"].difference == pytest.approx(0.0 - 0.1)
    assert by_tag["camera_composition"].difference == pytest.approx(0.3)
    # 3/10 against 0/40: Newcombe's interval lies above 0, B is rejected more for camera.
    assert by_tag["camera_composition"].verdict == "B rejects more"
    assert by_tag["anatomy_failure"].verdict == "inconclusive"
    # and the exports carry the same figures
    data = report_dict(report)
    rates = {r["version"]: r for r in data["tag_rates"]}
    camera = next(t for t in rates["v1.1"]["tags"] if t["tag"] == "camera_composition")
    assert camera["rate"] == 0.3 and camera["warning"]
    assert data["tag_comparisons"][0]["b_label"].startswith("nbp v1.1")
    header, first, *_ = csv_text(report).splitlines()
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    assert cells["rate_anatomy_failure"] == "0.1000" and cells["cost_per_approved"] == "0.066667"
