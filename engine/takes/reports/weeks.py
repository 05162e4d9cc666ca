"""The weeks the weekly review reads: ISO weeks (engine.core.weeks), and which week it opens on."""

from __future__ import annotations

from engine.core.weeks import IsoWeek, WeekError, parse_week, weeks_ending

__all__ = ["IsoWeek", "WeekError", "default_week", "latest_week_with_reviews", "parse_week", "weeks_ending"]


def latest_week_with_reviews(session) -> IsoWeek | None:
    """The newest ISO week holding an approval or rejection no retraction has withdrawn (what
    the weekly review opens on when no week is asked for); None for a store without any."""
    from sqlalchemy import func, select

    from engine.store.models import ReviewDecision

    withdrawn = select(ReviewDecision.retracts_id).where(ReviewDecision.retracts_id.is_not(None))
    newest = session.scalar(
        select(func.max(ReviewDecision.created_at)).where(
            ReviewDecision.action.in_(("approve", "reject")), ReviewDecision.id.not_in(withdrawn)
        )
    )
    return IsoWeek.of(newest) if newest is not None else None


def default_week(session) -> tuple[IsoWeek, str]:
    """The week to open on when none is given, and the sentence that says which it is."""
    latest = latest_week_with_reviews(session)
    if latest is None:
        week = IsoWeek.current()
        return week, f"no reviews yet: showing this week, {week}"
    return latest, f"latest week with reviews: {latest}"
