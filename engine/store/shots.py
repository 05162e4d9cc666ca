"""Episodes, scenes and shots in sequence order (the filmstrip order)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.errors import StoreError
from engine.core.inputs import check_shot_code, check_text, check_whole
from engine.core.plans import ShotPlan, parse_plan
from engine.store.models import Episode, Scene, Shot, Take


@dataclass(frozen=True)
class ShotRecord:
    id: int
    code: str
    episode: str
    scene: str | None
    position: int
    plan_fields: dict[str, Any] | None  # the shot plan as stored; engine.core.plans.parse_plan makes a ShotPlan
    takes: int


def resolve_shot(session: Session, code: str, *, lock: bool = False) -> Shot:
    query = select(Shot).where(Shot.code == code)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    shot = session.scalar(query)
    if shot is None:
        raise StoreError(f"no shot '{code}' in the store")
    return shot


def ensure_episode(session: Session, code: str, title: str = "") -> Episode:
    episode = session.scalar(select(Episode).where(Episode.code == code))
    if episode is None:
        episode = Episode(code=code, title=title)
        session.add(episode)
        session.flush()
    return episode


def ensure_scene(session: Session, episode: Episode, code: str, title: str = "") -> Scene:
    scene = session.scalar(select(Scene).where(Scene.episode_id == episode.id, Scene.code == code))
    if scene is None:
        position = session.scalar(
            select(func.coalesce(func.max(Scene.position), 0)).where(Scene.episode_id == episode.id)
        )
        scene = Scene(episode_id=episode.id, code=code, title=title, position=position + 1)
        session.add(scene)
        session.flush()
    return scene


def add_shot(
    session: Session,
    *,
    episode: str,
    code: str,
    scene: str | None = None,
    plan: ShotPlan | dict | None = None,
    position: int | None = None,
) -> Shot:
    """Add a shot at the end of its episode (or at `position`). The plan is validated, and
    the code must be a safe folder name (engine.core.inputs.SHOT_CODE_PATTERN)."""
    check_shot_code(code)
    check_text(episode, f"shot {code}: episode", limit=64, optional=False)
    check_text(scene, f"shot {code}: scene", limit=64)
    if position is not None:
        check_whole(position, f"shot {code}: position")
    if session.scalar(select(Shot.id).where(Shot.code == code)) is not None:
        raise StoreError(f"shot '{code}' already exists")
    if isinstance(plan, dict):
        plan = parse_plan(plan, where=f"shot {code}")
    ep = ensure_episode(session, episode)
    sc = ensure_scene(session, ep, scene) if scene else None
    if position is None:
        position = (
            session.scalar(
                select(func.coalesce(func.max(Shot.position), 0)).where(Shot.episode_id == ep.id)
            )
            + 1
        )
    shot = Shot(
        code=code,
        episode_id=ep.id,
        scene_id=sc.id if sc else None,
        position=position,
        plan_json=plan.to_json() if plan else None,
    )
    session.add(shot)
    session.flush()
    return shot


def shot_plan(session: Session, code: str) -> ShotPlan | None:
    shot = resolve_shot(session, code)
    return parse_plan(shot.plan_json, where=f"shot {code}") if shot.plan_json else None


def list_shots(session: Session, episode: str | None = None) -> list[ShotRecord]:
    """Shots in filmstrip order (episode, then position), with their take counts."""
    counts = (
        select(Take.shot_id, func.count().label("n")).group_by(Take.shot_id).subquery()
    )
    query = (
        select(Shot, Episode.code, Scene.code, func.coalesce(counts.c.n, 0))
        .join(Episode, Episode.id == Shot.episode_id)
        .outerjoin(Scene, Scene.id == Shot.scene_id)
        .outerjoin(counts, counts.c.shot_id == Shot.id)
        .order_by(Episode.id, Shot.position, Shot.id)
    )
    if episode is not None:
        query = query.where(Episode.code == episode)
    return [
        ShotRecord(
            id=shot.id,
            code=shot.code,
            episode=ep_code,
            scene=scene_code,
            position=shot.position,
            plan_fields=json.loads(shot.plan_json) if shot.plan_json else None,
            takes=n,
        )
        for shot, ep_code, scene_code, n in session.execute(query)
    ]


def list_episodes(session: Session) -> list[str]:
    return list(session.scalars(select(Episode.code).order_by(Episode.id)))
