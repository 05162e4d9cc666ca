"""execution store: episodes, shots, takes, reviews, costs

Revision ID: 0001_spine
Revises:
Create Date: 2026-11-21 21:29:46.117711
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001_spine'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('episode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('system_prompt_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('scene',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('episode_id', 'code')
    )
    op.create_table('shot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=128), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('scene_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('plan_json', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], ),
    sa.ForeignKeyConstraint(['scene_id'], ['scene.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('shot', schema=None) as batch_op:
        batch_op.create_index('ix_shot_episode_position', ['episode_id', 'position'], unique=False)

    op.create_table('take',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shot_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=True),
    sa.Column('builder_prompt', sa.Text(), nullable=True),
    sa.Column('seed', sa.BigInteger(), nullable=True),
    sa.Column('model', sa.String(length=128), nullable=False),
    sa.Column('pipeline', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=True),
    sa.Column('system_prompt_version', sa.String(length=32), nullable=True),
    sa.Column('system_prompt_id', sa.Integer(), nullable=True),
    sa.Column('enrichment_outcome', sa.String(length=16), nullable=True),
    sa.Column('enrichment_reason', sa.Text(), nullable=True),
    sa.Column('cost', sa.Float(), nullable=False),
    sa.Column('output_path', sa.Text(), nullable=True),
    sa.Column('media_kind', sa.String(length=8), nullable=False),
    sa.Column('output_sha256', sa.String(length=64), nullable=True),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.Column('extra_json', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['shot_id'], ['shot.id'], ),
    sa.ForeignKeyConstraint(['system_prompt_id'], ['system_prompt_text.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('shot_id', 'number', name='uq_take_shot_number')
    )
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_take_output_sha256'), ['output_sha256'], unique=False)

    op.create_table('cost_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pass_type', sa.String(length=64), nullable=False),
    sa.Column('shot_id', sa.Integer(), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('take_id', sa.Integer(), nullable=True),
    sa.Column('model', sa.String(length=128), nullable=False),
    sa.Column('input_tokens', sa.Integer(), nullable=False),
    sa.Column('output_tokens', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], ),
    sa.ForeignKeyConstraint(['shot_id'], ['shot.id'], ),
    sa.ForeignKeyConstraint(['take_id'], ['take.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cost_entry', schema=None) as batch_op:
        batch_op.create_index('ix_cost_episode', ['episode_id'], unique=False)
        batch_op.create_index('ix_cost_shot', ['shot_id'], unique=False)

    op.create_table('review_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('take_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('conflicts_with_take_id', sa.Integer(), nullable=True),
    sa.Column('retracts_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conflicts_with_take_id'], ['take.id'], ),
    sa.ForeignKeyConstraint(['retracts_id'], ['review_decision.id'], ),
    sa.ForeignKeyConstraint(['take_id'], ['take.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decision_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_review_take_id', ['take_id', 'id'], unique=False)
        batch_op.create_index('ix_review_retracts', ['retracts_id'], unique=False)

    op.create_table('review_tag',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['review_decision.id'], ),
    sa.PrimaryKeyConstraint('decision_id', 'tag')
    )
    # History is append-only, enforced by the database itself so that no code path and no
    # second process can rewrite what a take was made with or what a reviewer decided.
    _refuse_update("take", TAKE_PROVENANCE, "the prompt, seed and system-prompt version of a take never change; a retry is a new take")
    _refuse_delete("take", "takes are history and are never deleted")
    _refuse_update("review_decision", None, "review decisions are history; undo appends a retraction")
    _refuse_delete("review_decision", "review decisions are history and are never deleted")
    _refuse_update("review_tag", None, "review tags are history")
    _refuse_delete("review_tag", "review tags are history")
    _refuse_update("cost_entry", None, "cost entries are history")
    _refuse_delete("cost_entry", "cost entries are history")


TAKE_PROVENANCE = (
    "shot_id", "number", "created_at", "prompt", "builder_prompt", "seed", "model",
    "pipeline", "target", "system_prompt_version", "system_prompt_id",
    "enrichment_outcome", "enrichment_reason", "cost", "media_kind", "output_sha256", "failed",
)


def _refuse(table: str, event: str, columns, message: str) -> None:
    name = f"{table}_refuse_{event.lower()}"
    cols = f" OF {', '.join(columns)}" if columns else ""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION 'append-only: {message}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event}{cols} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event}{cols} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'append-only: {message}'); END"
        )


def _refuse_update(table: str, columns, message: str) -> None:
    _refuse(table, "UPDATE", columns, message)


def _refuse_delete(table: str, message: str) -> None:
    _refuse(table, "DELETE", None, message)


def _drop_guards() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for table in ("take", "review_decision", "review_tag", "cost_entry"):
        for event in ("update", "delete"):
            name = f"{table}_refuse_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if pg else ""))
            if pg:
                op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def downgrade() -> None:
    _drop_guards()
    op.drop_table('review_tag')
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_review_retracts')
        batch_op.drop_index('ix_review_take_id')
        batch_op.drop_index(batch_op.f('ix_review_decision_created_at'))

    op.drop_table('review_decision')
    with op.batch_alter_table('cost_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_cost_shot')
        batch_op.drop_index('ix_cost_episode')

    op.drop_table('cost_entry')
    with op.batch_alter_table('take', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_take_output_sha256'))

    op.drop_table('take')
    with op.batch_alter_table('shot', schema=None) as batch_op:
        batch_op.drop_index('ix_shot_episode_position')

    op.drop_table('shot')
    op.drop_table('scene')
    op.drop_table('system_prompt_text')
    op.drop_table('episode')
