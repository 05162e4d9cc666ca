"""The supervisor's records: samples for a second blind review, and saved prompt replays.

Revision ID: 0008_supervisor
Revises: 0006_import_snapshots
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_supervisor"
down_revision: str | None = "0006_import_snapshots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("review_sample", "review_sample_take", "prompt_replay", "prompt_replay_item")


def upgrade() -> None:
    op.create_table(
        "review_sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("fraction", sa.Float(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("made_by", sa.String(length=128), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_sample_week", "review_sample", ["week"])
    op.create_table(
        "review_sample_take",
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("take_id", sa.Integer(), nullable=False),
        sa.Column("first_decision_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sample_id"], ["review_sample.id"]),
        sa.ForeignKeyConstraint(["take_id"], ["take.id"]),
        sa.ForeignKeyConstraint(["first_decision_id"], ["review_decision.id"]),
        sa.PrimaryKeyConstraint("sample_id", "take_id"),
    )
    op.create_index("ix_review_sample_take_take", "review_sample_take", ["take_id"])
    op.create_table(
        "prompt_replay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("version_sha256", sa.String(length=64), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=True),
        sa.Column("writer_called", sa.Boolean(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "prompt_replay_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("replay_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("take_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("take_ref", sa.String(length=160), nullable=False),
        sa.Column("sent_version", sa.String(length=32), nullable=True),
        sa.Column("sent_prompt", sa.Text(), nullable=True),
        sa.Column("new_prompt", sa.Text(), nullable=False),
        sa.Column("builder_prompt", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("tags_json", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(["replay_id"], ["prompt_replay.id"]),
        sa.ForeignKeyConstraint(["take_id"], ["take.id"]),
        sa.ForeignKeyConstraint(["decision_id"], ["review_decision.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_prompt_replay_item_replay", "prompt_replay_item", ["replay_id", "position"])
    op.create_index("ix_cost_take", "cost_entry", ["take_id", "amount"])
    # Samples and replays are history: the database refuses to change or delete them.
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            _refuse(table, event, f"{table.replace('_', ' ')} rows are history")


def _refuse(table: str, event: str, message: str) -> None:
    name = f"{table}_refuse_{event.lower()}"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION 'append-only: {message}'; END $$"
        )
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    else:
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} BEGIN SELECT RAISE(ABORT, 'append-only: {message}'); END")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for table in reversed(TABLES):
        for event in ("update", "delete"):
            name = f"{table}_refuse_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if pg else ""))
            if pg:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_cost_take", table_name="cost_entry")
    op.drop_index("ix_prompt_replay_item_replay", table_name="prompt_replay_item")
    op.drop_table("prompt_replay_item")
    op.drop_table("prompt_replay")
    op.drop_index("ix_review_sample_take_take", table_name="review_sample_take")
    op.drop_table("review_sample_take")
    op.drop_index("ix_review_sample_week", table_name="review_sample")
    op.drop_table("review_sample")
