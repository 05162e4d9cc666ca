"""Opening a store: bad places are reported by name and left exactly as they were."""

import hashlib
import sqlite3

import pytest
from alembic import command

from engine.core.errors import StoreError
from engine.store.db import _alembic_config, open_store, schema_head, store_revision


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_store_is_created_only_when_asked(tmp_path):
    target = tmp_path / "typo.sqlite"
    with pytest.raises(StoreError, match=f"no store at {target}"):
        open_store(target)
    assert not target.exists()
    with open_store(target, create=True) as store:
        assert store_revision(store) == schema_head()
    with open_store(target) as store:
        assert store.display() == str(target)


def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shot list for Friday\n" * 200)
    before = _digest(notes)
    with pytest.raises(StoreError, match="notes.txt is not a Dailies store"):
        open_store(notes)
    assert _digest(notes) == before


def test_an_sqlite_file_of_another_program_is_refused_and_untouched(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(other)
    with pytest.raises(StoreError, match="not a Dailies store .*contacts"):
        open_store(other)
    assert _digest(other) == before
    assert not (tmp_path / "other.sqlite-wal").exists()


def test_a_store_made_by_a_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    open_store(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="newer version of Dailies .*9999_from_the_future"):
        open_store(path)
    assert _digest(path) == before


def test_an_older_store_is_copied_aside_then_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    first = "0001_spine"
    assert schema_head() != first, "needs a schema with more than one revision"
    # A store as the first release of Dailies left it.
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, first)
    engine.dispose()
    with open_store(path) as store:
        assert store_revision(store) == schema_head()
    backups = list(tmp_path.glob("old.sqlite.before-0001_spine-*.bak"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (first,)
    conn.close()


def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)


def test_a_store_in_a_missing_folder_is_reported(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "s.sqlite", create=True)


def test_a_postgresql_url_that_does_not_answer_is_reported_without_password():
    with pytest.raises(StoreError, match="does not answer") as err:
        open_store("postgresql://studio:s3cret@127.0.0.1:1/dailies")
    assert "s3cret" not in str(err.value)


def test_an_unsupported_url_is_reported():
    with pytest.raises(StoreError, match="SQLite files or PostgreSQL"):
        open_store("mysql://localhost/dailies")


def test_sqlite_stores_run_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
