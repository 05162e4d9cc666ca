"""The registries panel on a real store: lazy browsing, search as you type, density marks,
growth chart, every read off the GUI thread."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from engine.procedural.registries.catalog import SourceRef  # noqa: E402
from engine.procedural.registries.record import observe  # noqa: E402
from engine.store.db import open_store  # noqa: E402


@pytest.fixture
def reg_store(tmp_path):
    store = open_store(tmp_path / "panel.sqlite", create=True)
    with store.write() as s:
        for i in range(450):
            observe(s, "blended", "motion", f"{i / 10:.1f}_steady_none_even", source=SourceRef("job", f"j{i}"))
        for r in range(0, 251, 25):
            observe(s, "pure", "colour", f"{r},100,150_1.0", source=SourceRef("job", "j"), times=3)
    yield store
    store.close()


@pytest.fixture
def panel(qtbot, reg_store):
    from desktop.registries_panel import RegistriesPanel

    w = RegistriesPanel(reg_store)
    qtbot.addWidget(w)
    w.resize(900, 600)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=10_000)
    return w


def test_entries_load_lazily_and_search_filters(panel, qtbot, qtmodeltester):
    panel.show_aspect("blended", "motion")
    model = panel.entries_model
    qtbot.waitUntil(panel.is_ready, timeout=10_000)
    assert model.total() == 450
    assert model.rowCount() == 200 and model.canFetchMore()
    qtmodeltester.check(model)  # also while pages arrive
    while model.canFetchMore() or not model.is_ready():
        model.fetchMore()
        qtbot.waitUntil(model.is_ready, timeout=10_000)
    assert model.rowCount() == 450 and not model.canFetchMore()
    assert len({model.entry(r).id for r in range(450)}) == 450  # no page twice
    qtmodeltester.check(model)
    panel.show_aspect("pure", "colour", search="250,100")
    qtbot.waitUntil(lambda: panel.is_ready() and model.total() == 1, timeout=10_000)
    assert model.data(model.index(0, 1)) == "250,100,150_1.0"
    assert model.data(model.index(0, 2)) == 3
    assert panel.count_label.text() == "1 entries"


def test_typing_a_search_queries_once_when_typing_stops(panel, qtbot):
    from PySide6.QtTest import QTest

    model = panel.entries_model
    panel.show_aspect("blended", "motion")
    qtbot.waitUntil(panel.is_ready, timeout=10_000)
    queries = []
    model.modelReset.connect(lambda: queries.append(model.search))
    QTest.keyClicks(panel.search_box, "12.3_")
    qtbot.waitUntil(lambda: panel.is_ready() and bool(queries), timeout=10_000)
    qtbot.wait(300)
    assert queries == ["12.3_"]  # no list for "1", "12"... flashes by while typing
    assert model.total() == 1 and model.data(model.index(0, 1)) == "12.3_steady_none_even"


def test_a_search_matching_more_than_the_count_limit_says_so(qtbot, tmp_path, monkeypatch):
    from desktop import entry_pages
    from desktop.registries_panel import RegistriesPanel

    monkeypatch.setattr(entry_pages, "COUNT_UP_TO", 100)
    store = open_store(tmp_path / "many.sqlite", create=True)
    with store.write() as s:
        for i in range(150):
            observe(s, "blended", "motion", f"{i / 10:.1f}_steady_left_even", source=SourceRef("job", "j"))
    w = RegistriesPanel(store)
    qtbot.addWidget(w)
    w.show_aspect("blended", "motion", search="left")
    qtbot.waitUntil(w.is_ready, timeout=10_000)
    assert w.count_label.text() == "more than 100 entries"
    assert w.entries_model.rowCount() == 150  # one page, all of them
    store.close()


def test_density_marks_sparse_and_growth_chart_draws(panel, qtmodeltester, tmp_path):
    model = panel.density_model
    qtmodeltester.check(model)
    assert model.rowCount() > 20
    rows = {(model.row(r).registry, model.row(r).aspect): r for r in range(model.rowCount())}
    camera = rows[("blended", "camera")]
    motion = rows[("blended", "motion")]
    assert "sparse" in model.data(model.index(camera, 6))
    assert model.data(model.index(camera, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(motion, 6)) == ""
    assert model.data(model.index(motion, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert len(panel.chart.days()) == 1
    panel.tabs.setCurrentIndex(1)
    panel.grab().save(str(tmp_path / "density.png"))
    panel.tabs.setCurrentIndex(2)
    shot = panel.grab()
    shot.save("/tmp/registries_panel_growth.png")
    image = shot.toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3  # bars and legend were painted, not a blank widget


def test_the_main_window_opens_each_registry_panel(window, qtbot):
    from desktop.backfill_panel import BackfillPanel
    from desktop.registries_panel import RegistriesPanel
    from desktop.sounds_panel import SoundsPanel

    for name, cls in (("registries", RegistriesPanel), ("sounds", SoundsPanel), ("backfill", BackfillPanel)):
        window.show_view(name)
        assert isinstance(window.stack.currentWidget(), cls)
        qtbot.waitUntil(window.is_ready, timeout=30_000)
