"""Desk tests run real Qt offscreen on real SQLite stores with real image and clip files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

COLOURS = [(200, 60, 40), (40, 160, 80), (50, 90, 200), (220, 180, 40), (150, 60, 170), (30, 170, 170)]


def frame_png(path: Path, colour, label: str, size=(320, 180)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", size, colour)
    ImageDraw.Draw(img).text((10, 10), label, fill=(255, 255, 255))
    img.save(path)


def build_store(store, shots: int = 6, takes: int = 2, *, sp_versions=("v1.0", "v1.1")) -> list[str]:
    """An episode of `shots` shots with `takes` PNG takes each; returns the shot codes."""
    from engine.store.shots import add_shot
    from engine.store.takes import NewTake, append_take

    codes = []
    with store.write() as s:
        for i in range(shots):
            code = f"EP01_SC01_SH{(i + 1) * 10:03d}"
            codes.append(code)
            add_shot(s, episode="EP01", code=code, scene="SC01")
            for t in range(takes):
                rel = f"frames/{code}_t{t + 1}.png"
                frame_png(store.media_dir / rel, COLOURS[(i + t) % len(COLOURS)], f"{code} take {t + 1}")
                version = sp_versions[t % len(sp_versions)]
                append_take(
                    s,
                    NewTake(
                        shot=code,
                        model="imagen-3" if t % 2 == 0 else "nbp-1",
                        pipeline="production",
                        prompt=f"wide shot of the harbour, take {t + 1}, shot {code}",
                        builder_prompt=f"wide shot of the harbour, shot {code}",
                        seed=1000 + i * 10 + t,
                        output_path=rel,
                        target="nbp",
                        system_prompt_version=version,
                        system_prompt_text=f"You write prompts ({version}).",
                        enrichment_outcome="enriched",
                        enrichment_reason="subject present",
                        cost=0.04,
                    ),
                )
    return codes


@pytest.fixture
def desk_settings_file(tmp_path, monkeypatch):
    path = tmp_path / "desk.ini"
    monkeypatch.setenv("DAILIES_DESK_SETTINGS", str(path))
    return path


@pytest.fixture
def desk_store(store):
    build_store(store)
    return store


@pytest.fixture
def window(qtbot, desk_store, desk_settings_file):
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme

    apply_theme(QApplication.instance())
    win = MainWindow(desk_store, view="dailies", poll_ms=200)
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    qtbot.waitUntil(win.is_ready, timeout=10_000)
    yield win
    win.close()


@pytest.fixture(autouse=True, scope="session")
def _engine_processes_end():
    """The engine processes desk ops start end with the tests."""
    yield
    from desktop import ops

    ops.shutdown()
