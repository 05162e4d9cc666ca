"""Do the reviewers agree? A seeded sample of a week's reviewed takes is marked for a second,
blind review (the desk hides the first decision from anyone but its author); the weekly
review then gives Cohen's kappa between the first and the second decision, overall (approve
or reject) and for each tag (rejected with that tag or not), and lists the disagreements.

The first decision is the take's standing decision of the week when the sample was marked.
The second is the first approve or reject, not withdrawn, recorded on the take after the
sample was marked by someone other than the first reviewer. Kappa's 95 % interval uses
Cohen's (1960) large-sample standard error, sqrt(po (1 - po) / (n (1 - pe)^2)).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from engine.core.errors import DailiesError
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.store.models import ReviewDecision, ReviewTag, Shot, Take, utcnow
from engine.store.supervisor_models import ReviewSample, ReviewSampleTake
from engine.store.takes import take_ref
from engine.takes.reports.intervals import Z95
from engine.takes.reports.standing import standing_in
from engine.takes.reports.weeks import IsoWeek

if TYPE_CHECKING:
    from engine.store.reviews import StandingDecision


@dataclass(frozen=True)
class Kappa:
    n: int
    agreed: int
    observed: float | None  # po
    expected: float | None  # pe, agreement by chance
    kappa: float | None
    low: float | None
    high: float | None
    note: str  # how to read it, or why there is no figure


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]], z: float = Z95) -> Kappa:
    """Cohen's kappa of two raters over `pairs` (first rating, second rating)."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return Kappa(0, 0, None, None, None, None, None, "no take has had its second review yet")
    agreed = sum(1 for a, b in pairs if a == b)
    po = agreed / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(first[c] * second[c] for c in first) / (n * n)
    if pe >= 1.0:
        return Kappa(n, agreed, po, pe, None, None, None,
                     "both reviewers put every take in the same class: kappa is undefined")
    kappa = (po - pe) / (1 - pe)
    se = math.sqrt(po * (1 - po) / (n * (1 - pe) ** 2))
    low, high = max(-1.0, kappa - z * se), min(1.0, kappa + z * se)
    return Kappa(n, agreed, po, pe, kappa, low, high, _reading(kappa, low, high, n))


def _reading(kappa: float, low: float, high: float, n: int) -> str:
    words = ("no agreement beyond chance" if kappa <= 0 else "slight" if kappa <= 0.2 else "fair"
             if kappa <= 0.4 else "moderate" if kappa <= 0.6 else "substantial" if kappa <= 0.8
             else "almost perfect")
    wide = "; too few takes to read" if high - low > 0.5 else ""
    return f"{words} agreement (kappa {kappa:.2f}, 95% interval {low:.2f} to {high:.2f}, {n} takes){wide}"


@dataclass(frozen=True)
class SampleResult:
    sample_id: int
    week: str
    seed: int
    fraction: float
    population: int
    take_ids: tuple[int, ...]


