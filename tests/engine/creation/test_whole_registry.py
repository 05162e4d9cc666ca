"""Creation driven by the whole registry: imported keys are usable, composition is chosen
from the registry's data, and the renderer follows it."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from engine.procedural.creation.clip import make_clip
from engine.procedural.creation.plan import plan_clip
from engine.procedural.creation.pools import load_pools, parse_blended
from engine.procedural.creation.render import render_frames
from engine.procedural.interpretation.config import load_config
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.record import observe

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"


def test_imported_motion_and_camera_keys_are_usable_in_creation(store):
    src = SourceRef("import", "export")
    with store.write() as s:
        for key in ("3.5_steady", "3.1_increasing_horizontal_pulsing", "1.0_decreasing_vertical_steady"):
            observe(s, "blended", "motion", key, source=src)
        observe(s, "blended", "camera", "pan", source=src)
    with store.read() as s:
        pools = load_pools(s)
    motions = {i.key for i in pools.motion}
    assert {"3.5_steady", "3.1_increasing_horizontal_pulsing", "1.0_decreasing_vertical_steady"} <= motions
    assert "pan" in {i.key for i in pools.camera}
    assert parse_blended("motion", "3.1_increasing_horizontal_pulsing") == {
        "level": 3.1, "trend": "increasing", "direction": "right", "rhythm": "pulsing"}
    assert parse_blended("camera", "pan")["motion"] == "pan"
    cfg = load_config()
    for key in ("3.5_steady", "3.1_increasing_horizontal_pulsing"):  # asked for by key
        plan = plan_clip(pools, {"motion": key, "camera": {"key": "pan"}}, cfg, np.random.default_rng(2))
        assert (plan.motion, plan.camera) == (key, "pan") and f"motion:{key}" in plan.honoured
    frames = render_frames(plan, 64, 36, 8, np.random.default_rng(1))
    assert frames.shape == (max(2, round(plan.seconds * 8)), 36, 64, 3)


def test_real_export_motion_keys_survive_into_the_pools(store):
    from engine.procedural.registries.importer import import_export

    path = DATA / "motion-registries-2026-02-21.json"
    if not path.exists():
        pytest.skip("the real exports are not in ../shared/data")
    import_export(store, path)
    with store.read() as s:
        pools = load_pools(s)
    imported = [i for i in pools.motion if i.count > 0]
    assert len(imported) == 500  # every imported motion, none dropped
    assert {"pan", "static"} <= {i.key for i in pools.camera if i.count > 0}


def test_composition_is_chosen_from_the_registry_and_rendered(store):
    with store.read() as s:
        pools = load_pools(s)
    assert len(pools.composition) == 50  # the vocabulary: undiscovered cells count as new
    with store.write() as s:
        for _ in range(30):  # a much-seen composition is chosen less often than the rest
            observe(s, "blended", "composition", "medium_asymmetric_left", source=SourceRef("job", "j"))
    with store.read() as s:
        pools = load_pools(s)
    cfg = load_config()
    chosen = Counter(plan_clip(pools, None, cfg, np.random.default_rng(i)).composition for i in range(300))
    assert len(chosen) > 20 and chosen["medium_asymmetric_left"] <= 2
    clip = make_clip(store, None, np.random.default_rng(3), seconds=0.5, size=(96, 54), fps=8)
    assert clip.plan.composition and "composition" in clip.plan.describe()
