"""Opening a store: a SQLite file (WAL, busy timeout) or a PostgreSQL URL (psycopg 3).

`open_store` checks what it was given before it writes anything, so a file that is not a
store, or a store made by a newer Dailies, is reported and left exactly as it was. An older
store is upgraded on open; a SQLite file is copied aside first.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from engine.core import paths
from engine.core.errors import MediaError, StoreError
from engine.store.media_files import media_path
from engine.store.sqlite_file import check_sqlite_length

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class StoreLocation:
    """Where a store lives: a SQLite file or a server URL, and where its media go."""

    url: URL
    path: Path | None  # the SQLite file, None for a server

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def display(self) -> str:
        """A name for the store that is safe to print (no password)."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @property
    def media_dir(self) -> Path:
        """Takes' files: beside a SQLite file, else DAILIES_MEDIA_DIR or the data folder."""
        if self.path is not None:
            return self.path.with_name(self.path.stem + ".media")
        override = os.environ.get("DAILIES_MEDIA_DIR")
        return Path(override) if override else paths.user_data_dir() / "media"


def locate(spec: str | os.PathLike | None = None) -> StoreLocation:
    """Resolve --store / DAILIES_STORE / the default into a location."""
    raw = str(spec) if spec is not None else os.environ.get("DAILIES_STORE", "")
    if not raw:
        raw = str(paths.default_store_path())
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError:
            raise StoreError(f"store URL '{raw}' is not a valid database URL") from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        if url.drivername.startswith("sqlite"):
            db = url.database or ""
            return StoreLocation(url=url, path=Path(db).expanduser().resolve() if db else None)
        if not url.drivername.startswith("postgresql"):
            raise StoreError(
                f"store URL '{url.render_as_string(hide_password=True)}': "
                "Dailies stores are SQLite files or PostgreSQL databases"
            )
        return StoreLocation(url=url, path=None)
    path = Path(raw).expanduser().resolve()
    return StoreLocation(url=URL.create("sqlite+pysqlite", database=str(path)), path=path)


@cache
def _alembic_script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "engine.store:migrations")
    return cfg


_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=]*=\s*['\"]?([\w.-]+|None)['\"]?", re.M)


