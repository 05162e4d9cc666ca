"""Two processes appending to one store at once lose nothing, on SQLite and PostgreSQL."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from engine.store.db import open_store
from engine.store.models import ReviewDecision, Take
from engine.store.shots import add_shot

from .helpers import PLAN

SHOTS = 7
PER_WORKER = 300
APPENDER = Path(__file__).with_name("appender.py")


def _race(spec: str) -> None:
    with open_store(spec, create=True) as store, store.write() as s:
        for i in range(SHOTS):
            add_shot(s, episode="EP01", code=f"SH{i:03d}", plan=PLAN)
    workers = [
        subprocess.Popen([sys.executable, str(APPENDER), spec, name, str(PER_WORKER), str(SHOTS)],
                         stderr=subprocess.PIPE, text=True)
        for name in ("ana", "ben")
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    with open_store(spec) as store, store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 2 * PER_WORKER
        assert s.scalar(select(func.count()).select_from(ReviewDecision)) == 2 * PER_WORKER // 5
        for i in range(SHOTS):
            numbers = sorted(s.scalars(select(Take.number).where(
                Take.shot_id == i + 1)))
            assert numbers == list(range(1, len(numbers) + 1))
        prompts = set(s.scalars(select(Take.prompt)))
        assert {f"{w} attempt {i}" for w in ("ana", "ben") for i in range(PER_WORKER)} == prompts


def test_two_processes_append_to_one_sqlite_store(tmp_path):
    _race(str(tmp_path / "shared.sqlite"))


def test_two_processes_append_to_one_postgresql_store(pg_url):
    _race(pg_url)
