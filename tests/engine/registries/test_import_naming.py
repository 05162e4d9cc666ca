"""An import and a worker naming new entries at the same moment on PostgreSQL: the import
waits for the worker's naming to be written, so the name it brings in is seen as taken and
replaced, and no two entries end up with one name."""

import json
import threading
import time

from sqlalchemy import func, select

from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.importer import import_export
from engine.procedural.registries.models import RegistryEntry
from engine.procedural.registries.record import observe
from engine.store.db import open_store


class HeldNaming:
    """A worker's transaction that has named a new motion entry and stays open until released."""

    def __init__(self, url: str):
        self.store = open_store(url)
        self.named = threading.Event()
        self.release = threading.Event()
        self.name: str | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            with self.store.write() as s:
                self.name = observe(s, "blended", "motion", "3.3_steady_left_even", source=SourceRef("job", "w1")).name
                self.named.set()
                self.release.wait(60)
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.named.set()

    def __enter__(self):
        self.thread.start()
        assert self.named.wait(60) and self.error is None, self.error
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(60)
        self.store.close()


def test_import_waits_for_names_being_given_and_never_reuses_one(pg_url, pg_store, tmp_path):
    done: dict = {}
    with HeldNaming(pg_url) as worker:
        export = tmp_path / "other-desk-2026-03-01.json"
        export.write_text(json.dumps({"registries": {"blended_dynamic": {"discoveries": {"motion": [
            {"key": "7.7_steady_right_even", "name": worker.name, "count": 3}]}}}}))
        importer = threading.Thread(target=lambda: done.setdefault("report", import_export(pg_store, export)))
        importer.start()
        time.sleep(1.0)  # room for an import that does not wait to write the name first
    importer.join(60)
    assert worker.error is None
    report = done["report"]
    assert [(old, new != old) for _path, old, new in report.renamed] == [(worker.name, True)]
    with pg_store.read() as s:
        used = s.execute(select(RegistryEntry.name, func.count()).group_by(RegistryEntry.name)
                         .having(func.count() > 1)).all()
        keys = dict(s.execute(select(RegistryEntry.key, RegistryEntry.name).where(RegistryEntry.aspect == "motion")).all())
    assert used == []
    assert keys["3.3_steady_left_even"] == worker.name and keys["7.7_steady_right_even"] != worker.name
