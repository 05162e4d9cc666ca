"""Imports remember each export file and, per source and item, the count last imported, so a
cumulative export adds only its growth and the same export twice changes nothing.

Revision ID: 0006_import_snapshots
Revises: 0005_append_only_guards
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_import_snapshots"
down_revision: str | None = "0005_append_only_guards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_snapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("file", sa.String(500), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("exported_at", sa.String(40), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
    )
    op.create_index("ix_import_snapshot_source", "import_snapshot", ["source"])
    op.create_table(
        "import_count",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("source", "item", name="uq_import_count_item"),
    )


def downgrade() -> None:
    op.drop_table("import_count")
    op.drop_index("ix_import_snapshot_source", table_name="import_snapshot")
    op.drop_table("import_snapshot")
