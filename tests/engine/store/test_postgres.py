"""The shared studio store: the same guarantees on PostgreSQL as on a workstation's SQLite."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from engine.core.errors import StoreError
from engine.store.db import open_store, schema_head, store_revision
from engine.store.reviews import add_decision
from engine.store.takes import NewTake, append_take, list_takes

from .helpers import add_shots


def test_a_postgresql_store_is_created_migrated_and_append_only(pg_url):
    with open_store(pg_url, create=True) as store:
        assert store_revision(store) == schema_head()
        assert "dailies-ci" not in store.display()
        add_shots(store, "SH010")
        with store.write() as s:
            take = append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe",
                                          prompt="exact", seed=3, system_prompt_text="SYS"))
            add_decision(s, take.id, reviewer="ana", approve=False, tags=["camera_composition"])
        with pytest.raises(DatabaseError, match="append-only"):
            with store.write() as s:
                s.execute(text("UPDATE take SET prompt = 'edited'"))
        with pytest.raises(DatabaseError, match="append-only"):
            with store.write() as s:
                s.execute(text("DELETE FROM review_decision"))
        with store.read() as s:
            (record,) = list_takes(s, "SH010")
    assert (record.prompt, record.seed, record.status) == ("exact", 3, "rejected")


def test_an_empty_database_is_not_opened_as_a_store_unless_asked(pg_url):
    with pytest.raises(StoreError, match="holds no Dailies store yet"):
        open_store(pg_url)


def test_a_database_of_another_program_is_refused(pg_url):
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id int)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a Dailies store"):
        open_store(pg_url, create=True)
