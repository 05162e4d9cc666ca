"""A fresh SQLite store made by copying one migrated once per run (migrating takes longer
than the tests that use it). Import the fixtures into a test module:
`from tests.engine.store.template import copied_store, template_store` (the store
fixture is then a copy)."""

from __future__ import annotations

import shutil

import pytest

from engine.store.db import open_store


@pytest.fixture(scope="session")
def template_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "store.sqlite"
    open_store(path, create=True).close()
    return path


@pytest.fixture(name="store")
def copied_store(template_store, tmp_path):
    """A new, empty SQLite store in a temporary folder (a copy of the migrated template)."""
    path = tmp_path / "store.sqlite"
    shutil.copyfile(template_store, path)
    s = open_store(path)
    yield s
    s.close()
