"""workers: live workers and their heartbeats, the worker of each run, claimed work

Revision ID: 0009_workers
Revises: 0008_supervisor
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_workers"
down_revision: str | None = "0008_supervisor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worker",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("focus", sa.String(16), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "worker_run",
        sa.Column("job_ref", sa.String(200), primary_key=True),
        sa.Column("worker_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_worker_run_worker", "worker_run", ["worker_id"])
    op.create_table(
        "work_claim",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("work_claim")
    op.drop_index("ix_worker_run_worker", table_name="worker_run")
    op.drop_table("worker_run")
    op.drop_table("worker")
