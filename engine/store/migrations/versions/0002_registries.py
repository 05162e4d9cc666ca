"""registries: entries and their sources, blends, interpretations, linguistic mappings,
creation/learning/discovery records, backfill log; origin primitives seeded once

Revision ID: 0002_registries
Revises: 0001_spine
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002_registries"
down_revision: str | None = "0001_spine"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The origin primitives as they were when this revision was written (frozen here, so that
# a later change of vocabulary is a new migration, not a silent rewrite of this one):
# (registry, aspect, key, name, value_json, depth_json).
SEED_ENTRIES = (
    ('pure', 'colour', '0,0,0_1.0', 'Black', '{"r": 0, "g": 0, "b": 0}', '{"black": 100}'),
    ('pure', 'colour', '250,250,250_1.0', 'White', '{"r": 255, "g": 255, "b": 255}', '{"white": 100}'),
    ('pure', 'colour', '250,0,0_1.0', 'Red', '{"r": 255, "g": 0, "b": 0}', '{"red": 100}'),
    ('pure', 'colour', '0,250,0_1.0', 'Green', '{"r": 0, "g": 255, "b": 0}', '{"green": 100}'),
    ('pure', 'colour', '0,0,250_1.0', 'Blue', '{"r": 0, "g": 0, "b": 255}', '{"blue": 100}'),
    ('pure', 'colour', '250,250,0_1.0', 'Yellow', '{"r": 255, "g": 255, "b": 0}', '{"yellow": 100}'),
    ('pure', 'colour', '0,250,250_1.0', 'Cyan', '{"r": 0, "g": 255, "b": 255}', '{"cyan": 100}'),
    ('pure', 'colour', '250,0,250_1.0', 'Magenta', '{"r": 255, "g": 0, "b": 255}', '{"magenta": 100}'),
    ('pure', 'colour', '250,150,0_1.0', 'Orange', '{"r": 255, "g": 165, "b": 0}', '{"orange": 100}'),
    ('pure', 'colour', '125,0,125_1.0', 'Purple', '{"r": 128, "g": 0, "b": 128}', '{"purple": 100}'),
    ('pure', 'colour', '250,175,200_1.0', 'Pink', '{"r": 255, "g": 192, "b": 203}', '{"pink": 100}'),
    ('pure', 'colour', '150,25,25_1.0', 'Brown', '{"r": 165, "g": 42, "b": 42}', '{"brown": 100}'),
    ('pure', 'colour', '0,0,125_1.0', 'Navy', '{"r": 0, "g": 0, "b": 128}', '{"navy": 100}'),
    ('pure', 'colour', '125,125,125_1.0', 'Gray', '{"r": 128, "g": 128, "b": 128}', '{"gray": 100}'),
    ('pure', 'colour', '125,125,0_1.0', 'Olive', '{"r": 128, "g": 128, "b": 0}', '{"olive": 100}'),
    ('pure', 'colour', '0,125,125_1.0', 'Teal', '{"r": 0, "g": 128, "b": 128}', '{"teal": 100}'),
    ('pure', 'sound', 'silence', 'Silence', None, '{"silence": 100}'),
    ('pure', 'sound', 'rumble', 'Rumble', None, '{"rumble": 100}'),
    ('pure', 'sound', 'hum', 'Hum', None, '{"hum": 100}'),
    ('pure', 'sound', 'tone', 'Tone', None, '{"tone": 100}'),
    ('pure', 'sound', 'hiss', 'Hiss', None, '{"hiss": 100}'),
    ('pure', 'sound', 'rustle', 'Rustle', None, '{"rustle": 100}'),
    ('pure', 'sound', 'thump', 'Thump', None, '{"thump": 100}'),
    ('pure', 'sound', 'click', 'Click', None, '{"click": 100}'),
    ('pure', 'sound', 'whoosh', 'Whoosh', None, '{"whoosh": 100}'),
    ('pure', 'sound', 'drip', 'Drip', None, '{"drip": 100}'),
    ('semantic', 'genre', 'cinematic', 'Cinematic', None, None),
    ('semantic', 'genre', 'documentary', 'Documentary', None, None),
    ('semantic', 'genre', 'drama', 'Drama', None, None),
    ('semantic', 'genre', 'comedy', 'Comedy', None, None),
    ('semantic', 'genre', 'thriller', 'Thriller', None, None),
    ('semantic', 'genre', 'horror', 'Horror', None, None),
    ('semantic', 'genre', 'romance', 'Romance', None, None),
    ('semantic', 'genre', 'action', 'Action', None, None),
    ('semantic', 'genre', 'adventure', 'Adventure', None, None),
    ('semantic', 'genre', 'fantasy', 'Fantasy', None, None),
    ('semantic', 'genre', 'science_fiction', 'Science Fiction', None, None),
    ('semantic', 'genre', 'mystery', 'Mystery', None, None),
    ('semantic', 'genre', 'music', 'Music', None, None),
    ('semantic', 'genre', 'abstract', 'Abstract', None, None),
    ('semantic', 'genre', 'minimal', 'Minimal', None, None),
    ('semantic', 'genre', 'educational', 'Educational', None, None),
    ('semantic', 'genre', 'explainer', 'Explainer', None, None),
    ('semantic', 'genre', 'tutorial', 'Tutorial', None, None),
    ('semantic', 'genre', 'ad', 'Ad', None, None),
    ('semantic', 'genre', 'western', 'Western', None, None),
    ('semantic', 'genre', 'noir', 'Noir', None, None),
    ('semantic', 'genre', 'animation', 'Animation', None, None),
    ('semantic', 'genre', 'experimental', 'Experimental', None, None),
    ('semantic', 'genre', 'general', 'General', None, None),
    ('semantic', 'mood', 'uplifting', 'Uplifting', None, None),
    ('semantic', 'mood', 'tense', 'Tense', None, None),
    ('semantic', 'mood', 'dramatic', 'Dramatic', None, None),
    ('semantic', 'mood', 'harsh', 'Harsh', None, None),
    ('semantic', 'mood', 'soft', 'Soft', None, None),
    ('semantic', 'mood', 'intense', 'Intense', None, None),
    ('semantic', 'mood', 'neutral', 'Neutral', None, None),
    ('semantic', 'mood', 'chaotic', 'Chaotic', None, None),
    ('semantic', 'mood', 'peaceful', 'Peaceful', None, None),
    ('semantic', 'mood', 'bright', 'Bright', None, None),
    ('semantic', 'mood', 'calm', 'Calm', None, None),
    ('semantic', 'mood', 'dreamy', 'Dreamy', None, None),
    ('semantic', 'mood', 'dark', 'Dark', None, None),
    ('semantic', 'mood', 'energetic', 'Energetic', None, None),
    ('semantic', 'mood', 'moody', 'Moody', None, None),
    ('semantic', 'mood', 'melancholic', 'Melancholic', None, None),
    ('semantic', 'mood', 'joyful', 'Joyful', None, None),
    ('semantic', 'mood', 'eerie', 'Eerie', None, None),
    ('semantic', 'mood', 'romantic', 'Romantic', None, None),
    ('semantic', 'mood', 'nostalgic', 'Nostalgic', None, None),
    ('semantic', 'style', 'abstract', 'Abstract Style', None, None),
    ('semantic', 'style', 'anime', 'Anime', None, None),
    ('semantic', 'style', 'cinematic', 'Cinematic Style', None, None),
    ('semantic', 'style', 'minimal', 'Minimal Style', None, None),
    ('semantic', 'style', 'realistic', 'Realistic', None, None),
    ('semantic', 'style', 'documentary', 'Documentary Style', None, None),
    ('semantic', 'style', 'painterly', 'Painterly', None, None),
    ('semantic', 'style', 'surreal', 'Surreal', None, None),
    ('semantic', 'style', 'vintage', 'Vintage', None, None),
    ('semantic', 'style', 'noir', 'Noir Style', None, None),
    ('semantic', 'style', 'watercolor', 'Watercolor', None, None),
    ('semantic', 'plots', 'flat', 'Flat', None, None),
    ('semantic', 'plots', 'slow_build', 'Slow Build', None, None),
    ('semantic', 'plots', 'standard', 'Standard', None, None),
    ('semantic', 'plots', 'immediate', 'Immediate', None, None),
    ('semantic', 'settings', 'neutral', 'Neutral Setting', None, None),
    ('semantic', 'settings', 'golden_hour', 'Golden Hour', None, None),
    ('semantic', 'settings', 'night', 'Night', None, None),
    ('semantic', 'settings', 'dawn', 'Dawn', None, None),
    ('semantic', 'settings', 'dusk', 'Dusk', None, None),
    ('semantic', 'settings', 'forest', 'Forest', None, None),
    ('semantic', 'settings', 'ocean', 'Ocean', None, None),
    ('semantic', 'settings', 'sea', 'Sea', None, None),
    ('semantic', 'settings', 'city', 'City', None, None),
    ('semantic', 'settings', 'urban', 'Urban', None, None),
    ('semantic', 'settings', 'neon', 'Neon', None, None),
    ('semantic', 'settings', 'desert', 'Desert', None, None),
    ('semantic', 'settings', 'mountain', 'Mountain', None, None),
    ('semantic', 'settings', 'interior', 'Interior', None, None),
    ('semantic', 'settings', 'exterior', 'Exterior', None, None),
    ('semantic', 'settings', 'studio', 'Studio', None, None),
    ('semantic', 'settings', 'nature', 'Nature', None, None),
    ('semantic', 'settings', 'outdoor', 'Outdoor', None, None),
    ('semantic', 'settings', 'water', 'Water', None, None),
    ('semantic', 'settings', 'countryside', 'Countryside', None, None),
    ('semantic', 'settings', 'space', 'Space', None, None),
    ('semantic', 'settings', 'underwater', 'Underwater', None, None),
    ('semantic', 'settings', 'rooftop', 'Rooftop', None, None),
    ('semantic', 'settings', 'street', 'Street', None, None),
    ('semantic', 'settings', 'home', 'Home', None, None),
    ('semantic', 'themes', 'love', 'Love', None, None),
    ('semantic', 'themes', 'loss', 'Loss', None, None),
    ('semantic', 'themes', 'hope', 'Hope', None, None),
    ('semantic', 'themes', 'conflict', 'Conflict', None, None),
    ('semantic', 'themes', 'connection', 'Connection', None, None),
    ('semantic', 'themes', 'identity', 'Identity', None, None),
    ('semantic', 'themes', 'journey', 'Journey', None, None),
    ('semantic', 'themes', 'transformation', 'Transformation', None, None),
    ('semantic', 'themes', 'freedom', 'Freedom', None, None),
    ('semantic', 'themes', 'power', 'Power', None, None),
    ('semantic', 'themes', 'memory', 'Memory', None, None),
    ('semantic', 'themes', 'nature', 'Nature Theme', None, None),
    ('semantic', 'themes', 'isolation', 'Isolation', None, None),
    ('semantic', 'themes', 'redemption', 'Redemption', None, None),
    ('semantic', 'themes', 'growth', 'Growth', None, None),
    ('semantic', 'themes', 'family', 'Family', None, None),
    ('semantic', 'themes', 'time', 'Time', None, None),
    ('semantic', 'scene_type', 'close', 'Close', None, None),
    ('semantic', 'scene_type', 'closeup', 'Closeup', None, None),
    ('semantic', 'scene_type', 'medium', 'Medium', None, None),
    ('semantic', 'scene_type', 'wide', 'Wide', None, None),
    ('semantic', 'scene_type', 'establishing', 'Establishing', None, None),
    ('semantic', 'scene_type', 'pov', 'Pov', None, None),
    ('semantic', 'scene_type', 'handheld', 'Handheld', None, None),
    ('semantic', 'scene_type', 'action', 'Action Scene', None, None),
    ('semantic', 'scene_type', 'dialogue', 'Dialogue', None, None),
    ('semantic', 'scene_type', 'montage', 'Montage', None, None),
    ('semantic', 'scene_type', 'b-roll', 'B Roll', None, None),
    ('semantic', 'scene_type', 'tracking', 'Tracking', None, None),
    ('semantic', 'scene_type', 'aerial', 'Aerial', None, None),
    ('semantic', 'scene_type', 'insert', 'Insert', None, None),
    ('semantic', 'scene_type', 'reaction', 'Reaction', None, None),
    ('semantic', 'scene_type', 'transition', 'Transition', None, None),
    ('semantic', 'scene_type', 'over_the_shoulder', 'Over The Shoulder', None, None),
)


def _ts():
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    entry = op.create_table(
        "registry_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("registry", sa.String(16), nullable=False),
        sa.Column("aspect", sa.String(32), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("is_origin", sa.Boolean(), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=True),
        sa.Column("depth_json", sa.Text(), nullable=True),
        _ts(),
        sa.UniqueConstraint("registry", "aspect", "key", name="uq_registry_entry_key"),
    )
    op.create_index("ix_registry_entry_name", "registry_entry", ["name"])
    op.create_table(
        "registry_source",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("registry_entry.id"), nullable=False),
        sa.Column("registry", sa.String(16), nullable=False),
        sa.Column("aspect", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=True),
        sa.Column("times", sa.Integer(), nullable=False),
        _ts(),
    )
    op.create_index("ix_registry_source_entry", "registry_source", ["entry_id"])
    op.create_index("ix_registry_source_aspect", "registry_source", ["registry", "aspect", "entry_id", "times"])
    op.create_table(
        "learned_blend",
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("registry_entry.id"), primary_key=True),
        sa.Column("domain", sa.String(32), nullable=False),
        sa.Column("inputs_json", sa.Text(), nullable=True),
        sa.Column("output_json", sa.Text(), nullable=True),
        sa.Column("primitive_depths_json", sa.Text(), nullable=True),
    )
    op.create_table(
        "creation_job",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(200), nullable=False, unique=True),
        sa.Column("prompt", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _ts(),
    )
    op.create_index("ix_creation_job_created_at", "creation_job", ["created_at"])
    for table in ("learning_run", "discovery_run"):
        cols = [
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("job_ref", sa.String(200), nullable=False),
        ]
        if table == "learning_run":
            cols.append(sa.Column("prompt", sa.Text(), nullable=True))
        else:
            cols.append(sa.Column("focus", sa.String(8), nullable=False))
        op.create_table(table, *cols, _ts())
        op.create_index(f"ix_{table}_job_ref", table, ["job_ref"])
    op.create_table(
        "interpretation",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("instruction_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "linguistic_mapping",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("span", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(32), nullable=False),
        sa.Column("canonical", sa.String(200), nullable=False),
        sa.Column("variant_type", sa.String(16), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        _ts(),
    )
    op.create_index("ix_linguistic_domain_span", "linguistic_mapping", ["domain", "span"])
    op.create_table(
        "backfill_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "backfill_rename",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("backfill_run.id"), nullable=False),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("registry_entry.id"), nullable=False),
        sa.Column("old_name", sa.String(128), nullable=False),
        sa.Column("new_name", sa.String(128), nullable=False),
        sa.Column("refs", sa.Integer(), nullable=False),
    )
    op.create_index("ix_backfill_rename_run", "backfill_rename", ["run_id"])
    op.create_table(
        "backfill_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("backfill_run.id"), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(64), nullable=False),
        sa.Column("column_name", sa.String(64), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
    )
    op.create_index("ix_backfill_change_run", "backfill_change", ["run_id"])

    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        entry,
        [
            {
                "registry": reg, "aspect": aspect, "key": key, "name": name, "is_origin": True,
                "value_json": value, "depth_json": depth, "created_at": now,
            }
            for reg, aspect, key, name, value, depth in SEED_ENTRIES
        ],
    )


def downgrade() -> None:
    for table in (
        "backfill_change", "backfill_rename", "backfill_run", "linguistic_mapping",
        "interpretation", "discovery_run", "learning_run", "creation_job", "learned_blend",
        "registry_source", "registry_entry",
    ):
        op.drop_table(table)
