"""History holds against the database's own shortcuts, and store check sees any rewrite."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from engine.store.check import check_store
from engine.store.models import CostEntry, ReviewDecision, SystemPromptText, Take
from engine.store.reviews import add_decision
from engine.store.takes import NewTake, append_take
from tests.engine.store.template import copied_store, template_store  # noqa: F401  (fixtures)

from .helpers import add_shots


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request):
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def _history(store):
    add_shots(store, "SH010")
    with store.write() as s:
        take = append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="a lamp",
                                      seed=7, cost=0.25, system_prompt_text="be exact"))
        add_decision(s, take.id, reviewer="ana", approve=True, client_key="k1")
    return take


def _snapshot(store):
    with store.read() as s:
        return (
            s.execute(select(Take.id, Take.prompt, Take.seed, Take.cost)).all(),
            s.execute(select(ReviewDecision.id, ReviewDecision.action)).all(),
            s.execute(select(CostEntry.id, CostEntry.amount)).all(),
            s.execute(select(SystemPromptText.id, SystemPromptText.text, SystemPromptText.sha256)).all(),
        )


REPLACES = [
    "INSERT OR REPLACE INTO take (id, shot_id, number, created_at, prompt, seed, model, pipeline, cost, "
    "media_kind, failed) VALUES (1, 1, 1, '2026-01-01 00:00:00', 'rewritten', 1, 'm', 'p', 0, 'image', 0)",
    "REPLACE INTO take (id, shot_id, number, created_at, prompt, seed, model, pipeline, cost, media_kind, "
    "failed) VALUES (9, 1, 1, '2026-01-01 00:00:00', 'rewritten', 1, 'm', 'p', 0, 'image', 0)",
    "INSERT OR REPLACE INTO review_decision (id, take_id, reviewer, created_at, action, note) "
    "VALUES (1, 1, 'mallory', '2026-01-01 00:00:00', 'reject', '')",
    "INSERT OR REPLACE INTO review_decision (take_id, reviewer, created_at, action, note, client_key) "
    "VALUES (1, 'mallory', '2026-01-01 00:00:00', 'reject', '', 'k1')",
    "INSERT OR REPLACE INTO cost_entry (id, pass_type, model, input_tokens, output_tokens, amount, created_at) "
    "VALUES (1, 'generation', 'm', 0, 0, 99.0, '2026-01-01 00:00:00')",
    "INSERT OR REPLACE INTO system_prompt_text (id, sha256, text, created_at) "
    "VALUES (1, 'x', 'be sloppy', '2026-01-01 00:00:00')",
    "INSERT INTO cost_entry (id, pass_type, model, input_tokens, output_tokens, amount, created_at) "
    "VALUES (1, 'generation', 'm', 0, 0, 99.0, '2026-01-01 00:00:00') "
    "ON CONFLICT (id) DO UPDATE SET amount = excluded.amount",
    "UPDATE system_prompt_text SET text = 'be sloppy'",
    "DELETE FROM system_prompt_text",
    "UPDATE take SET output_path = '/etc/shadow'",
]


@pytest.mark.parametrize("statement", REPLACES)
def test_sqlite_refuses_every_shortcut_that_would_replace_history(store, statement):
    _history(store)
    before = _snapshot(store)
    conn = sqlite3.connect(store.location.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    conn.close()
    assert _snapshot(store) == before
    assert check_store(store.location.path).ok


def test_postgresql_refuses_truncate_of_history(pg_store):
    _history(pg_store)
    before = _snapshot(pg_store)
    for table in ("take", "review_decision", "review_tag", "cost_entry", "system_prompt_text"):
        with pytest.raises(DBAPIError, match="append-only"), pg_store.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table} CASCADE"))
    assert _snapshot(pg_store) == before


def test_postgresql_refuses_upsert_rewrites(pg_store):
    _history(pg_store)
    before = _snapshot(pg_store)
    with pytest.raises(DBAPIError, match="append-only"), pg_store.engine.begin() as conn:
        conn.execute(text("INSERT INTO system_prompt_text (id, sha256, text, created_at) "
                          "VALUES (1, 'x', 'be sloppy', now()) ON CONFLICT (id) DO UPDATE "
                          "SET text = excluded.text, sha256 = excluded.sha256"))
    assert _snapshot(pg_store) == before


def _drop_guards(store):
    """What someone holding the store can do: remove the triggers."""
    with store.engine.begin() as conn:
        if store.is_sqlite:
            for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'")).all():
                conn.execute(text(f"DROP TRIGGER {name}"))
        else:
            for table in ("take", "system_prompt_text"):
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


REWRITES = ("prompt = 'a different lamp'", "seed = 8", "cost = 0.01", "output_path = 'elsewhere.png'",
            "created_at = '2020-01-01 00:00:00'", "failed = true")


def test_store_check_names_each_rewritten_take(any_store):
    _history(any_store)
    with any_store.write() as s:
        for i in range(len(REWRITES)):
            append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="a lamp", seed=i))
    spec = any_store.location.path or any_store.location.url.render_as_string(hide_password=False)
    assert check_store(spec).ok
    _drop_guards(any_store)
    with any_store.engine.begin() as conn:
        for number, rewrite in enumerate(REWRITES, start=2):
            conn.execute(text(f"UPDATE take SET {rewrite} WHERE number = {number}"))
    problems = check_store(spec).problems
    for number in range(2, len(REWRITES) + 2):
        assert any(f"SH010/take_{number:03d}" in p and "changed" in p for p in problems), number
    assert not any("take_001" in p for p in problems)


def test_store_check_sees_a_system_prompt_text_edited_with_its_hash(any_store):
    import hashlib

    _history(any_store)
    spec = any_store.location.path or any_store.location.url.render_as_string(hide_password=False)
    _drop_guards(any_store)
    forged = "be sloppy"
    with any_store.engine.begin() as conn:
        conn.execute(text("UPDATE system_prompt_text SET text = :t, sha256 = :h"),
                     {"t": forged, "h": hashlib.sha256(forged.encode()).hexdigest()})
    report = check_store(spec)
    assert any("SH010/take_001" in p for p in report.problems)


def test_store_check_runs_the_full_integrity_check(store):
    _history(store)
    with store.write() as s:
        for i in range(50):
            append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt=f"p{i}",
                                   output_sha256=f"{i:064d}"))
    path = store.location.path
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")  # the index now claims to cover another column
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_take_output_sha256 ON take (prompt)' "
                 "WHERE name = 'ix_take_output_sha256'")
    conn.commit()
    conn.close()
    assert check_store(path, quick=True).ok  # quick_check does not read index contents
    report = check_store(path)
    assert any("integrity" in p and "ix_take_output_sha256" in p for p in report.problems)


def test_a_store_cut_short_is_refused_before_any_write(store, tmp_path):
    from engine.cli.main import main

    add_shots(store, *[f"SH{i:03d}" for i in range(200)])
    path = store.location.path
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:-1024])
    assert main(["shots", "add", "--store", str(path), "--episode", "EP01", "--code", "SH999"]) == 2
    assert path.read_bytes() == data[:-1024]


def test_migration_seals_the_takes_already_in_a_store(tmp_path):
    from alembic import command

    from engine.store.db import _alembic_config, open_store

    path = tmp_path / "old.sqlite"
    with open_store(path, create=True) as store:
        add_shots(store, "SH010")
        with store.write() as s:
            append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="x",
                                   system_prompt_text="sp"))
        cfg = _alembic_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0004_decision_client_key")
    with open_store(path) as store, store.read() as s:  # upgraded on open
        assert s.scalar(select(func.count()).select_from(Take).where(Take.record_digest.is_(None))) == 0
    assert check_store(path).ok
