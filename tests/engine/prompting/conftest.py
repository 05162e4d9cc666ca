from __future__ import annotations

import pytest

from engine.core.plans import parse_plan
from engine.takes.prompting.config import clear_cache
from tests.fakes.fixtures import fake_gemini  # noqa: F401  (a fixture)

BASE = {
    "pipeline": "keyframe",
    "target_model": "nbp",
    "shot_size": "medium",
    "env_only": False,
    "environment": "a flooded engine room, rust on every pipe",
    "lighting": "hard sodium light from above",
    "subjects": [{"name": "Mara", "identity": "human", "emotion": "grim resolve",
                  "description": "engineer in oil-stained coveralls"}],
    "action": "Mara strains to wrench the jammed valve open",
}


def plan_dict(**changes) -> dict:
    data = dict(BASE)
    data.update(changes)
    return data


def make_plan(**changes):
    return parse_plan(plan_dict(**changes))


@pytest.fixture(autouse=True)
def _fresh_config():
    clear_cache()
    yield
    clear_cache()
