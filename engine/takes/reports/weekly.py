"""The weekly system-prompt review: per target, model and system-prompt version, how many
takes were reviewed this week, approved and rejected, why (rejection tags), how two versions
compare, and how each version's rejection rate moved week by week.

Which week a take belongs to: the week it was *reviewed*. For each week a take counts once,
with its last decision (approve or reject) made that week that was not undone, whatever week
it was generated in. A take re-reviewed in a later week also counts in that later week, with
that week's decision, so a week's figures do not change when someone reviews again later.
"Generated" is the other clock: takes created that week. Failed generations are never
counted as reviewed. Every figure is aggregated by the database (GROUP BY), not in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Float,
    Select,
    String,
    case,
    cast,
    false,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.store.models import CostEntry, ReviewTag, Take, utcnow
from engine.takes.reports.intervals import RateDifference, compare_rates
from engine.takes.reports.review_figures import with_review_figures
from engine.takes.reports.standing import report_reading, standing_in, take_source, weeks_query
from engine.takes.reports.week_cache import WeekCache, fingerprints
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


_CACHE = WeekCache()


def _count_weeks(session: Session, weeks: list[IsoWeek], cancel: Callable[[], bool] | None) -> dict:
    found: dict[IsoWeek, list[tuple]] = {w: [] for w in weeks}
    query = weeks_query(weeks, take_source(session))
    for bucket, target, model, version, count, rejected in _rows(session, query, cancel):
        found[weeks[int(bucket)]].append((target, model, version, int(count), int(rejected or 0)))
    return found


def _count_weeks_apart(store: Store, weeks: list[IsoWeek], cancel: Callable[[], bool] | None) -> dict:
    with store.read() as session, report_reading(session):
        return _count_weeks(session, weeks, cancel)


def weeks_figures(
    session: Session, store: Store, weeks: list[IsoWeek], cancel: Callable[[], bool] | None = None,
    own: tuple[IsoWeek, Callable[[], list[tuple]]] | None = None,
) -> list[list[tuple]]:
    """(target, model, version, reviewed, rejected) of each group reviewed in each of `weeks`.
    Ended weeks counted before are reused while their fingerprint still matches; the others
    are counted in grouped queries, half of them on a second connection at the same time
    when there are several (a report is mostly waiting on the database). `own`: a week the
    caller counts itself (with what else it reads of that week), and how; it is counted on
    this session after the fingerprints are read, and kept like the others."""
    now = utcnow()
    ended = [w for w in weeks if w.ends <= now]
    prints = dict(zip(ended, fingerprints(session, ended), strict=True))
    figures: dict[IsoWeek, list[tuple] | None] = {
        w: _CACHE.get(store, w, prints[w]) for w in ended if own is None or w != own[0]
    }
    missing = [w for w in weeks if figures.get(w) is None and (own is None or w != own[0])]
    found: dict[IsoWeek, list[tuple]] = {}
    # The second connection starts reading only now, after the fingerprints were read, so
    # what it counts is never older than the fingerprint kept beside it.
    apart = missing[: len(missing) // 2]
    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(_count_weeks_apart, store, apart, cancel) if apart else None
        if own is not None:
            found[own[0]] = own[1]()
        if missing[len(apart):]:
            found.update(_count_weeks(session, missing[len(apart):], cancel))
        if other is not None:
            found.update(other.result())
    figures.update(found)
    _CACHE.put(store, {w: (prints[w], rows) for w, rows in found.items() if w in prints})
    return [figures.get(w) or [] for w in weeks]


def _week_query(week: IsoWeek, take) -> Select:
    """Everything the report reads of its own week's standing decisions, in one pass: each
    take's standing decision is found once (a CTE), then per group (kind 0) reviewed and
    rejected, (kind 1) rejections per tag, (kind 2) landed cost (tag_rates.landed_costs)."""
    standing = standing_in(week).subquery("standing")
    cells = (
        select(standing.c.take_id, standing.c.code, take.c.target, take.c.model,
               take.c.system_prompt_version.label("version"))
        .select_from(standing)
        .join(take, take.c.id == standing.c.take_id)
        .where(take.c.failed == false())
        .cte("cells")
        .prefix_with("MATERIALIZED")
    )
    group = (cells.c.target, cells.c.model, cells.c.version)
    no_tag, no_amount, zero = cast(null(), String), cast(null(), Float), literal_column("0")
    counts = select(literal_column("0"), *group, no_tag, func.count(), func.sum(cells.c.code % 2), no_amount)
    tags = (
        select(literal_column("1"), *group, ReviewTag.tag, func.count(), zero, no_amount)
        .join(ReviewTag, ReviewTag.decision_id == cells.c.code // 2)
        .where(cells.c.code % 2 == 1)
    )
    costs = (
        select(literal_column("2"), *group, no_tag, zero, zero, func.sum(CostEntry.amount))
        .join(CostEntry, CostEntry.take_id == cells.c.take_id)
    )
    return union_all(
        counts.select_from(cells).group_by(*group),
        tags.select_from(cells).group_by(*group, ReviewTag.tag),
        costs.select_from(cells).group_by(*group),
    )


def _generated_query(week: IsoWeek) -> Select:
    failed = func.sum(case((Take.failed == false(), 0), else_=1))
    return (
        select(Take.target, Take.model, Take.system_prompt_version, func.count(), failed)
        .where(Take.created_at >= week.starts, Take.created_at < week.ends)
        .group_by(Take.target, Take.model, Take.system_prompt_version)
    )


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
    steps = len(weeks) + 2
    own: list = []

    with store.read() as session, report_reading(session):

        def count_own_week() -> list[tuple]:
            own.extend(_rows(session, _week_query(week, take_source(session)), cancel))
            return [(t, m, v, int(n), int(r or 0)) for kind, t, m, v, _, n, r, _ in own if int(kind) == 0]

        per_week = weeks_figures(session, store, weeks, cancel, own=(week, count_own_week))
        if progress:
            progress(steps - 1, steps)
        generated_rows = _rows(session, _generated_query(week), cancel)
        if progress:
            progress(steps, steps)
    tag_rows = [(t, m, v, tag, n) for kind, t, m, v, tag, n, _, _ in own if int(kind) == 1]
    costs = {(t, m, v): round(float(a or 0), 6) for kind, t, m, v, _, _, _, a in own if int(kind) == 2}
    config = review_config()
    labels = {t.tag: t.label for t in config.taxonomy}
    reviewed: dict[GroupKey, tuple[int, int]] = {}
    trend = []
    for w, rows in zip(weeks, per_week, strict=True):
        for target, model, version, count, rejected in rows:
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
