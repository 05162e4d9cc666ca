"""The execution store's tables, as typed SQLAlchemy 2 models.

Takes, review decisions, review tags and cost entries are append-only: the migrations add
database triggers that refuse to change a take's prompt, seed or system-prompt version and
refuse to delete history. A take's status is derived from its decisions, never stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Episode(Base):
    __tablename__ = "episode"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scenes: Mapped[list[Scene]] = relationship(back_populates="episode")


class Scene(Base):
    __tablename__ = "scene"
    __table_args__ = (UniqueConstraint("episode_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"))
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer)

    episode: Mapped[Episode] = relationship(back_populates="scenes")


class Shot(Base):
    """A shot in sequence order (`position` within its episode is the filmstrip order)."""

    __tablename__ = "shot"
    __table_args__ = (Index("ix_shot_episode_position", "episode_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episode.id"))
    scene_id: Mapped[int | None] = mapped_column(ForeignKey("scene.id"))
    position: Mapped[int] = mapped_column(Integer)
    plan_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SystemPromptText(Base):
    """Each distinct system-prompt text, stored once by its SHA-256."""

    __tablename__ = "system_prompt_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Take(Base):
    """One generation attempt. Append-only: a retry is a new take."""

    __tablename__ = "take"
    __table_args__ = (
        UniqueConstraint("shot_id", "number", name="uq_take_shot_number"),
        Index("ix_take_lookup", "id", "target", "model", "system_prompt_version", "failed"),
        # Only takes with a file digest: a lookup by a file's SHA-256 never matches the others.
        Index("ix_take_output_sha256", "output_sha256", sqlite_where=text("output_sha256 IS NOT NULL"),
              postgresql_where=text("output_sha256 IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shot_id: Mapped[int] = mapped_column(ForeignKey("shot.id"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    prompt: Mapped[str | None] = mapped_column(Text)
    builder_prompt: Mapped[str | None] = mapped_column(Text)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    model: Mapped[str] = mapped_column(String(128), default="")
    pipeline: Mapped[str] = mapped_column(String(64), default="")
    target: Mapped[str | None] = mapped_column(String(64))
    system_prompt_version: Mapped[str | None] = mapped_column(String(32))
    system_prompt_id: Mapped[int | None] = mapped_column(ForeignKey("system_prompt_text.id"))
    enrichment_outcome: Mapped[str | None] = mapped_column(String(16))
    enrichment_reason: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    output_path: Mapped[str | None] = mapped_column(Text)
    media_kind: Mapped[str] = mapped_column(String(8), default="image")
    output_sha256: Mapped[str | None] = mapped_column(String(64))
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    extra_json: Mapped[str | None] = mapped_column(Text)
    # SHA-256 over every recorded field (engine.store.seals); store check recomputes it.
    record_digest: Mapped[str | None] = mapped_column(String(64))

    system_prompt: Mapped[SystemPromptText | None] = relationship()


class ReviewDecision(Base):
    """A reviewer's approve, reject or retraction of an earlier decision. Append-only."""

    __tablename__ = "review_decision"
    __table_args__ = (
        Index("ix_review_take_id", "take_id", "id"),
        Index("ix_review_retracts", "retracts_id"),
        Index("ix_review_decision_week", "created_at", "action", "take_id"),
        Index("uq_review_client_key", "client_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("take.id"))
    reviewer: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(16))  # approve | reject | retract
    note: Mapped[str] = mapped_column(Text, default="")
    conflicts_with_take_id: Mapped[int | None] = mapped_column(ForeignKey("take.id"))
    retracts_id: Mapped[int | None] = mapped_column(ForeignKey("review_decision.id"))
    # Set by the desk: the same key twice is the same decision (a replay after a crash).
    client_key: Mapped[str | None] = mapped_column(String(64))

    tags: Mapped[list[ReviewTag]] = relationship(order_by="ReviewTag.tag")


class ReviewTag(Base):
    __tablename__ = "review_tag"

    decision_id: Mapped[int] = mapped_column(ForeignKey("review_decision.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)


class ReviewWeekGroup(Base):
    """The weekly review's counts, kept as takes, decisions and costs are written
    (engine.store.review_weeks): per ISO week and take group, the takes reviewed, rejected,
    generated and failed and the reviewed takes' landed cost (tag ''), and per tag the takes
    rejected with it. Derived from the history, never edited by hand."""

    __tablename__ = "review_week_group"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)  # 2026-W47
    group_key: Mapped[str] = mapped_column(String(512), primary_key=True)  # JSON [target, model, version]
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)  # '' for the whole group
    target: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(128))
    version: Mapped[str | None] = mapped_column(String(32))
    takes: Mapped[int] = mapped_column(Integer, default=0)  # reviewed (tag '')
    rejected: Mapped[int] = mapped_column(Integer, default=0)  # rejected (with the tag)
    generated: Mapped[int] = mapped_column(Integer, default=0)  # made that week (tag '')
    failed: Mapped[int] = mapped_column(Integer, default=0)  # of those, failed (tag '')
    landed_cost: Mapped[float] = mapped_column(Float, default=0.0)  # of the reviewed takes (tag '')


class CostEntry(Base):
    """Money spent on one pass (generation, prompt_enrichment, ...). A shot's landed cost is
    the sum of its entries."""

    __tablename__ = "cost_entry"
    __table_args__ = (
        # Only entries without a take: a shot's entries with a take are found through its takes.
        Index("ix_cost_shot", "shot_id", sqlite_where=text("take_id IS NULL"), postgresql_where=text("take_id IS NULL")),
        Index("ix_cost_episode", "episode_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pass_type: Mapped[str] = mapped_column(String(64))
    shot_id: Mapped[int | None] = mapped_column(ForeignKey("shot.id"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id"))
    take_id: Mapped[int | None] = mapped_column(ForeignKey("take.id"))
    model: Mapped[str] = mapped_column(String(128), default="")
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
