"""The weekly system-prompt review: per target, model and system-prompt version, how many
takes were reviewed this week, approved and rejected, why (rejection tags), how two versions
compare, and how each version's rejection rate moved week by week.

Which week a take belongs to: the week it was *reviewed*. For each week a take counts once,
with its last decision (approve or reject) made that week that was not undone, whatever week
it was generated in. A take re-reviewed in a later week also counts in that later week, with
that week's decision, so a week's figures do not change when someone reviews again later.
"Generated" is the other clock: takes created that week. Failed generations are never
counted as reviewed. Every count of every week (reviewed, rejected, per tag, generated,
failed, the reviewed takes' landed cost) is kept as takes, decisions and costs are written
(engine.store.review_weeks), so a report reads a few rows per week whatever the size of the
store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.store.models import utcnow
from engine.store.review_weeks import week_counts
from engine.takes.reports.intervals import RateDifference, compare_rates
from engine.takes.reports.review_figures import with_review_figures
from engine.takes.reports.weeks import IsoWeek, weeks_ending

DEFAULT_TREND_WEEKS = 8


class ReportCancelled(DailiesError):
    """The report was stopped before it finished."""


def basis_text(week: IsoWeek) -> str:
    return (
        f"Reviewed in {week} ({week.span()}, weeks in UTC): each take counts once, with its "
        "last decision of the week that was not undone, whatever week it was generated in; "
        "a take re-reviewed in a later week also counts there. Generated: takes created this "
        "week. Failed generations are not counted as reviewed. Rejection rate = rejected / "
        "reviewed."
    )


@dataclass(frozen=True, order=True)
class GroupKey:
    """One system-prompt profile (target), model and system-prompt version."""

    target: str | None
    model: str
    version: str | None

    @property
    def label(self) -> str:
        return f"{self.target or '(no target)'} {self.version or '(no version)'} on {self.model or '(no model)'}"

    @property
    def family(self) -> tuple[str | None, str]:
        """Versions of one family (same target and model) are compared with each other."""
        return (self.target, self.model)


@dataclass(frozen=True)
class TagCount:
    tag: str
    label: str
    count: int


@dataclass(frozen=True)
class GroupStats:
    key: GroupKey
    generated: int
    failed: int
    reviewed: int
    approved: int
    rejected: int
    tags: tuple[TagCount, ...]

    @property
    def rejection_rate(self) -> float | None:
        return self.rejected / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class TrendPoint:
    week: str
    key: GroupKey
    reviewed: int
    rejected: int

    @property
    def rejection_rate(self) -> float | None:
        return self.rejected / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class Column:
    """One column of the week's table: its heading and what its values are."""

    heading: str
    kind: str  # "key" (target, model, version) | "count" | "rate" | "tag" (rejections with one tag)
    tag: str | None = None


KEY_COLUMNS = (Column("Target", "key"), Column("Model", "key"), Column("Version", "key"))
COUNT_COLUMNS = tuple(Column(h, "count") for h in ("Generated", "Failed", "Reviewed", "Approved", "Rejected"))
RATE_COLUMN = Column("Rejection rate", "rate")


@dataclass(frozen=True)
class WeeklyReport:
    week: str
    starts: datetime
    ends: datetime
    basis: str
    tags: tuple[str, ...]  # the taxonomy, in its order
    tag_labels: tuple[str, ...]
    groups: tuple[GroupStats, ...]
    comparisons: tuple[RateDifference, ...]
    trend_weeks: tuple[str, ...]
    trend: tuple[TrendPoint, ...]
    made_at: datetime
    # Per-tag figures and reviewer agreement (engine.takes.reports.review_figures).
    tag_rates: tuple = ()  # VersionTagRates per reviewed version
    tag_comparisons: tuple = ()  # TagComparison per compared pair
    agreement: object | None = None  # Agreement of the week's second-review samples

    def group(self, key: GroupKey) -> GroupStats | None:
        return next((g for g in self.groups if g.key == key), None)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns of the week's table, one per figure of a line, tags last."""
        tags = tuple(Column(label, "tag", tag) for tag, label in zip(self.tags, self.tag_labels, strict=True))
        return (*KEY_COLUMNS, *COUNT_COLUMNS, RATE_COLUMN, *tags)

    def row(self, g: GroupStats) -> tuple:
        """The values of one line under `columns`: text, counts, the rate (None: nothing
        reviewed) and the rejections with each tag."""
        counts = {t.tag: t.count for t in g.tags}
        return (g.key.target, g.key.model, g.key.version, g.generated, g.failed, g.reviewed,
                g.approved, g.rejected, g.rejection_rate, *(counts.get(t, 0) for t in self.tags))

    def series(self, key: GroupKey) -> list[float | None]:
        """The rejection rate of one group for each trend week (None: nothing reviewed)."""
        points = {p.week: p for p in self.trend if p.key == key}
        return [points[w].rejection_rate if w in points else None for w in self.trend_weeks]


