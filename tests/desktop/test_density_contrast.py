"""Registries > Density in the dark theme: every row's text stands out from its background by
at least 4.5:1, measured on the colours the table really paints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop import theme
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.record import observe


@pytest.fixture
def density_view(qtbot, qapp, store):
    from desktop.registries_panel import RegistriesPanel

    theme.apply_theme(qapp)
    with store.write() as s:  # a sparse aspect beside a well-filled one
        for i in range(300):
            observe(s, "blended", "motion", f"{i / 10:.1f}_steady_none_even", source=SourceRef("job", f"j{i}"))
    panel = RegistriesPanel(store)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitUntil(panel.is_ready, timeout=10_000)  # the report is read off the GUI thread
    panel.tabs.setCurrentWidget(panel.density_view)
    qtbot.waitExposed(panel)
    return panel


def test_flagged_and_plain_density_rows_are_readable(density_view):
    view, model = density_view.density_view, density_view.density_model
    image = view.viewport().grab().toImage()
    flagged = plain = 0
    for r in range(model.rowCount()):
        rect = view.visualRect(model.index(r, 0))
        if not rect.isValid() or rect.bottom() >= image.height():
            continue
        painted = QColor(image.pixel(rect.left() + 2, rect.center().y()))
        brush = model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole)
        pen = model.data(model.index(r, 0), Qt.ItemDataRole.ForegroundRole)
        text = pen.color() if pen is not None else QColor(theme.TEXT)
        if brush is not None:
            flagged += 1
            assert painted.name() == brush.color().name()  # the tint is what is on screen
        else:
            plain += 1
        ratio = theme.contrast_ratio(text, painted)
        assert ratio >= 4.5, f"row {r} ({model.row(r).aspect}): contrast {ratio:.2f}:1"
    assert flagged and plain
