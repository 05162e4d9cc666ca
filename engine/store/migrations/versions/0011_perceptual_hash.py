"""perceptual_hash: each take's 64-bit perceptual hash, to find a take from any copy

The table only: existing takes' files are hashed afterwards by engine.store.perceptual_hashes
.hash_missing (`dailies takes hash --missing`, and `takes find` the first time it meets takes
without a hash). Decoding every file inside the upgrade would hold the upgrade lock of a
shared store for minutes, and an upgrade cannot know where each machine keeps its media.

Revision ID: 0011_perceptual_hash
Revises: 0010_notes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_perceptual_hash"
down_revision: str | None = "0010_notes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "take_perceptual_hash",
        sa.Column("take_id", sa.Integer(), sa.ForeignKey("take.id"), primary_key=True),
        # The unsigned 64-bit hash stored as a signed BIGINT; NULL: the take has no file, or
        # its file could not be read when it was hashed.
        sa.Column("phash", sa.BigInteger(), nullable=True),
        sa.Column("hashed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("take_perceptual_hash")
