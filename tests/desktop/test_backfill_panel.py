"""The backfill panel on a real store: preview, run and undo as ops off the GUI thread,
progress, history, cancel."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine.procedural.registries.models import CreationJob, RegistryEntry  # noqa: E402
from engine.store.db import open_store  # noqa: E402
from tests.engine.registries.conftest import populate  # noqa: E402


@pytest.fixture
def bf_store(tmp_path):
    store = open_store(tmp_path / "bf.sqlite", create=True)
    populate(store)
    yield store
    store.close()


@pytest.fixture
def panel(qtbot, bf_store):
    from desktop.backfill_panel import BackfillPanel

    w = BackfillPanel(bf_store)
    qtbot.addWidget(w)
    w.resize(900, 600)
    with qtbot.waitSignal(w.backfill_finished, timeout=30_000):
        w.show()  # the panel previews by itself the first time it is shown
    qtbot.waitUntil(w.is_ready, timeout=30_000)
    return w


def test_the_panel_opens_on_a_preview_and_says_when_nothing_needs_renaming(qtbot, tmp_path):
    from desktop.backfill_panel import BackfillPanel

    store = open_store(tmp_path / "clean.sqlite", create=True)
    w = BackfillPanel(store)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.backfill_finished, timeout=30_000):
        w.show()
    qtbot.waitUntil(w.is_ready, timeout=30_000)
    assert w.status.text() == "No gibberish names in the registries: nothing to rename."
    assert w.history_label.text() == "History: no backfill has run on this store yet"
    assert not w.progress.isVisible()
    store.close()


def names(store):
    with store.read() as s:
        return set(s.scalars(select(RegistryEntry.name)))


def test_preview_then_run_then_undo(panel, bf_store, qtbot, qtmodeltester):
    with qtbot.waitSignal(panel.backfill_finished, timeout=30_000):
        panel.preview_button.click()
    assert panel.preview_model.rowCount() == 4
    qtmodeltester.check(panel.preview_model)
    olds = {panel.preview_model.rows[r][0] for r in range(4)}
    assert olds == {"Qitudaterara", "theme_dawnure", "Novel47799", "Violet3560"}
    assert olds <= names(bf_store)  # a preview changes nothing
    assert "would be renamed" in panel.status.text()

    steps = []
    panel.progress.valueChanged.connect(steps.append)
    with qtbot.waitSignal(panel.backfill_finished, timeout=30_000):
        panel.run_button.click()
    assert not olds & names(bf_store)
    qtbot.waitUntil(lambda: panel.is_ready() and panel.history_model.rowCount() == 1, timeout=30_000)
    qtmodeltester.check(panel.history_model)
    assert panel.progress.value() == panel.progress.maximum()
    assert steps == sorted(steps) and steps[-1] == panel.progress.maximum()
    panel.grab().save("/tmp/backfill_panel.png")

    panel.history_view.selectRow(0)
    with qtbot.waitSignal(panel.undo_finished, timeout=30_000):
        panel.undo_button.click()
    assert olds <= names(bf_store)
    qtbot.waitUntil(panel.is_ready, timeout=30_000)
    assert panel.history_model.rows[0][4] != ""
    assert "cells restored" in panel.status.text()


def test_cancel_leaves_the_store_unchanged(panel, bf_store, qtbot):
    with bf_store.write() as s:
        for i in range(5000):
            s.add(CreationJob(ref=f"extra-{i}", prompt=f"Qitudaterara {i}", status="succeeded"))
    with qtbot.waitSignal(panel.backfill_cancelled, timeout=30_000):
        panel.start(dry_run=False)
        panel.cancel()
    assert "cancelled" in panel.status.text()
    assert "Qitudaterara" in names(bf_store)
    assert panel.history_model.rowCount() == 0 and panel.run_button.isEnabled()


def test_undo_of_a_run_already_undone_says_why(panel, bf_store, qtbot):
    with qtbot.waitSignal(panel.backfill_finished, timeout=30_000):
        panel.run_button.click()
    qtbot.waitUntil(lambda: panel.is_ready() and panel.history_model.rowCount() == 1, timeout=30_000)
    panel.history_view.selectRow(0)
    with qtbot.waitSignal(panel.undo_finished, timeout=30_000):
        panel.undo_button.click()
    qtbot.waitUntil(panel.is_ready, timeout=30_000)
    panel.history_view.selectRow(0)
    with qtbot.waitSignal(panel.undo_finished, timeout=30_000):
        panel.undo_button.click()
    assert panel.status.text().startswith("Undo failed: backfill run 1 was already undone")
    assert panel.undo_button.isEnabled()
