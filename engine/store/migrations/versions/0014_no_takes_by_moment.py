"""Takes are no longer indexed by the moment they were made: the weekly report reads the counts
kept per week (0012_decision_groups) and nothing else looks takes up by their moment, while
every appended take wrote an entry into the index (a tenth of a bulk append's time).

Revision ID: 0014_no_takes_by_moment
Revises: 0013_bulk_append_indexes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_no_takes_by_moment"
down_revision: str | None = "0013_bulk_append_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_take_report", table_name="take")


def downgrade() -> None:
    op.create_index("ix_take_report", "take", ["created_at", "target", "model", "system_prompt_version", "failed"])
