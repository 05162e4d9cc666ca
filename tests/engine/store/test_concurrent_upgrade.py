"""Workers started at the same moment on a new shared database create its schema once."""

import subprocess
import sys

import pytest

from engine.store.db import open_store, schema_head, store_revision

OPEN = "import sys; from engine.store.db import open_store; open_store(sys.argv[1], create=True).close()"


@pytest.mark.postgres
def test_four_workers_opening_a_new_database_at_once_all_start(pg_url):
    procs = [
        subprocess.Popen([sys.executable, "-c", OPEN, pg_url], stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=240)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with open_store(pg_url) as store:
        assert store_revision(store) == schema_head()
