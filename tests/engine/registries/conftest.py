"""Registry tests: fresh SQLite stores in tmp_path, the real exports where they exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.record import (
    observe,
    record_interpretation,
    record_job,
    record_learning_run,
    record_linguistic,
)
from engine.store.db import open_store

REPO = Path(__file__).resolve().parents[3]
DATA = REPO.parent / "shared" / "data"
EXPORT_17 = DATA / "motion-registries-2026-02-17.json"
EXPORT_21 = DATA / "motion-registries-2026-02-21.json"


def real_export(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"the real export {path.name} is not in {DATA}")
    return path


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "reg.sqlite", create=True)
    yield s
    s.close()


def add_take(store, prompt: str) -> None:
    """A take whose prompt is provenance (it must survive every backfill untouched)."""
    from engine.store.shots import add_shot
    from engine.store.takes import NewTake, append_take

    with store.write() as s:
        add_shot(s, episode="EP01", code="EP01_SH010")
        append_take(s, NewTake(shot="EP01_SH010", prompt=prompt, model="m", pipeline="keyframe"))


def seed_names(store, name_by_key: dict[tuple[str, str, str], str], prompt: str = "") -> None:
    """Entries with the given (possibly gibberish) names, each observed by one job."""
    with store.write() as s:
        for (reg, aspect, key), name in name_by_key.items():
            observe(s, reg, aspect, key, source=SourceRef("job", "job-1", prompt or None), name=name)


def populate(store) -> None:
    """Gibberish names (Mist, Qitudaterara, theme_dawnure) written in every cascade place,
    next to a good name that contains one of them (Mistlight)."""
    from sqlalchemy import insert, select

    from engine.procedural.registries.models import LearnedBlend, RegistryEntry

    seed_names(store, {
        ("pure", "colour", "100,100,150_1.0"): "Qitudaterara",
        ("blended", "graphics", "glow"): "Mistlight",
        ("semantic", "themes", "dawn"): "theme_dawnure",
        ("blended", "audio", "ambient_calm_fast"): "Novel47799",
    }, prompt="Qitudaterara tones over theme_dawnure")
    with store.write() as s:
        e = observe(s, "blended", "blends", '{"r":139.5,"g":118.2,"b":211.2}',
                    source=SourceRef("discovery", "run-1"), name="Violet3560")
        s.execute(insert(LearnedBlend).values(
            entry_id=e.id, domain="color",
            inputs_json='{"Qitudaterara": 0.6, "inputs": ["Mistlight", "qitudaterara"]}',
            output_json='{"name": "Violet3560", "note": "QITUDATERARA-ish"}',
            primitive_depths_json='{"gray": 62, "pink": 38}',
        ))
        assert s.scalar(select(RegistryEntry.id).where(RegistryEntry.name == "Violet3560")) == e.id
        record_job(s, "job-1", prompt="Qitudaterara and Mistlight, theme_dawnure mood")
        record_learning_run(s, "job-1", prompt="learned qitudaterara; kept Mistlight")
        record_interpretation(
            s, "QITUDATERARA sky with Mistlight motion",
            {"palette_hints": ["Qitudaterara"], "Novel47799": {"theme": "theme_dawnure"}, "n": 3},
            id="interp-1",
        )
        record_linguistic(s, "qitudaterara", "slate", "palette")