@cache
def _revision_chain() -> tuple[set[str], str]:
    """(every revision, the head), read from the migration files without importing Alembic:
    opening a store must stay cheap, and Alembic is loaded only when a migration runs.
    tests/engine/store/test_migrations.py checks this agrees with Alembic's own reading."""
    parents: dict[str, str | None] = {}
    for path in (Path(__file__).parent / "migrations" / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            down = found.get("down_revision")
            parents[found["revision"]] = None if down in (None, "None") else down
    children = {p for p in parents.values() if p}
    heads = [r for r in parents if r not in children]
    if len(heads) != 1:
        raise StoreError(f"the store's migrations have {len(heads)} heads ({', '.join(sorted(heads))})")
    return set(parents), heads[0]


def schema_head() -> str:
    return _revision_chain()[1]


def known_revisions() -> set[str]:
    return _revision_chain()[0]


class Store:
    """An open store: the engine, and sessions for reading and for writing.

    `read()` and `write()` each open one short session and commit or roll back on exit;
    sessions and ORM objects never leave the thread that opened them. On SQLite a write
    session starts with BEGIN IMMEDIATE, so two writers queue on the busy timeout instead of
    failing part way through.
    """

    def __init__(self, location: StoreLocation, engine: Engine):
        self.location = location
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(dailies_begin="IMMEDIATE") if location.is_sqlite else engine
        self._write = sessionmaker(writer, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.location.is_sqlite

    @property
    def media_dir(self) -> Path:
        return self.location.media_dir

    def display(self) -> str:
        return self.location.display()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            yield session
            session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write.begin() as session:
            yield session

    def resolve_media(self, output_path: str | None) -> Path | None:
        """A take's output path as a file on this machine (relative paths are under media);
        None when there is none or when it lies outside the media folder (never read)."""
        if not output_path:
            return None
        try:
            return self.media_file(output_path)
        except MediaError:
            return None

    def media_file(self, output_path: str) -> Path:
        """A take's file inside the media folder; MediaError says why a path is refused."""
        return media_path(self.media_dir, output_path)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def busy_timeout_ms() -> int:
    """How long a SQLite write waits for another writer (DAILIES_BUSY_TIMEOUT_MS overrides)."""
    raw = os.environ.get("DAILIES_BUSY_TIMEOUT_MS", "")
    if not raw:
        return SQLITE_BUSY_TIMEOUT_MS
    if not raw.isdigit():
        raise StoreError(f"DAILIES_BUSY_TIMEOUT_MS is '{raw}'; it takes milliseconds, e.g. 30000")
    return int(raw)


def _sqlite_engine(location: StoreLocation) -> Engine:
    busy_ms = busy_timeout_ms()
    engine = create_engine(
        location.url,
        connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("dailies_begin", "DEFERRED")
        statement = f"BEGIN {mode}"
        try:  # straight to the driver (cheaper), wrapped as SQLAlchemy would wrap it
            conn.connection.driver_connection.execute(statement)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc

    return engine


def _pg_engine(location: StoreLocation) -> Engine:
    return create_engine(
        location.url,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
        pool_pre_ping=True,
    )


def _inspect_sqlite_file(path: Path) -> str | None:
    """Read-only look at an existing file: its schema revision, or None for an empty file.

    Raises StoreError when the file is unreadable, not SQLite, or SQLite but not a store.
    """
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read store {path}: permission denied")
    if path.is_dir():
        raise StoreError(f"store {path} is a folder, not a store file")
    if path.stat().st_size == 0:
        return None
    check_sqlite_length(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise StoreError(
                    f"{path} is an SQLite database but not a Dailies store "
                    f"(it has tables {', '.join(sorted(tables)[:4])} and no schema revision)"
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a Dailies store ({exc})") from None
    return row[0] if row else None


def _check_revision(current: str | None, where: str) -> None:
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"store {where} was made by a newer version of Dailies (schema revision "
            f"'{current}', this version knows up to '{schema_head()}'); upgrade Dailies to open it"
        )


def backup_sqlite(path: Path, current: str) -> Path:
    """Copy a SQLite store aside (consistent even in WAL mode) before it is migrated."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-{current}-{stamp}.bak")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


MIGRATION_LOCK_KEY = 0x4461696C  # 'Dail': the advisory lock every upgrade of a shared store takes


def _migrate(engine: Engine) -> None:
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Workers started together on one database upgrade it once: the others wait
            # here, then find it at head and have nothing to do.
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _pg_revision(engine: Engine, where: str) -> str | None:
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            tables = set(insp.get_table_names())
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise StoreError(
                    f"database {where} has tables but is not a Dailies store (no schema revision)"
                )
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"PostgreSQL store {where} does not answer: {reason}") from None


def open_store(
    spec: str | os.PathLike | None = None, *, create: bool = False, migrate: bool = True
) -> Store:
    """Open the store named by `spec` (path or URL), DAILIES_STORE, or the default.

    `create` allows a new store at that place; without it a missing file is an error, so a
    mistyped path never silently starts an empty store.
    """
    location = locate(spec)
    where = location.display()
    backup: Path | None = None
    if location.is_sqlite:
        path = location.path
        assert path is not None
        if path.exists():
            current = _inspect_sqlite_file(path)
        elif not create:
            raise StoreError(f"no store at {path} (make one with 'dailies demo --store {path}')")
        elif not path.parent.is_dir():
            raise StoreError(f"cannot create store {path}: folder {path.parent} does not exist")
        elif not os.access(path.parent, os.W_OK):
            raise StoreError(f"cannot create store {path}: folder {path.parent} is not writable")
        else:
            current = None
        _check_revision(current, where)
        needs_migration = current != schema_head()
        if needs_migration and current is not None and migrate:
            backup = backup_sqlite(path, current)
        engine = _sqlite_engine(location)
    else:
        engine = _pg_engine(location)
        current = _pg_revision(engine, where)
        if current is None and not create:
            engine.dispose()
            raise StoreError(f"database {where} holds no Dailies store yet (run 'dailies demo --store URL' or any import)")
        _check_revision(current, where)
        needs_migration = current != schema_head()
    if needs_migration:
        if not migrate:
            engine.dispose()
            raise StoreError(f"store {where} needs an upgrade from '{current}' to '{schema_head()}'")
        try:
            _migrate(engine)
        except Exception as exc:
            engine.dispose()
            hint = f"; the store before the upgrade is kept at {backup}" if backup else ""
            raise StoreError(f"upgrading store {where} failed: {exc}{hint}") from exc
    return Store(location, engine)


def revision_state(spec: str | os.PathLike | None = None) -> tuple[str, str | None, str]:
    """(where, current revision, head) of a store, read without changing it."""
    location = locate(spec)
    where = location.display()
    if location.is_sqlite:
        assert location.path is not None
        if not location.path.exists():
            raise StoreError(f"no store at {location.path}")
        current = _inspect_sqlite_file(location.path)
    else:
        engine = _pg_engine(location)
        try:
            current = _pg_revision(engine, where)
        finally:
            engine.dispose()
    _check_revision(current, where)
    return where, current, schema_head()


def store_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