def version_order(version: str | None) -> tuple:
    """v1.2 < v1.10 < v2.0; text that is not a version sorts after, as text."""
    if not version:
        return (0, ())
    digits = version.lstrip("vV")
    parts = digits.split(".")
    if all(p.isdigit() for p in parts):
        return (1, tuple(int(p) for p in parts))
    return (2, (version,))


def _rows(session: Session, query: Select, cancel: Callable[[], bool] | None) -> list:
    if cancel and cancel():
        raise ReportCancelled("the weekly report was stopped")
    return list(session.execute(query))


def compare_groups(a: GroupStats, b: GroupStats) -> RateDifference:
    """B's rejection rate against A's, with Newcombe's 95 % interval on the difference."""
    return compare_rates(a.key.label, a.rejected, a.reviewed, b.key.label, b.rejected, b.reviewed)


def _default_comparisons(groups: list[GroupStats]) -> list[RateDifference]:
    """For each target and model reviewed under two or more versions: the newest version (B)
    against the one before it (A)."""
    families: dict[tuple, list[GroupStats]] = {}
    for g in groups:
        if g.reviewed:
            families.setdefault(g.key.family, []).append(g)
    out = []
    for family in sorted(families, key=lambda f: (f[0] or "", f[1])):
        members = sorted(families[family], key=lambda g: version_order(g.key.version))
        if len(members) >= 2:
            out.append(compare_groups(members[-2], members[-1]))
    return out


def weekly_report(
    store: Store,
    week: IsoWeek,
    *,
    trend_weeks: int = DEFAULT_TREND_WEEKS,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> WeeklyReport:
    """The weekly review of system-prompt versions for `week` (see the module text for which
    takes count in a week), with the rejection-rate trend of the `trend_weeks` weeks ending
    with it."""
    weeks = weeks_ending(week, max(1, trend_weeks))
    with store.read() as session:
        counted = _rows(session, week_counts(weeks), cancel)
    if progress:
        progress(1, 1)
    per_week: dict[str, list[tuple]] = {}
    tag_rows, generated_rows, costs = [], [], {}
    for w, target, model, version, tag, count, rejected, made, failed, landed in counted:
        if tag:
            if w == str(week) and rejected:
                tag_rows.append((target, model, version, tag, rejected))
            continue
        if count:
            per_week.setdefault(w, []).append((target, model, version, count, rejected))
        if w == str(week):
            if made:
                generated_rows.append((target, model, version, made, failed))
            if count:
                costs[(target, model, version)] = round(float(landed or 0), 6)
    config = review_config()
    labels = {t.tag: t.label for t in config.taxonomy}
    reviewed: dict[GroupKey, tuple[int, int]] = {}
    trend = []
    for w in weeks:
        for target, model, version, count, rejected in per_week.get(str(w), ()):
            key = GroupKey(target, model, version)
            trend.append(TrendPoint(str(w), key, int(count), int(rejected or 0)))
            if w == week:
                reviewed[key] = (int(count), int(rejected or 0))
    tags: dict[GroupKey, dict[str, int]] = {}
    for target, model, version, tag, count in tag_rows:
        tags.setdefault(GroupKey(target, model, version), {})[tag] = int(count)
    generated = {
        GroupKey(t, m, v): (int(c), int(f or 0)) for t, m, v, c, f in generated_rows
    }
    order = list(config.tags)
    groups = []
    for key in sorted(set(reviewed) | set(generated), key=_group_order):
        n, rejected = reviewed.get(key, (0, 0))
        made, failed = generated.get(key, (0, 0))
        counts = tags.get(key, {})
        extra = sorted(set(counts) - set(order))  # tags since removed from the taxonomy
        groups.append(
            GroupStats(
                key=key,
                generated=made,
                failed=failed,
                reviewed=n,
                approved=n - rejected,
                rejected=rejected,
                tags=tuple(TagCount(t, labels.get(t, t), counts.get(t, 0)) for t in order + extra),
            )
        )
    trend.sort(key=lambda p: (p.week, _group_order(p.key)))
    return with_review_figures(store, week, costs=costs, report=WeeklyReport(
        week=str(week),
        starts=week.starts,
        ends=week.ends,
        basis=basis_text(week),
        tags=tuple(order),
        tag_labels=tuple(labels[t] for t in order),
        groups=tuple(groups),
        comparisons=tuple(_default_comparisons(groups)),
        trend_weeks=tuple(str(w) for w in weeks),
        trend=tuple(trend),
        made_at=utcnow(),
    ))


def _group_order(key: GroupKey) -> tuple:
    return (key.target or "", key.model, version_order(key.version))
