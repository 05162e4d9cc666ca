"""Alembic environment: Dailies runs migrations itself, on a connection it already holds."""

from alembic import context

from engine.store import all_models  # noqa: F401  (registers every table on Base.metadata)
from engine.store.models import Base

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
