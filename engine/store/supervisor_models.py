"""The supervisor's records: samples of reviewed takes marked for a second, blind review,
and saved replays of rejected takes against another system-prompt version.

Both are append-only like the rest of the store (database triggers refuse UPDATE and
DELETE): a sample or a replay, once made, is history that can be opened again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base, CostEntry, UTCDateTime, utcnow


class ReviewSample(Base):
    """One seeded sample of a week's reviewed takes, marked for a second blind review."""

    __tablename__ = "review_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(10), index=True)  # 2026-W47
    fraction: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(BigInteger)
    population: Mapped[int] = mapped_column(Integer)  # reviewed takes of the week not sampled before
    made_by: Mapped[str] = mapped_column(String(128), default="")
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewSampleTake(Base):
    """A take of a sample, with the decision whose second opinion is asked for."""

    __tablename__ = "review_sample_take"
    __table_args__ = (Index("ix_review_sample_take_take", "take_id"),)

    sample_id: Mapped[int] = mapped_column(ForeignKey("review_sample.id"), primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("take.id"), primary_key=True)
    first_decision_id: Mapped[int] = mapped_column(ForeignKey("review_decision.id"))


class PromptReplay(Base):
    """One replay: the takes of a target rejected in a week, written again by one version."""

    __tablename__ = "prompt_replay"

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    version_sha256: Mapped[str] = mapped_column(String(64))  # the system-prompt text used
    released: Mapped[bool] = mapped_column(Boolean)  # False: VERSION was a draft
    week: Mapped[str] = mapped_column(String(10))
    tag: Mapped[str | None] = mapped_column(String(64))
    writer_called: Mapped[bool] = mapped_column(Boolean)  # False: offline, the builder's text
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PromptReplayItem(Base):
    """One rejected take of a replay: what was sent then, what the version writes now."""

    __tablename__ = "prompt_replay_item"
    __table_args__ = (Index("ix_prompt_replay_item_replay", "replay_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    replay_id: Mapped[int] = mapped_column(ForeignKey("prompt_replay.id"))
    position: Mapped[int] = mapped_column(Integer)
    take_id: Mapped[int] = mapped_column(ForeignKey("take.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("review_decision.id"))
    take_ref: Mapped[str] = mapped_column(String(160))
    sent_version: Mapped[str | None] = mapped_column(String(32))
    sent_prompt: Mapped[str | None] = mapped_column(Text)
    new_prompt: Mapped[str] = mapped_column(Text)
    builder_prompt: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))  # enriched | fell_back | bypassed | no_plan
    reason: Mapped[str | None] = mapped_column(Text)
    tags_json: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(128), default="")


# The weekly review's cost per approved take sums the cost entries of the week's reviewed
# takes: read from this index alone, by take.
Index("ix_cost_take", CostEntry.take_id, CostEntry.amount)
