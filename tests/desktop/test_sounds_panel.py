"""The Sounds view on a real store: lazy list, waveform and spectrum, components one by one,
and a banner (not a crash) where the machine has no sound output."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from engine.procedural.registries.catalog import SourceRef  # noqa: E402
from engine.procedural.registries.keys import SOUND_ORIGINS, sound_key  # noqa: E402
from engine.procedural.registries.record import observe  # noqa: E402
from engine.store.db import open_store  # noqa: E402

TONES = {"rumble": "low", "hum": "low", "thump": "low", "tone": "mid", "whoosh": "mid",
         "drip": "mid", "hiss": "high", "rustle": "high", "click": "high"}


@pytest.fixture
def sound_store(tmp_path):
    store = open_store(tmp_path / "sounds.sqlite", create=True)
    with store.write() as s:
        n = 0
        for timbre, tone in TONES.items():
            for amp in range(2, 32):
                observe(s, "pure", "sound", sound_key(amp / 100, tone, timbre),
                        source=SourceRef("discovery", f"run{n}"), times=1 + n % 3)
                n += 1
    yield store
    store.close()


@pytest.fixture
def panel(qtbot, sound_store):
    from desktop.sounds_panel import SoundsPanel

    w = SoundsPanel(sound_store)
    qtbot.addWidget(w)
    w.resize(1200, 720)
    w.show()
    qtbot.waitUntil(w.is_ready, timeout=10_000)
    return w


def test_every_sound_is_listed_lazily_with_name_key_components_and_count(panel, qtbot, qtmodeltester):
    model = panel.model
    assert model.total() == 9 * 30 + len(SOUND_ORIGINS)
    assert model.rowCount() == 200 and model.canFetchMore()
    qtmodeltester.check(model)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == model.total(), timeout=10_000)
    assert not model.canFetchMore()
    assert panel.count_label.text() == f"{model.total()} sounds"
    qtmodeltester.check(model)
    keys = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    r = keys.index("0.12_low_hum")
    assert model.data(model.index(r, 2)) == "hum 0.12"
    assert model.data(model.index(r, 3)) in (1, 2, 3)
    assert model.data(model.index(r, 0)).strip()
    panel.search.setText("high_click")
    qtbot.waitUntil(lambda: panel.is_ready() and model.total() == 30, timeout=10_000)
    assert panel.count_label.text() == "30 sounds"
    assert all("click" in model.data(model.index(r, 1)) for r in range(model.rowCount()))


def test_the_columns_keep_set_widths_however_long_the_names(panel, qtbot):
    from desktop.sounds_panel import COLUMN_WIDTHS

    head = panel.table.horizontalHeader()
    widths = [head.sectionSize(c) for c in range(4)]
    assert widths[0] == COLUMN_WIDTHS[0] and widths[1] == COLUMN_WIDTHS[1] and widths[3] == COLUMN_WIDTHS[3]
    panel.search.setText("hiss")
    qtbot.waitUntil(lambda: panel.is_ready() and model_searched(panel, "hiss"), timeout=10_000)
    assert [head.sectionSize(c) for c in (0, 1, 3)] == [widths[0], widths[1], widths[3]]


def model_searched(panel, text: str) -> bool:
    return panel.model.search == text and panel.model.total() is not None


def test_the_selected_sound_is_drawn_from_its_key(panel, qtbot, tmp_path):
    model = panel.model
    keys = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    panel.table.selectRow(keys.index("0.20_mid_tone"))
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.key == "0.20_mid_tone", timeout=10_000)
    assert panel.title.text() == model.data(model.index(keys.index("0.20_mid_tone"), 0))
    rms = float((panel.current.samples.astype(float) ** 2).mean() ** 0.5)
    assert rms == pytest.approx(0.20, abs=0.03)
    shot = tmp_path / "sounds.png"
    assert panel.grab().save(str(shot)) and shot.stat().st_size > 10_000


def test_components_of_a_composite_play_one_by_one_loudest_first(panel, qtbot):
    panel.show_sound("0.05_high_hiss+0.15_low_hum", "Test mix")
    qtbot.waitUntil(panel.parts_button.isEnabled, timeout=10_000)
    started = []
    panel.part_started.connect(lambda i, label: started.append(label))
    panel.parts_button.click()
    assert started == ["hum 0.15 (low)"]
    qtbot.waitUntil(lambda: len(started) == 2, timeout=6000)
    assert started[1] == "hiss 0.05 (high)"
    panel.stop()
    assert panel.now_playing.text() == ""


def test_a_key_that_cannot_be_rendered_says_so(panel, qtbot):
    panel.show_sound("0.5_low_nonsense", "Broken")
    qtbot.waitUntil(panel.is_ready, timeout=10_000)
    assert panel.current is None and panel.view.sound is None
    assert panel.detail.text().startswith("Cannot render this key:")
    assert not panel.play_button.isEnabled()


def test_without_sound_output_a_banner_says_why_and_the_rest_works(panel, qtbot):
    if panel.player.available:
        pytest.skip("this machine has an audio output; the banner only shows without one")
    assert panel.banner.isVisible()
    assert "No sound" in panel.banner.text()
    panel.table.selectRow(15)
    qtbot.waitUntil(lambda: panel.current is not None, timeout=10_000)
    qtbot.keyClick(panel.table, Qt.Key_Space)  # Space plays: here it can only explain why not
    assert panel.banner.isVisible() and panel.current is not None
    assert panel.view.sound is panel.current
