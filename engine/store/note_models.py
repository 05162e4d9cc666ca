"""The table of region notes drawn on takes' frames.

Append-only like review decisions (database triggers refuse UPDATE and DELETE, see
migration 0010): withdrawing a note appends a row of kind "retract" naming it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base, UTCDateTime, utcnow


class ReviewNote(Base):
    """A note on a take's frame (box | arrow | stroke | text), or a retraction of one."""

    __tablename__ = "review_note"
    __table_args__ = (
        Index("ix_review_note_take", "take_id", "id"),
        Index("ix_review_note_retracts", "retracts_id"),
        Index("uq_review_note_client_key", "client_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("take.id"))
    author: Mapped[str] = mapped_column(String(128))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(8))  # box | arrow | stroke | text | retract
    points_json: Mapped[str] = mapped_column(Text, default="[]")  # fractions of the frame
    text: Mapped[str] = mapped_column(Text, default="")
    tag: Mapped[str | None] = mapped_column(String(64))
    frame_start: Mapped[int | None] = mapped_column(Integer)
    frame_end: Mapped[int | None] = mapped_column(Integer)
    retracts_id: Mapped[int | None] = mapped_column(ForeignKey("review_note.id"))
    client_key: Mapped[str | None] = mapped_column(String(64))
