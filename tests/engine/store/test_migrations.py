"""The migrations build exactly the tables the models describe, and can be walked both ways."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from engine.procedural.registries import import_models  # noqa: F401
from engine.procedural.registries import models as registry_models  # noqa: F401
from engine.store import models  # noqa: F401
from engine.store import note_models as note_tables  # noqa: F401
from engine.store import supervisor_models as supervisor_tables  # noqa: F401
from engine.store.db import _alembic_config, open_store
from engine.store.models import Base
from engine.takes import perceptual_hashes as perceptual_hash_tables  # noqa: F401
from engine.workers import models as worker_models  # noqa: F401


def test_the_migrated_schema_matches_the_models(store):
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_migrations_walk_down_to_nothing_and_up_again(tmp_path):
    path = tmp_path / "walk.sqlite"
    store = open_store(path, create=True)
    cfg = _alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(store.engine).get_table_names()) == {"alembic_version"}
    store.close()
    with open_store(path) as again:
        assert {"take", "review_decision", "cost_entry"} <= set(inspect(again.engine).get_table_names())


def test_the_postgresql_schema_matches_the_models(pg_store):
    with pg_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_the_revision_chain_read_on_open_agrees_with_alembic():
    from engine.store.db import _alembic_script, known_revisions, schema_head

    script = _alembic_script()
    assert schema_head() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}
