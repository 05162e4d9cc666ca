"""Fixtures every test may use: a fresh SQLite store, a fresh PostgreSQL store, shared data."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """No test touches the user's real data folder or default store."""
    data = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("DAILIES_DATA_DIR", str(data))
    monkeypatch.delenv("DAILIES_STORE", raising=False)
    for key in ("GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def store(tmp_path):
    """A new, empty SQLite store in a temporary folder."""
    from engine.store.db import open_store

    s = open_store(tmp_path / "store.sqlite", create=True)
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the real registry exports are not here ({SHARED_DATA} is missing)")
    return SHARED_DATA


def _pg_admin_url() -> str:
    url = os.environ.get("DAILIES_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: DAILIES_TEST_PG_URL is not set")
        pytest.skip("needs PostgreSQL: set DAILIES_TEST_PG_URL to a server's URL (.ci/run does)")
    return url


@pytest.fixture
def pg_url():
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url()).set(drivername="postgresql+psycopg")
    name = f"dailies_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server named in DAILIES_TEST_PG_URL is not there
        engine.dispose()
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"PostgreSQL at {admin.render_as_string(hide_password=True)} is not reachable: {exc}")
    url = admin.set(database=name).render_as_string(hide_password=False)
    yield url
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


@pytest.fixture
def pg_store(pg_url):
    from engine.store.db import open_store

    s = open_store(pg_url, create=True)
    yield s
    s.close()


# The demo places its dates relative to the day it is built; tests pin that day (a Wednesday).
DEMO_TODAY = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """A demo episode built once per test run (read-only use: copy it to change it)."""
    from engine.store.db import open_store
    from engine.takes.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with open_store(path, create=True) as store:
        build_demo(store, seed=7, today=DEMO_TODAY)
    return path
