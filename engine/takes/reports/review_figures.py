"""The weekly review's per-tag figures and reviewer agreement, added to a finished report."""

from __future__ import annotations

from dataclasses import replace

from engine.store.db import Store
from engine.takes.reports.agreement import week_agreement
from engine.takes.reports.standing import report_reading
from engine.takes.reports.tag_rates import tag_figures
from engine.takes.reports.weeks import IsoWeek


def with_review_figures(store: Store, week: IsoWeek, report, costs: dict[tuple, float]):
    """`report` (a WeeklyReport) with its per-tag rates, per-tag comparisons and the
    agreement of the week's second-review samples. `costs`: the week's landed cost of each
    group, as the weekly counts keep it."""
    rates, pairs = tag_figures(report.groups, report.comparisons, costs)
    with store.read() as session, report_reading(session):
        agreement = week_agreement(session, week)
    return replace(report, tag_rates=rates, tag_comparisons=pairs, agreement=agreement)
