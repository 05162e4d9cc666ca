"""Alembic environment: Dailies runs migrations itself, on a connection it already holds."""

from alembic import context

# Every module that declares tables, so Base.metadata knows them all for autogenerate.
# The environment is not part of the engine's packages: the store's lower rooms never
# import the halves above them.
from engine.procedural.registries import import_models  # noqa: F401
from engine.procedural.registries import models as registry_models  # noqa: F401
from engine.store import models  # noqa: F401
from engine.store import note_models as note_tables  # noqa: F401
from engine.store import supervisor_models as supervisor_tables  # noqa: F401
from engine.store.models import Base
from engine.takes import perceptual_hashes as perceptual_hash_tables  # noqa: F401
from engine.workers import models as worker_models  # noqa: F401

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Dailies migrations run through engine.store.db.open_store")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