def mark_sample(
    store: Store, week: IsoWeek, fraction: float, *, seed: int | None = None, made_by: str = "",
    at: datetime | None = None,
) -> SampleResult:
    """Mark a seeded sample of `week`'s reviewed takes (each take's standing decision of the
    week) for a second blind review; takes already sampled for the week are left out. The
    same store, week, fraction and seed pick the same takes."""
    if not 0 < fraction <= 1:
        raise DailiesError(f"--fraction {fraction}: give a share of the week's reviewed takes above 0 and at most 1")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    with store.write() as s:
        taken = set(s.scalars(
            select(ReviewSampleTake.take_id)
            .join(ReviewSample, ReviewSample.id == ReviewSampleTake.sample_id)
            .where(ReviewSample.week == str(week))
        ))
        standing = standing_in(week).subquery()
        rows = s.execute(
            select(standing.c.take_id, standing.c.code)
            .join(Take, Take.id == standing.c.take_id)
            .where(Take.failed == false())
            .order_by(standing.c.take_id)
        ).all()
        population = [(int(t), int(code) // 2) for t, code in rows if int(t) not in taken]
        if not population:
            more = " not already sampled" if taken else ""
            raise DailiesError(f"week {week} has no reviewed takes{more} to sample")
        size = max(1, round(fraction * len(population)))
        chosen = sorted(random.Random(seed).sample(population, size))
        sample = ReviewSample(week=str(week), fraction=fraction, seed=seed, population=len(population),
                              made_by=made_by, made_at=at or utcnow())
        s.add(sample)
        s.flush()
        s.add_all(ReviewSampleTake(sample_id=sample.id, take_id=t, first_decision_id=d) for t, d in chosen)
        s.flush()
        return SampleResult(sample.id, str(week), seed, fraction, len(population), tuple(t for t, _ in chosen))


def _withdrawn(session: Session, take_ids: Sequence[int]) -> set[int]:
    return set(session.scalars(
        select(ReviewDecision.retracts_id).where(
            ReviewDecision.take_id.in_(take_ids), ReviewDecision.retracts_id.is_not(None))
    ))


def blind_take_ids(session: Session, take_ids: Sequence[int], reviewer: str) -> set[int]:
    """Which of `take_ids` are blind for `reviewer`: sampled for a second review, first
    decided by someone else, and not yet given `reviewer`'s own second opinion. The desk
    hides the first decision of these takes (who, verdict, tags, note)."""
    ids = list(take_ids)
    if not ids:
        return set()
    marked = session.execute(
        select(ReviewSampleTake.take_id, ReviewDecision.reviewer, ReviewSample.made_at)
        .join(ReviewSample, ReviewSample.id == ReviewSampleTake.sample_id)
        .join(ReviewDecision, ReviewDecision.id == ReviewSampleTake.first_decision_id)
        .where(ReviewSampleTake.take_id.in_(ids))
    ).all()
    candidates = {t: made for t, first, made in marked if first != reviewer}
    if not candidates:
        return set()
    withdrawn = _withdrawn(session, list(candidates))
    answered = {
        t for d, t, at in session.execute(
            select(ReviewDecision.id, ReviewDecision.take_id, ReviewDecision.created_at).where(
                ReviewDecision.take_id.in_(list(candidates)), ReviewDecision.reviewer == reviewer,
                ReviewDecision.action.in_(("approve", "reject")))
        ) if d not in withdrawn and at >= candidates[t]
    }
    return set(candidates) - answered


def is_blind(session: Session, take_id: int, reviewer: str) -> bool:
    """Is the first decision of this take hidden from `reviewer` (see blind_take_ids)?"""
    return take_id in blind_take_ids(session, [take_id], reviewer)


@dataclass(frozen=True)
class Verdict:
    reviewer: str
    action: str  # approve | reject
    tags: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Disagreement:
    take_id: int
    take: str  # SHOT/take_NNN
    first: Verdict
    second: Verdict


@dataclass(frozen=True)
class Agreement:
    week: str
    sampled: int
    second_reviewed: int
    overall: Kappa  # approve against reject
    tags: tuple[tuple[str, str, Kappa], ...]  # (tag, label, kappa of "rejected with it")
    disagreements: tuple[Disagreement, ...]


def _refs(session: Session, take_ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(Take.id, Shot.code, Take.number).join(Shot, Shot.id == Take.shot_id)
                           .where(Take.id.in_(take_ids))) if take_ids else ()
    return {t: take_ref(code, number) for t, code, number in rows}


def week_agreement(session: Session, week: IsoWeek) -> Agreement | None:
    """The agreement of the samples marked for `week`, or None when none was marked."""
    sampled = (
        select(ReviewSampleTake.take_id, ReviewSampleTake.first_decision_id, ReviewSample.made_at)
        .join(ReviewSample, ReviewSample.id == ReviewSampleTake.sample_id)
        .where(ReviewSample.week == str(week))
        .subquery("sampled")
    )
    # Core statements on the session's connection: the rows are plain columns, and the ORM's
    # result handling cost more than the queries.
    conn = session.connection()
    marked = conn.execute(select(sampled).order_by(sampled.c.take_id)).all()
    if not marked:
        return None
    # Every decision on the sampled takes, read by joining the sample (no long id lists).
    on_sampled = ReviewDecision.take_id == sampled.c.take_id
    withdrawn = set(conn.scalars(
        select(ReviewDecision.retracts_id).join(sampled, on_sampled).where(ReviewDecision.retracts_id.is_not(None))
    ))
    decided = select(ReviewDecision.id).join(sampled, on_sampled).where(
        ReviewDecision.action.in_(("approve", "reject")))
    tags: dict[int, list[str]] = {}
    for did, tag in conn.execute(
        select(ReviewTag.decision_id, ReviewTag.tag).where(ReviewTag.decision_id.in_(decided)).order_by(ReviewTag.tag)
    ):
        tags.setdefault(did, []).append(tag)
    verdicts: dict[int, tuple[int, datetime, Verdict]] = {}
    for did, take_id, who, at, action, note in conn.execute(
        select(ReviewDecision.id, ReviewDecision.take_id, ReviewDecision.reviewer, ReviewDecision.created_at,
               ReviewDecision.action, ReviewDecision.note)
        .join(sampled, on_sampled)
        .where(ReviewDecision.action.in_(("approve", "reject")))
        .order_by(ReviewDecision.id)
    ):
        verdicts[did] = (take_id, at, Verdict(who, action, tuple(tags.get(did, ())), note or ""))
    made_at = {t: m for t, _, m in marked}
    firsts = {t: verdicts[d][2] for t, d, _ in marked}
    seconds: dict[int, Verdict] = {}
    for did, (take_id, at, v) in verdicts.items():  # in id order: the earliest qualifying one wins
        if (take_id not in seconds and did not in withdrawn and at >= made_at[take_id]
                and v.reviewer != firsts[take_id].reviewer):
            seconds[take_id] = v
    pairs = [(t, firsts[t], seconds[t]) for t, _, _ in marked if t in seconds]
    differ = [(t, a, b) for t, a, b in pairs if a.action != b.action or set(a.tags) != set(b.tags)]
    refs = _refs(session, [t for t, _, _ in differ])
    config = review_config()
    used = sorted({t for _, a, b in pairs for t in a.tags + b.tags} - set(config.tags))
    labels = {t.tag: t.label for t in config.taxonomy}
    tags = tuple(
        (tag, labels.get(tag, tag), cohen_kappa((tag in a.tags, tag in b.tags) for _, a, b in pairs))
        for tag in list(config.tags) + used
    )
    return Agreement(
        week=str(week),
        sampled=len(marked),
        second_reviewed=len(pairs),
        overall=cohen_kappa((a.action, b.action) for _, a, b in pairs),
        tags=tags,
        disagreements=tuple(Disagreement(t, refs[t], a, b) for t, a, b in differ),
    )


def standing_as_seen_by(session: Session, take_ids: Sequence[int], reviewer: str) -> dict[int, StandingDecision]:
    """Each take's standing decision as `reviewer` may see it: a take blind for them (in a
    second-review sample, first decided by someone else) shows no decision, only that it is
    blind and how many decisions it has had."""
    from engine.store.reviews import standing_decisions  # the desk's, not the weekly report's

    standing = standing_decisions(session, take_ids)
    for take_id in blind_take_ids(session, list(standing), reviewer):
        standing[take_id] = replace(standing[take_id], decision=None, blind=True)
    return standing
