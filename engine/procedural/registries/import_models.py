"""What the store remembers of imports: each export file imported (its source, digest and
what it changed), and per source and item the count last imported from it.

Daily exports are cumulative snapshots of one source: the count an item has in a later
export includes the counts of the earlier ones. Remembering the last imported count per
(source, item) lets an import add only the growth, and makes importing the same export again
change nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.models import Base, UTCDateTime, utcnow


class ImportSnapshot(Base):
    __tablename__ = "import_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200), index=True)
    file: Mapped[str] = mapped_column(String(500))
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the file
    exported_at: Mapped[str | None] = mapped_column(String(40))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class ImportCount(Base):
    """The count of `item` ("pure/colour/<key>", "linguistic/<domain>/<span>/...") that the
    last import from `source` brought in."""

    __tablename__ = "import_count"
    __table_args__ = (UniqueConstraint("source", "item", name="uq_import_count_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=0)
