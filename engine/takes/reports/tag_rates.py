"""Per-tag figures of the weekly review: for each system-prompt version, the share of its
reviewed takes rejected with each tag, with a Wilson 95 % interval; a warning where the
interval is too wide to read; cost per approved take; and the two versions the weekly review
compares, compared tag by tag as well as overall.

A tag's rejection rate is (takes whose standing rejection of the week carries the tag) /
(takes reviewed that week): a rejection with two tags counts under both, so the per-tag
rates of a version can add up to more than its overall rate.

Cost per approved take = landed cost of the version's takes reviewed this week (every cost
entry booked against those takes: generation and prompt enrichment, approved and rejected
alike) / the takes approved. It says what one usable take of that version really cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from engine.store.models import CostEntry
from engine.takes.reports.intervals import RateDifference, compare_rates, wilson
from engine.takes.reports.standing import standing_in, take_source
from engine.takes.reports.weeks import IsoWeek

# An interval wider than this (30 percentage points) is too wide to read: the sample is too
# small to say anything about the rate, and the figure carries a warning.
READABLE_WIDTH = 0.30


@dataclass(frozen=True)
class TagRate:
    """One rate with its Wilson 95 % interval (None where nothing was reviewed)."""

    tag: str  # "" for the overall rejection rate
    label: str
    rejected: int
    reviewed: int
    rate: float | None
    low: float | None
    high: float | None
    warning: str | None  # why the figure cannot be read, or None

    @property
    def too_wide(self) -> bool:
        return self.warning is not None


@dataclass(frozen=True)
class VersionTagRates:
    target: str | None
    model: str
    version: str | None
    label: str
    reviewed: int
    approved: int
    landed_cost: float
    cost_per_approved: float | None  # None: nothing approved
    overall: TagRate
    tags: tuple[TagRate, ...]

    def tag(self, tag: str) -> TagRate | None:
        return next((t for t in self.tags if t.tag == tag), None)


@dataclass(frozen=True)
class TagComparison:
    """Version B against version A, overall and for each tag (B's rate minus A's)."""

    a_label: str
    b_label: str
    overall: RateDifference
    tags: tuple[tuple[str, str, RateDifference], ...]  # (tag, label, difference)


def tag_rate(tag: str, label: str, rejected: int, reviewed: int) -> TagRate:
    if reviewed <= 0:
        return TagRate(tag, label, rejected, 0, None, None, None, "nothing reviewed")
    low, high = wilson(rejected, reviewed)
    warning = None
    if high - low > READABLE_WIDTH:
        warning = (
            f"only {reviewed} reviewed: the 95% interval {low * 100:.0f}% to {high * 100:.0f}% "
            f"is too wide to read"
        )
    return TagRate(tag, label, rejected, reviewed, rejected / reviewed, low, high, warning)


def landed_costs(session: Session, week: IsoWeek) -> dict[tuple, float]:
    """(target, model, version) -> the landed cost of the takes reviewed in `week`, worked out
    from the history (the weekly counts keep the same figure as decisions and costs are
    written, and the report reads it from there; this is their check). Takes' groups come from the narrow lookup index and amounts from the (take, amount) index, so
    neither the large take rows nor the cost rows are read."""
    reviewed = standing_in(week).subquery("reviewed")
    take = take_source(session)
    query = (
        select(take.c.target, take.c.model, take.c.system_prompt_version, func.sum(CostEntry.amount))
        .select_from(reviewed)
        .join(take, take.c.id == reviewed.c.take_id)
        .join(CostEntry, CostEntry.take_id == reviewed.c.take_id)
        .where(take.c.failed == false())
        .group_by(take.c.target, take.c.model, take.c.system_prompt_version)
    )
    return {(t, m, v): round(float(a or 0), 6) for t, m, v, a in session.execute(query)}


def version_rates(group, costs: dict[tuple, float]) -> VersionTagRates:
    """The per-tag figures of one line of the weekly review (a GroupStats)."""
    key = group.key
    landed = costs.get((key.target, key.model, key.version), 0.0)
    return VersionTagRates(
        target=key.target,
        model=key.model,
        version=key.version,
        label=key.label,
        reviewed=group.reviewed,
        approved=group.approved,
        landed_cost=landed,
        cost_per_approved=landed / group.approved if group.approved else None,
        overall=tag_rate("", "all rejections", group.rejected, group.reviewed),
        tags=tuple(tag_rate(t.tag, t.label, t.count, group.reviewed) for t in group.tags),
    )


def compare_tags(a, b) -> TagComparison:
    """B against A (two GroupStats), overall and tag by tag, each with Newcombe's interval."""
    a_counts = {t.tag: t.count for t in a.tags}
    b_counts = {t.tag: t.count for t in b.tags}
    tags = list(a.tags) + [t for t in b.tags if t.tag not in a_counts]
    return TagComparison(
        a_label=a.key.label,
        b_label=b.key.label,
        overall=compare_rates(a.key.label, a.rejected, a.reviewed, b.key.label, b.rejected, b.reviewed),
        tags=tuple(
            (t.tag, t.label, compare_rates(a.key.label, a_counts.get(t.tag, 0), a.reviewed,
                                           b.key.label, b_counts.get(t.tag, 0), b.reviewed))
            for t in tags
        ),
    )


def tag_figures(groups, comparisons, costs: dict[tuple, float]) -> tuple[tuple, tuple]:
    """(per-version tag rates, per-tag comparisons) for a weekly report's groups and the
    pairs its comparisons name; `costs`: each group's landed cost of the week, as the
    weekly counts keep it (landed_costs works the same out from the history)."""
    rates = tuple(version_rates(g, costs) for g in groups if g.reviewed)
    by_label = {g.key.label: g for g in groups}
    pairs = tuple(
        compare_tags(by_label[c.a_label], by_label[c.b_label])
        for c in comparisons
        if c.a_label in by_label and c.b_label in by_label
    )
    return rates, pairs
