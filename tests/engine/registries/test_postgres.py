"""Backfill and import on PostgreSQL: the store-wide backfill lock, and a whole run once."""

import threading
import time

import pytest

from engine.procedural.registries.backfill import (
    BackfillBusy,
    backfill,
    backfill_history,
    scan_references,
    undo_backfill,
)
from engine.procedural.registries.gibberish import is_gibberish
from engine.procedural.registries.health import health
from engine.procedural.registries.importer import import_export
from engine.procedural.registries.query import entries
from engine.store.db import open_store

from .conftest import EXPORT_21, populate, real_export

OLD = ["Qitudaterara", "theme_dawnure", "Novel47799", "Violet3560"]


class HeldBackfill:
    """A backfill in a thread that stops inside its transaction (lock held) until released."""

    def __init__(self, url: str):
        self.store = open_store(url)
        self.inside = threading.Event()
        self.release = threading.Event()
        self.result = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _progress(self, done, total, where):
        if where == "done":
            self.inside.set()
            self.release.wait(60)

    def _run(self):
        try:
            self.result = backfill(self.store, progress=self._progress)
        except BaseException as exc:  # reported by the test
            self.error = exc

    def __enter__(self):
        self.thread.start()
        assert self.inside.wait(60), "the first backfill never reached its writes"
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(60)
        self.store.close()


def test_a_second_backfill_is_refused_clearly_while_one_runs(pg_url, pg_store):
    populate(pg_store)
    with HeldBackfill(pg_url) as first:
        t0 = time.monotonic()
        with pytest.raises(BackfillBusy, match=r"is held by another backfill or writer \(waited 0.5 s\)"):
            backfill(pg_store, wait_seconds=0.5)
        assert time.monotonic() - t0 >= 0.5  # it waited as long as asked before refusing
        with pytest.raises(BackfillBusy):
            backfill(pg_store, dry_run=True, wait_seconds=0)
    assert first.error is None and len(first.result.renames) == 4
    assert [len(r.renames) for r in backfill_history(pg_store)] == [4]


def test_a_second_backfill_that_waits_runs_once_the_first_has_finished(pg_url, pg_store):
    populate(pg_store)
    second: dict = {}
    with HeldBackfill(pg_url) as first:
        waiter = threading.Thread(target=lambda: second.setdefault("result", backfill(pg_store, wait_seconds=30)))
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive()  # waiting on the lock, not failing
    waiter.join(60)
    assert first.error is None and len(first.result.renames) == 4
    assert second["result"].renames == ()  # the first already gave every name a real one


def test_import_backfill_and_undo_on_postgres(pg_store):
    populate(pg_store)
    report = import_export(pg_store, real_export(EXPORT_21))
    assert report.new_entries > 0 and report.interpretations == 100
    before = scan_references(pg_store, OLD)
    assert set(before) == set(OLD)
    result = backfill(pg_store)
    assert len(result.renames) >= 4 and result.cells_changed > 0
    with pg_store.read() as s:
        names = [e.name for reg, asp in (("pure", "colour"), ("pure", "sound"), ("blended", "blends"))
                 for e in entries(s, reg, asp, with_sources=False)]
    assert names and not [n for n in names if is_gibberish(n)]
    assert scan_references(pg_store, OLD) == {}
    assert "gibberish_name" not in health(pg_store).by_check()
    assert undo_backfill(pg_store, result.run_id) == result.cells_changed
    assert scan_references(pg_store, OLD) == before
