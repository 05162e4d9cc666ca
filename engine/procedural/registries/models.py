"""Registry tables: entries and where they were seen, blends, interpretations, linguistic
mappings, the creation/learning/discovery records, and the backfill log.

Counts are never stored on an entry: an entry's count is the sum of `times` over its source
rows, so it cannot drift from the data. A linguistic mapping's canonical value is likewise
derived (the most frequent canonical among its rows), never a first-seen value kept forever.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base, UTCDateTime, utcnow


class RegistryEntry(Base):
    """One value of one aspect of a registry (pure, blended or semantic)."""

    __tablename__ = "registry_entry"
    __table_args__ = (
        UniqueConstraint("registry", "aspect", "key", name="uq_registry_entry_key"),
        Index("ix_registry_entry_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reg: Mapped[str] = mapped_column("registry", String(16))  # pure | blended | semantic
    aspect: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(128))
    is_origin: Mapped[bool] = mapped_column(default=False)
    value_json: Mapped[str | None] = mapped_column(Text)  # small measured value, e.g. raw RGB
    depth_json: Mapped[str | None] = mapped_column(Text)  # {origin: percent}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RegistrySource(Base):
    """A job or run that observed an entry, with its prompt; `times` observations at once
    (an import brings an old count in as one row)."""

    __tablename__ = "registry_source"
    __table_args__ = (
        Index("ix_registry_source_entry", "entry_id"),
        Index("ix_registry_source_aspect", "registry", "aspect", "entry_id", "times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("registry_entry.id"))
    # The entry's registry and aspect, copied when the row is written (an entry never changes
    # aspect), so density counts observations per aspect from this table alone.
    reg: Mapped[str] = mapped_column("registry", String(16))
    aspect: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # job | learning | discovery | import
    ref: Mapped[str] = mapped_column(String(200), default="")
    prompt: Mapped[str | None] = mapped_column(Text)
    times: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LearnedBlend(Base):
    """A blend of several inputs into one output (its entry is blended/blends)."""

    __tablename__ = "learned_blend"

    entry_id: Mapped[int] = mapped_column(ForeignKey("registry_entry.id"), primary_key=True)
    domain: Mapped[str] = mapped_column(String(32))
    inputs_json: Mapped[str | None] = mapped_column(Text)
    output_json: Mapped[str | None] = mapped_column(Text)
    primitive_depths_json: Mapped[str | None] = mapped_column(Text)


class CreationJob(Base):
    __tablename__ = "creation_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(200), unique=True)
    prompt: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="succeeded")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LearningRun(Base):
    __tablename__ = "learning_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_ref: Mapped[str] = mapped_column(String(200), index=True)
    prompt: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DiscoveryRun(Base):
    __tablename__ = "discovery_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_ref: Mapped[str] = mapped_column(String(200), index=True)
    focus: Mapped[str] = mapped_column(String(8), default="all")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Interpretation(Base):
    """A user prompt resolved into a structured instruction."""

    __tablename__ = "interpretation"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    prompt: Mapped[str] = mapped_column(Text)
    instruction_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinguisticMapping(Base):
    """One observation (or `times` observations) of a word mapped to a canonical value."""

    __tablename__ = "linguistic_mapping"
    __table_args__ = (Index("ix_linguistic_domain_span", "domain", "span"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    span: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(32))
    canonical: Mapped[str] = mapped_column(String(200))
    variant_type: Mapped[str] = mapped_column(String(16), default="synonym")
    times: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BackfillRun(Base):
    __tablename__ = "backfill_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BackfillRename(Base):
    __tablename__ = "backfill_rename"
    __table_args__ = (Index("ix_backfill_rename_run", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("backfill_run.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("registry_entry.id"))
    old_name: Mapped[str] = mapped_column(String(128))
    new_name: Mapped[str] = mapped_column(String(128))
    refs: Mapped[int] = mapped_column(Integer, default=0)  # cells that named it, entry excluded


class BackfillChange(Base):
    """One cell a backfill rewrote, with its text before and after (undo puts `before` back)."""

    __tablename__ = "backfill_change"
    __table_args__ = (Index("ix_backfill_change_run", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("backfill_run.id"))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(64))
    column_name: Mapped[str] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
