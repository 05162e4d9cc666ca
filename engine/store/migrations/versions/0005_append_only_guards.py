"""Append-only against the database's own shortcuts, and a digest on every take.

SQLite's INSERT OR REPLACE (and REPLACE INTO, UPSERT) deletes the row it replaces without
firing delete triggers: each history table now refuses, before the insert, a row whose key
already exists. PostgreSQL's TRUNCATE fires no row triggers: each history table refuses it
with a statement trigger. System-prompt texts, stored once by their SHA-256, are history
too (no update, no delete). Every take gets a digest of its recorded fields (backfilled
here), and a take row can no longer be updated at all.

Revision ID: 0005_append_only_guards
Revises: 0004_decision_client_key
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_append_only_guards"
down_revision: str | None = "0004_decision_client_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HISTORY = ("take", "review_decision", "review_tag", "cost_entry", "system_prompt_text")

# The keys an INSERT OR REPLACE could collide on, per table (SQLite).
REPLACE_KEYS = {
    "take": ("id = NEW.id", "shot_id = NEW.shot_id AND number = NEW.number"),
    "review_decision": ("id = NEW.id", "NEW.client_key IS NOT NULL AND client_key = NEW.client_key"),
    "review_tag": ("decision_id = NEW.decision_id AND tag = NEW.tag",),
    "cost_entry": ("id = NEW.id",),
    "system_prompt_text": ("id = NEW.id", "sha256 = NEW.sha256"),
}

# The fields of a take as 0001 guarded them (restored on downgrade).
TAKE_PROVENANCE = (
    "shot_id", "number", "created_at", "prompt", "builder_prompt", "seed", "model",
    "pipeline", "target", "system_prompt_version", "system_prompt_id",
    "enrichment_outcome", "enrichment_reason", "cost", "media_kind", "output_sha256", "failed",
)


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _pg_refusal(name: str, message: str) -> None:
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION 'append-only: {message}'; END $$"
    )


def _refuse_rows(table: str, event: str, message: str, columns=None) -> None:
    name = f"{table}_refuse_{event.lower()}"
    cols = f" OF {', '.join(columns)}" if columns else ""
    if _pg():
        _pg_refusal(name, message)
        op.execute(f"CREATE TRIGGER {name} BEFORE {event}{cols} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    else:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event}{cols} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: {message}'); END"
        )


def _drop_trigger(table: str, name: str) -> None:
    if _pg():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _backfill_digests() -> None:
    from engine.store.seals import SEALED_FIELDS, record_digest

    bind = op.get_bind()
    take = sa.table("take", sa.column("id"), sa.column("record_digest"))
    from engine.store.models import SystemPromptText, Take

    rows = bind.execute(
        sa.select(Take.__table__.c.id, *(Take.__table__.c[f] for f in SEALED_FIELDS),
                  SystemPromptText.__table__.c.sha256)
        .select_from(Take.__table__.outerjoin(
            SystemPromptText.__table__, SystemPromptText.__table__.c.id == Take.__table__.c.system_prompt_id))
        .order_by(Take.__table__.c.id)
    ).mappings().all()
    update = sa.update(take).where(take.c.id == sa.bindparam("tid")).values(record_digest=sa.bindparam("d"))
    batch = [{"tid": r["id"], "d": record_digest(r, r["sha256"])} for r in rows]
    for start in range(0, len(batch), 1000):
        bind.execute(update, batch[start:start + 1000])


def upgrade() -> None:
    op.add_column("take", sa.Column("record_digest", sa.String(64), nullable=True))
    _drop_trigger("take", "take_refuse_update")
    _backfill_digests()
    _refuse_rows("take", "UPDATE", "a take is never changed; a retry is a new take")
    _refuse_rows("system_prompt_text", "UPDATE", "a stored system-prompt text never changes")
    _refuse_rows("system_prompt_text", "DELETE", "stored system-prompt texts are history")
    if _pg():
        for table in HISTORY:
            name = f"{table}_refuse_truncate"
            _pg_refusal(name, f"{table} is history and is never truncated")
            op.execute(f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
        return
    for table, keys in REPLACE_KEYS.items():
        exists = " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE {k})" for k in keys)
        op.execute(
            f"CREATE TRIGGER {table}_refuse_replace BEFORE INSERT ON {table} WHEN {exists} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: a {table} row is never replaced; history is only appended'); END"
        )


def downgrade() -> None:
    for table in HISTORY:
        _drop_trigger(table, f"{table}_refuse_truncate" if _pg() else f"{table}_refuse_replace")
    _drop_trigger("system_prompt_text", "system_prompt_text_refuse_update")
    _drop_trigger("system_prompt_text", "system_prompt_text_refuse_delete")
    _drop_trigger("take", "take_refuse_update")
    op.execute("ALTER TABLE take DROP COLUMN record_digest")
    _refuse_rows("take", "UPDATE",
                 "the prompt, seed and system-prompt version of a take never change; a retry is a new take",
                 TAKE_PROVENANCE)
