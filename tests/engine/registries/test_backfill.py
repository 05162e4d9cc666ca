import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from engine.procedural.registries.backfill import (
    BackfillBusy,
    BackfillCancelled,
    BackfillError,
    backfill,
    backfill_history,
    scan_references,
    undo_backfill,
)
from engine.procedural.registries.gibberish import is_gibberish
from engine.procedural.registries.importer import import_export
from engine.procedural.registries.models import (
    CreationJob,
    Interpretation,
    LearnedBlend,
    LearningRun,
    RegistryEntry,
)
from engine.procedural.registries.name_check import name_problem
from engine.store.models import Take

from .conftest import EXPORT_21, REPO, add_take, populate, real_export

OLD = ["Qitudaterara", "theme_dawnure", "Novel47799", "Violet3560"]


def dump(path) -> list:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_cascade_whole_words_any_case_json_and_never_take_prompts(store):
    populate(store)
    add_take(store, "Qitudaterara over Mistlight")
    result = backfill(store)
    by_old = {r.old: r.new for r in result.renames}
    assert set(by_old) == set(OLD)
    q = by_old["Qitudaterara"]
    with store.read() as s:
        job = s.scalar(select(CreationJob))
        run = s.scalar(select(LearningRun))
        interp = s.get(Interpretation, "interp-1")
        blend = s.scalar(select(LearnedBlend))
        take = s.scalar(select(Take))
        names = set(s.scalars(select(RegistryEntry.name)))
        s.expunge_all()
    assert job.prompt == f"{q} and Mistlight, {by_old['theme_dawnure']} mood"
    assert run.prompt == f"learned {q.lower()}; kept Mistlight"
    assert interp.prompt == f"{q.upper()} sky with Mistlight motion"
    instruction = json.loads(interp.instruction_json)
    assert instruction["palette_hints"] == [q]
    assert instruction[by_old["Novel47799"]] == {"theme": by_old["theme_dawnure"]}
    assert json.loads(blend.inputs_json) == {q: 0.6, "inputs": ["Mistlight", q.lower()]}
    assert json.loads(blend.output_json) == {"name": by_old["Violet3560"], "note": f"{q.upper()}-ish"}
    assert take.prompt == "Qitudaterara over Mistlight"  # provenance, never rewritten
    assert "Mistlight" in names and not set(OLD) & names
    assert scan_references(store, OLD) == {}


def test_dry_run_lists_references_per_table_and_changes_nothing(store, tmp_path):
    populate(store)
    before = dump(tmp_path / "reg.sqlite")
    result = backfill(store, dry_run=True)
    assert result.run_id is None and result.dry_run
    q = next(r for r in result.renames if r.old == "Qitudaterara")
    assert q.references == {
        "creation_job.prompt": 1, "interpretation.instruction_json": 1, "interpretation.prompt": 1,
        "learned_blend.inputs_json": 1, "learned_blend.output_json": 1, "learning_run.prompt": 1,
        "linguistic_mapping.span": 1, "registry_source.prompt": 4,
    }
    assert dump(tmp_path / "reg.sqlite") == before
    assert backfill_history(store) == []


def test_run_is_logged_in_rows_and_undo_restores_everything(store, tmp_path):
    populate(store)
    before = [line for line in dump(tmp_path / "reg.sqlite") if "backfill" not in line]
    result = backfill(store)
    history = backfill_history(store)
    assert [h.id for h in history] == [result.run_id]
    logged = {old: (new, refs) for old, new, refs in history[0].renames}
    assert logged["Qitudaterara"][1] == 11
    assert history[0].cells_changed == result.cells_changed
    assert undo_backfill(store, result.run_id) == result.cells_changed
    after = [line for line in dump(tmp_path / "reg.sqlite") if "backfill" not in line]
    assert after == before
    with pytest.raises(BackfillError, match="already undone"):
        undo_backfill(store, result.run_id)
    with pytest.raises(BackfillError, match="no backfill run 99"):
        undo_backfill(store, 99)


def test_undo_refuses_when_a_cell_changed_since(store):
    populate(store)
    result = backfill(store)
    with store.write() as s:
        s.scalar(select(CreationJob)).prompt = "edited by hand"
    with pytest.raises(BackfillError, match="creation_job.prompt .* changed after it"):
        undo_backfill(store, result.run_id)


def test_undo_refuses_when_a_changed_row_was_deleted_and_changes_nothing(store, tmp_path):
    populate(store)
    result = backfill(store)
    with store.write() as s:
        s.delete(s.scalar(select(LearningRun)))
    before = dump(tmp_path / "reg.sqlite")
    with pytest.raises(BackfillError, match="of learning_run was deleted after it; nothing was undone"):
        undo_backfill(store, result.run_id)
    assert dump(tmp_path / "reg.sqlite") == before


def test_a_second_backfill_is_refused_clearly_while_the_store_is_held(store, tmp_path):
    populate(store)
    holder = sqlite3.connect(tmp_path / "reg.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BackfillBusy, match="held by another backfill or writer"):
            backfill(store, wait_seconds=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(backfill(store).renames) == 4


def test_cancel_leaves_the_store_unchanged(store, tmp_path):
    populate(store)
    with store.write() as s:
        from engine.procedural.registries.record import record_learning_run

        for i in range(3000):
            record_learning_run(s, f"job-{i}", prompt=f"Qitudaterara {i}")
    before = dump(tmp_path / "reg.sqlite")
    with pytest.raises(BackfillCancelled):
        backfill(store, cancel=lambda: True)
    assert dump(tmp_path / "reg.sqlite") == before


KILLED = textwrap.dedent("""
    import os, sys, time
    from engine.store.db import open_store
    from engine.procedural.registries.backfill import backfill
    store = open_store(sys.argv[1])
    def progress(done, total, where):
        if where == "learning_run":
            print("writing", flush=True)
            time.sleep(60)
    backfill(store, progress=progress)
""")


def test_killed_mid_backfill_the_store_is_identical(store, tmp_path):
    populate(store)
    with store.write() as s:
        from engine.procedural.registries.record import record_learning_run

        for i in range(5000):
            record_learning_run(s, f"job-{i}", prompt=f"Qitudaterara {i}")
    store.close()
    path = tmp_path / "reg.sqlite"
    before = dump(path)
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(path)], stdout=subprocess.PIPE,
                            text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert proc.stdout.readline().strip() == "writing"  # job, source and entry updates ran
        proc.kill()
    finally:
        proc.wait(timeout=30)
    assert dump(path) == before


def test_real_export_backfill_leaves_no_gibberish_and_no_reference(store):
    import_export(store, real_export(EXPORT_21))
    result = backfill(store)
    from engine.procedural.registries.health import health

    assert len(result.renames) > 300
    checks = health(store).by_check()
    assert checks.get("gibberish_name", 0) == 0 and checks.get("name_meaning", 0) == 0
    gibberish = [r.old for r in result.renames if is_gibberish(r.old)]
    assert len(gibberish) > 100
    assert scan_references(store, gibberish) == {}
    # a real word that was a wrong name ('Flax' on a slate blue) is replaced where it names
    # the entry, and the entry's new name says what its value is
    with store.read() as s:
        for r in result.renames:
            e = s.get(RegistryEntry, r.entry_id)
            assert e.name == r.new != r.old and name_problem(e.reg, e.aspect, e.key, e.name) is None
