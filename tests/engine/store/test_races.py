"""Four processes racing on one decision key or one new system-prompt text: every one gets
the stored row back, nothing fails, and each key is stored once (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.store.db import open_store
from engine.store.models import ReviewDecision, SystemPromptText, Take
from engine.store.takes import NewTake, append_take

from .helpers import add_shots

RACER = Path(__file__).with_name("racer.py")
WORKERS = ("0", "1", "2", "3")
KEYS = 15


@pytest.fixture(params=["sqlite", "postgresql"])
def spec(request, tmp_path):
    if request.param == "sqlite":
        with open_store(tmp_path / "race.sqlite", create=True):
            pass
        return str(tmp_path / "race.sqlite")
    return request.getfixturevalue("pg_url")


def test_racers_on_decision_keys_and_new_prompt_texts_get_the_stored_row(spec, tmp_path):
    with open_store(spec, create=True) as store:
        add_shots(store, "SH010", *(f"SH{w}" for w in WORKERS))
        with store.write() as s:
            append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe"))
    go = tmp_path / "go"
    workers = [
        subprocess.Popen([sys.executable, str(RACER), spec, w, str(KEYS), str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in WORKERS
    ]
    go.touch()
    results = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0] * len(WORKERS), [err[-2000:] for _, err in results]
    answers = [dict(line.split() for line in out.splitlines()) for out, _ in results]
    with open_store(spec) as store, store.read() as s:
        stored = {k: str(i) for k, i in s.execute(select(ReviewDecision.client_key, ReviewDecision.id))}
        assert s.scalar(select(func.count()).select_from(SystemPromptText)) == KEYS
        assert s.scalar(select(func.count()).select_from(Take)) == 1 + KEYS * len(WORKERS)
        texts = s.execute(select(Take.prompt, SystemPromptText.text)
                          .join(SystemPromptText, SystemPromptText.id == Take.system_prompt_id)).all()
    assert len(stored) == KEYS
    assert all(a == stored for a in answers)  # every racer got the one stored decision back
    assert all(prompt.split()[1] == text.split()[2] for prompt, text in texts)
