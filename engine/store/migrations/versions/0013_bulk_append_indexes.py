"""Takes without a file digest leave the digest index: a lookup by a file's SHA-256 never
matches them, and an import of takes without files no longer writes an index entry per take.

Revision ID: 0013_bulk_append_indexes
Revises: 0011_perceptual_hash
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_bulk_append_indexes"
down_revision: str | None = "0011_perceptual_hash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_DIGEST = sa.text("output_sha256 IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_take_output_sha256", table_name="take")
    op.create_index("ix_take_output_sha256", "take", ["output_sha256"],
                    sqlite_where=WITH_DIGEST, postgresql_where=WITH_DIGEST)


def downgrade() -> None:
    op.drop_index("ix_take_output_sha256", table_name="take")
    op.create_index("ix_take_output_sha256", "take", ["output_sha256"])
