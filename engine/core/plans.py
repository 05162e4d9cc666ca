"""Shot plans: the validated structure every prompt is built from.

A plan is JSON with: pipeline, target_model, shot_size, env_only, subjects (each with a
name, an identity of human or non_human, an emotion, and optionally a description and a
wardrobe phase), action, environment, lighting,
an optional free-text note, and an optional scene code. `parse_plan` checks it and names the shot and key of the
first thing wrong.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from engine.core.errors import PlanError

PIPELINES = (
    "keyframe",
    "video",
    "previz",
    "casting_grid",
    "casting_turnaround",
    "screen_test",
    "location_ref",
    "expression_matrix",
)
SHOT_SIZES = ("wide", "medium", "close")
IDENTITIES = ("human", "non_human")

_REQUIRED = ("pipeline", "target_model", "shot_size", "env_only", "environment", "lighting")
_OPTIONAL = ("subjects", "action", "note", "scene")


@dataclass(frozen=True)
class Subject:
    name: str
    identity: str = "human"
    emotion: str = ""
    description: str = ""
    wardrobe: str = ""  # the wardrobe phase, for turnarounds and screen tests

    @property
    def is_human(self) -> bool:
        return self.identity == "human"


@dataclass(frozen=True)
class ShotPlan:
    pipeline: str
    target_model: str
    shot_size: str
    env_only: bool
    environment: str
    lighting: str
    subjects: tuple[Subject, ...] = field(default_factory=tuple)
    action: str = ""
    note: str = ""
    scene: str = ""  # the scene code: consecutive SeedDance shots of one scene are one block

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["subjects"] = [asdict(s) for s in self.subjects]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)


def _where(where: str, key: str) -> str:
    return f"{where}: key '{key}'" if where else f"key '{key}'"


def _text(data: dict, key: str, where: str, required: bool) -> str:
    if key not in data:
        if required:
            raise PlanError(f"plan {_where(where, key)} is missing")
        return ""
    value = data[key]
    if not isinstance(value, str):
        raise PlanError(
            f"plan {_where(where, key)} must be text, not {type(value).__name__}"
        )
    return value


def _choice(data: dict, key: str, choices: tuple[str, ...], where: str) -> str:
    value = _text(data, key, where, required=True)
    if value not in choices:
        raise PlanError(
            f"plan {_where(where, key)} is '{value}'; expected one of {', '.join(choices)}"
        )
    return value


def _subject(raw: Any, index: int, where: str) -> Subject:
    key = f"subjects[{index}]"
    if not isinstance(raw, dict):
        raise PlanError(f"plan {_where(where, key)} must be an object")
    unknown = sorted(set(raw) - {"name", "identity", "emotion", "description", "wardrobe"})
    if unknown:
        raise PlanError(f"plan {_where(where, key + '.' + unknown[0])} is not a subject field")
    name = _text(raw, "name", f"{where} {key}".strip(), required=True)
    if not name.strip():
        raise PlanError(f"plan {_where(where, key + '.name')} is empty")
    identity = raw.get("identity", "human")
    if identity not in IDENTITIES:
        raise PlanError(
            f"plan {_where(where, key + '.identity')} is '{identity}'; "
            f"expected one of {', '.join(IDENTITIES)}"
        )
    emotion = _text(raw, "emotion", where, required=False)
    description = _text(raw, "description", where, required=False)
    wardrobe = _text(raw, "wardrobe", where, required=False)
    return Subject(name=name, identity=identity, emotion=emotion, description=description,
                   wardrobe=wardrobe)


def parse_plan(data: Any, where: str = "") -> ShotPlan:
    """Validate a plan (a dict, or JSON text) and return it; `where` names the shot or file."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise PlanError(
                f"plan{' of ' + where if where else ''} is not valid JSON "
                f"(line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
    if not isinstance(data, dict):
        raise PlanError(f"plan{' of ' + where if where else ''} must be a JSON object")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise PlanError(f"plan {_where(where, unknown[0])} is not a plan field")
    for key in _REQUIRED:
        if key not in data:
            raise PlanError(f"plan {_where(where, key)} is missing")
    env_only = data["env_only"]
    if not isinstance(env_only, bool):
        raise PlanError(f"plan {_where(where, 'env_only')} must be true or false")
    raw_subjects = data.get("subjects", [])
    if not isinstance(raw_subjects, list):
        raise PlanError(f"plan {_where(where, 'subjects')} must be a list")
    subjects = tuple(_subject(s, i, where) for i, s in enumerate(raw_subjects))
    pipeline = _choice(data, "pipeline", PIPELINES, where)
    needs_subject = not env_only and pipeline not in ("location_ref", "expression_matrix")
    if needs_subject and not subjects:
        raise PlanError(
            f"plan {_where(where, 'subjects')} is empty, but the shot is not ENV-only"
        )
    target = _text(data, "target_model", where, required=True)
    if not target.strip():
        raise PlanError(f"plan {_where(where, 'target_model')} is empty")
    return ShotPlan(
        pipeline=pipeline,
        target_model=target,
        shot_size=_choice(data, "shot_size", SHOT_SIZES, where),
        env_only=env_only,
        environment=_text(data, "environment", where, required=True),
        lighting=_text(data, "lighting", where, required=True),
        subjects=subjects,
        action=_text(data, "action", where, required=False),
        note=_text(data, "note", where, required=False),
        scene=_text(data, "scene", where, required=False),
    )
