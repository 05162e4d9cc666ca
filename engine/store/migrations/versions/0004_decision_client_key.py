"""A key the desk gives each decision, so a decision replayed after a crash is stored once.

Revision ID: 0004_decision_client_key
Revises: 0003_report_indexes
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_decision_client_key"
down_revision: str | None = "0003_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The append-only guard refuses any UPDATE of a decision row, and a new nullable column
    # changes no existing row, so it is added in place (no table rebuild on SQLite).
    op.add_column("review_decision", sa.Column("client_key", sa.String(64), nullable=True))
    op.create_index("uq_review_client_key", "review_decision", ["client_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_review_client_key", table_name="review_decision")
    with op.batch_alter_table("review_decision") as batch:
        batch.drop_column("client_key")
