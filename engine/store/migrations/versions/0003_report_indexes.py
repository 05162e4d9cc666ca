"""Indexes for the supervisor's weekly report: decisions by week, takes by version, and a
take's group by its id (read without the large take rows, which hold the prompts).

Revision ID: 0003_report_indexes
Revises: 0002_registries
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_report_indexes"
down_revision: str | None = "0002_registries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_review_decision_week", "review_decision", ["created_at", "action", "take_id"]
    )
    op.create_index(
        "ix_take_report",
        "take",
        ["created_at", "target", "model", "system_prompt_version", "failed"],
    )
    op.create_index(
        "ix_take_lookup", "take", ["id", "target", "model", "system_prompt_version", "failed"]
    )


def downgrade() -> None:
    op.drop_index("ix_take_lookup", table_name="take")
    op.drop_index("ix_take_report", table_name="take")
    op.drop_index("ix_review_decision_week", table_name="review_decision")
