"""Two indexes hold only the rows their lookups can find, so that an import writes fewer index
entries per take: takes without a file digest leave the digest index (a lookup by a file's
SHA-256 never matches them), and the shot index of cost entries keeps only entries without a
take (a shot's entries with a take are found through its takes: an index keyed by shot took a
page write per imported take at a million takes).

Revision ID: 0013_bulk_append_indexes
Revises: 0011_perceptual_hash
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_bulk_append_indexes"
down_revision: str | None = "0012_decision_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_DIGEST = sa.text("output_sha256 IS NOT NULL")
WITHOUT_TAKE = sa.text("take_id IS NULL")


def upgrade() -> None:
    op.drop_index("ix_take_output_sha256", table_name="take")
    op.create_index("ix_take_output_sha256", "take", ["output_sha256"],
                    sqlite_where=WITH_DIGEST, postgresql_where=WITH_DIGEST)
    op.drop_index("ix_cost_shot", table_name="cost_entry")
    op.create_index("ix_cost_shot", "cost_entry", ["shot_id"],
                    sqlite_where=WITHOUT_TAKE, postgresql_where=WITHOUT_TAKE)


def downgrade() -> None:
    op.drop_index("ix_cost_shot", table_name="cost_entry")
    op.create_index("ix_cost_shot", "cost_entry", ["shot_id"])
    op.drop_index("ix_take_output_sha256", table_name="take")
    op.create_index("ix_take_output_sha256", "take", ["output_sha256"])
