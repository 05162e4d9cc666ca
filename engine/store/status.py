"""A take's review status, derived from its decision history.

The effective decision of a take is its latest approve or reject that no later retraction
has withdrawn. Nothing stores the status itself, so it can never drift from the history.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import aliased

from engine.store.models import ReviewDecision

# A take's review status, as every part of the product names it.
PENDING, APPROVED, REJECTED, FAILED = "pending_review", "approved", "rejected", "failed"
TAKE_STATUSES = (PENDING, APPROVED, REJECTED, FAILED)
DECIDED = {"approve": APPROVED, "reject": REJECTED}


def decided_status(approve: bool) -> str:
    """The status a decision gives its take."""
    return APPROVED if approve else REJECTED
CHUNK = 900  # stays under SQLite's bound-parameter limit


def effective_decisions() -> Select:
    """(take_id, decision_id) of each take's effective decision, as a subquery source."""
    retraction = aliased(ReviewDecision)
    return (
        select(ReviewDecision.take_id, func.max(ReviewDecision.id).label("decision_id"))
        .where(
            ReviewDecision.action.in_(tuple(DECIDED)),
            ~exists().where(and_(retraction.retracts_id == ReviewDecision.id)),
        )
        .group_by(ReviewDecision.take_id)
    )


