"""Two writers that add registry entries at the same moment on PostgreSQL: one entry per key
with both observations, one name per entry, and runs that wait for a backfill keep their
observations and write its new names."""

from __future__ import annotations

import threading
import time
from collections import Counter

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from engine.procedural.discovery.loop import Extracted, record_run
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.models import CreationJob, RegistryEntry, RegistrySource
from engine.procedural.registries.query import find_entry
from engine.procedural.registries.record import observe_many
from engine.store.db import open_store
from tests.engine.registries.test_postgres import HeldBackfill, populate


class Writer(threading.Thread):
    """`work(session)` in its own write transaction, in a thread; its backend pid is known
    before the work starts, so the test can see when it waits on a lock."""

    def __init__(self, url: str, work):
        super().__init__(daemon=True)
        self.store, self.work = open_store(url), work
        self.pid: int | None = None
        self.started = threading.Event()
        self.error: BaseException | None = None

    def run(self):
        try:
            with self.store.write() as s:
                self.pid = s.scalar(text("SELECT pg_backend_pid()"))
                self.started.set()
                self.work(s)
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.started.set()

    def finish(self):
        self.join(60)
        self.store.close()
        assert not self.is_alive() and self.error is None, self.error


def wait_until_blocked(store, writer: Writer) -> None:
    """Until the writer's backend waits on a lock (a row or an advisory lock)."""
    assert writer.started.wait(60)
    deadline = time.monotonic() + 60
    while True:
        with store.read() as s:
            state = s.scalar(text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :p"), {"p": writer.pid})
        if state == "Lock":
            return
        assert writer.is_alive() and time.monotonic() < deadline, f"the writer never waited ({writer.error})"
        time.sleep(0.02)


def test_a_key_another_writer_is_inserting_lands_on_its_entry_with_both_counts(pg_url, pg_store):
    key = "25,75,200_1.0"
    first = Session(pg_store.engine)
    eid = first.execute(insert(RegistryEntry).values(
        reg="pure", aspect="colour", key=key, name="Cobalt", is_origin=False).returning(RegistryEntry.id)).scalar()
    first.execute(insert(RegistrySource).values(
        entry_id=eid, reg="pure", aspect="colour", kind="import", ref="export", times=2))
    second = Writer(pg_url, lambda s: observe_many(s, "pure", "colour", {key: 3}, source=SourceRef("job", "run-2")))
    second.start()
    wait_until_blocked(pg_store, second)  # its insert waits on the uncommitted row
    first.commit()
    first.close()
    second.finish()
    with pg_store.read() as s:
        rows = s.execute(select(RegistryEntry.id, RegistryEntry.name).where(RegistryEntry.key == key)).all()
        assert rows == [(eid, "Cobalt")]
        assert find_entry(s, "pure", "colour", key).count == 5


def test_two_writers_naming_new_values_at_once_never_share_a_name(pg_url, pg_store):
    # In an empty registry both colours' first name is the same ("Ocean").
    a, b = "0,0,25_1.0", "0,0,75_1.0"
    first = Session(pg_store.engine)
    got_a = observe_many(first, "pure", "colour", {a: 1}, source=SourceRef("job", "run-1"))[a]
    second = Writer(pg_url, lambda s: observe_many(s, "pure", "colour", {b: 1}, source=SourceRef("job", "run-2")))
    second.start()
    wait_until_blocked(pg_store, second)  # waits for the naming lock
    first.commit()
    first.close()
    second.finish()
    with pg_store.read() as s:
        names = dict(s.execute(select(RegistryEntry.key, RegistryEntry.name).where(RegistryEntry.key.in_([a, b]))).all())
    assert names[a] == got_a.name and names[b] != names[a]


def test_a_run_recorded_during_a_backfill_waits_keeps_its_observations_and_writes_the_new_names(pg_url, pg_store):
    populate(pg_store)  # "Qitudaterara" names 100,100,150_1.0 and is gibberish
    key = "100,100,150_1.0"
    found = Extracted(colours=Counter({key: 4}))
    with pg_store.read() as s:
        before = find_entry(s, "pure", "colour", key).count
    with HeldBackfill(pg_url) as held:
        run = threading.Thread(target=lambda: record_run(
            pg_store, "loop-during-backfill", "Qitudaterara and Black, linear gradient", found,
            focus="frame", names_read={("pure", "colour", key): "Qitudaterara"}), daemon=True)
        run.start()
        probe = open_store(pg_url)
        try:
            deadline = time.monotonic() + 60
            while not probe_waits(probe):
                assert run.is_alive() and time.monotonic() < deadline, "the run did not wait for the backfill"
                time.sleep(0.02)
        finally:
            probe.close()
    run.join(60)
    assert held.error is None and not run.is_alive()
    with pg_store.read() as s:
        entry = find_entry(s, "pure", "colour", key)
        prompt = s.scalar(select(CreationJob.prompt).where(CreationJob.ref == "loop-during-backfill"))
    assert entry.name != "Qitudaterara"
    assert prompt.startswith(f"{entry.name} and Black") and "Qitudaterara" not in prompt
    assert entry.count == before + 4


def probe_waits(store) -> bool:
    with store.read() as s:
        return bool(s.scalar(text(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")))
