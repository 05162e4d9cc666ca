"""Registry writes that several workers make at the same moment on one store.

On SQLite every write transaction holds the writer lock from its first statement (BEGIN
IMMEDIATE), so two workers never interleave and nothing here has any work to do. On
PostgreSQL they do interleave, and three rules keep the registry true:

- A transaction that records observations first takes the store's backfill lock *shared*
  (a backfill takes it exclusively): a backfill waits for the runs in flight, a run waits for
  a backfill, and no run writes a name a backfill is retiring while it scans.
- New entries are named under a transaction-level naming lock, so two workers never give two
  values one name, and a name a worker read as free is still free when it is written.
- A run planned from names a backfill has changed since writes the new names
  (with_current_names), so a backfill leaves no trace of an old name even in runs that were
  under way while it ran.
- New entries are inserted with ON CONFLICT DO NOTHING on (registry, aspect, key): a key some
  other writer inserted a moment ago is read back instead, so both observations land on one
  entry (its count, the sum of its source rows, holds both) and the loser's run goes on.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.procedural.registries.backfill import PG_LOCK_KEY
from engine.procedural.registries.cascade import Renamer
from engine.procedural.registries.models import Interpretation, RegistryEntry

PG_NAMING_KEY = 720_551_002
_NAMING_HELD = "dailies.registry.naming-lock"


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def share_backfill_lock(session: Session) -> None:
    """Wait for a running backfill, then keep the next one out until this transaction ends."""
    if _is_pg(session):
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": PG_LOCK_KEY})


def hold_naming_lock(session: Session) -> bool:
    """Take the naming lock until this transaction ends; True the first time in a session
    (names read as free before that may have been taken since, and must be asked again)."""
    if not _is_pg(session) or session.info.get(_NAMING_HELD):
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_NAMING_KEY})
    session.info[_NAMING_HELD] = True
    return True


def insert_new_entries(session: Session, rows: list[dict]) -> dict[str, int]:
    """Insert entries of one registry aspect, skipping keys that exist already; returns
    {key: id} of the rows this call inserted."""
    if not rows:
        return {}
    dialect = postgresql if _is_pg(session) else sqlite
    statement = (
        dialect.insert(RegistryEntry)
        .on_conflict_do_nothing(index_elements=["registry", "aspect", "key"])
        .returning(RegistryEntry.key, RegistryEntry.id)
    )
    return dict(session.execute(statement, rows).all())


def existing_entries(session: Session, registry: str, aspect: str, keys: list[str]) -> dict[str, RegistryEntry]:
    """The stored entries of `keys` ({key: entry}), read as of now."""
    found: dict[str, RegistryEntry] = {}
    for i in range(0, len(keys), 500):
        found.update(
            (e.key, e) for e in session.scalars(select(RegistryEntry).where(
                RegistryEntry.reg == registry, RegistryEntry.aspect == aspect,
                RegistryEntry.key.in_(keys[i : i + 500]),
            ).execution_options(populate_existing=True))
        )
    return found


def upsert_interpretation(session: Session, ident: str, prompt: str, instruction_json: str, when) -> None:
    """Store an interpretation under `ident`, replacing one stored there, in one statement."""
    session.flush()  # an interpretation added through the session earlier goes first
    dialect = postgresql if _is_pg(session) else sqlite
    statement = dialect.insert(Interpretation).values(
        id=ident, prompt=prompt, instruction_json=instruction_json, updated_at=when)
    session.execute(statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"prompt": statement.excluded.prompt, "instruction_json": statement.excluded.instruction_json,
              "updated_at": statement.excluded.updated_at},
    ))
    stale = session.identity_map.get(session.identity_key(Interpretation, ident))
    if stale is not None:  # a copy this session read before is read again when next used
        session.expire(stale)


def renamed_since_read(session: Session, read: Mapping[tuple[str, str, str], str]) -> dict[str, str]:
    """{old: new} of the names a run read ({(registry, aspect, key): name}) that a backfill
    has changed since: a run planned before a backfill and recorded after it must write the
    new names, or the old ones would come back."""
    out: dict[str, str] = {}
    by_aspect: dict[tuple[str, str], dict[str, str]] = {}
    for (registry, aspect, key), name in read.items():
        by_aspect.setdefault((registry, aspect), {})[key] = name
    for (registry, aspect), names in by_aspect.items():
        for key, entry in existing_entries(session, registry, aspect, list(names)).items():
            if entry.name != names[key]:
                out[names[key]] = entry.name
    return out


def with_current_names(session: Session, text: str, read: Mapping[tuple[str, str, str], str]) -> str:
    """`text` (written from the names in `read`) with any a backfill has changed since."""
    renames = renamed_since_read(session, read) if read else {}
    return Renamer(renames).rewrite(text, False)[0] if renames else text
