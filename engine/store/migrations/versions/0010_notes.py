"""Region notes drawn on a take's frame: append-only, withdrawn by a retraction row.

A note is a box, an arrow, a freehand stroke or a text label, in fractions of the frame, on
one take (the exact version it was drawn on), optionally over a range of a clip's frames and
tied to a rejection tag. Withdrawing a note appends a row that names it (`retracts_id`); no
note row is ever changed or deleted. The guards are those 0005 gives review decisions:
UPDATE and DELETE refused on both databases, TRUNCATE refused on PostgreSQL, and on SQLite
an INSERT OR REPLACE that would overwrite an id or a client key.

Revision ID: 0010_notes
Revises: 0009_workers
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_notes"
down_revision: str | None = "0009_workers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "review_note"
REPLACE_KEYS = ("id = NEW.id", "NEW.client_key IS NOT NULL AND client_key = NEW.client_key")


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _pg_refusal(name: str, message: str) -> None:
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION 'append-only: {message}'; END $$"
    )


def _refuse_rows(event: str, message: str) -> None:
    name = f"{TABLE}_refuse_{event.lower()}"
    if _pg():
        _pg_refusal(name, message)
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {name}()")
    else:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: {message}'); END"
        )


def _drop_trigger(name: str) -> None:
    if _pg():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("take_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("points_json", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=True),
        sa.Column("frame_start", sa.Integer(), nullable=True),
        sa.Column("frame_end", sa.Integer(), nullable=True),
        sa.Column("retracts_id", sa.Integer(), nullable=True),
        sa.Column("client_key", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["take_id"], ["take.id"]),
        sa.ForeignKeyConstraint(["retracts_id"], [f"{TABLE}.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_note_take", TABLE, ["take_id", "id"])
    op.create_index("ix_review_note_retracts", TABLE, ["retracts_id"])
    op.create_index("uq_review_note_client_key", TABLE, ["client_key"], unique=True)
    _refuse_rows("UPDATE", "notes are history; withdrawing one appends a retraction")
    _refuse_rows("DELETE", "notes are history and are never deleted")
    if _pg():
        name = f"{TABLE}_refuse_truncate"
        _pg_refusal(name, f"{TABLE} is history and is never truncated")
        op.execute(f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
        return
    exists = " OR ".join(f"EXISTS (SELECT 1 FROM {TABLE} WHERE {k})" for k in REPLACE_KEYS)
    op.execute(
        f"CREATE TRIGGER {TABLE}_refuse_replace BEFORE INSERT ON {TABLE} WHEN {exists} "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: a {TABLE} row is never replaced; history is only appended'); END"
    )


def downgrade() -> None:
    _drop_trigger(f"{TABLE}_refuse_truncate" if _pg() else f"{TABLE}_refuse_replace")
    _drop_trigger(f"{TABLE}_refuse_delete")
    _drop_trigger(f"{TABLE}_refuse_update")
    op.drop_index("uq_review_note_client_key", table_name=TABLE)
    op.drop_index("ix_review_note_retracts", table_name=TABLE)
    op.drop_index("ix_review_note_take", table_name=TABLE)
    op.drop_table(TABLE)
