"""decision_groups: the review decisions counted by week and take group, kept on write

review_week_group holds, per ISO week and take group (target, model, system-prompt version),
the takes reviewed and rejected (each take with its standing decision of the week), their
landed cost, the takes generated and failed, and the takes rejected with each tag. The
history stays as it is (append-only); the upgrade counts every existing take, decision and
cost entry into the new table (engine.store.review_weeks.recount), and every write from then
on keeps it up to date.

Revision ID: 0012_decision_groups
Revises: 0011_perceptual_hash
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0012_decision_groups"
down_revision: str | None = "0011_perceptual_hash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_week_group",
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("group_key", sa.String(512), primary_key=True),
        sa.Column("tag", sa.String(64), primary_key=True),
        sa.Column("target", sa.String(64), nullable=True),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("version", sa.String(32), nullable=True),
        sa.Column("takes", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("generated", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("landed_cost", sa.Float(), nullable=False),
    )
    from engine.store.review_weeks import recount

    recount(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_table("review_week_group")
