"""Review filters and saved-view criteria: which takes the desk shows, in filmstrip order.

`review_strip` answers the desk's one big question (every shot of the episode with the ids,
numbers and derived statuses of its matching takes) in one query, so a store of 100,000 takes
opens quickly; the full `TakeRecord` of a take is fetched only when it is looked at.
`decisions_since` lets a desk see decisions other reviewers appended to a shared store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from engine.errors import ConfigError
from engine.store.models import Episode, ReviewDecision, ReviewTag, Scene, Shot, Take
from engine.store.status import DECIDED, effective_decisions

STATUSES = ("undecided", "approved", "rejected", "failed")


@dataclass(frozen=True)
class TakeCriteria:
    """What a saved view keeps: a status, rejection tags, system-prompt versions, models.

    Empty fields match everything. `tags` match takes whose standing decision is a rejection
    carrying any of them.
    """

    status: str | None = None
    tags: tuple[str, ...] = ()
    system_prompt_versions: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    episode: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ConfigError(f"filter status '{self.status}' is not one of {', '.join(STATUSES)}")

    @property
    def is_empty(self) -> bool:
        return not (self.status or self.tags or self.system_prompt_versions or self.models)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: str = "saved view") -> TakeCriteria:
        try:
            data = json.loads(text)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{where}: not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: must hold a JSON object")
        unknown = sorted(set(data) - {"status", "tags", "system_prompt_versions", "models", "episode"})
        if unknown:
            raise ConfigError(f"{where}: key '{unknown[0]}' is not known")
        return cls(
            status=data.get("status"),
            tags=tuple(data.get("tags") or ()),
            system_prompt_versions=tuple(data.get("system_prompt_versions") or ()),
            models=tuple(data.get("models") or ()),
            episode=data.get("episode"),
        )

    def describe(self) -> str:
        parts = []
        if self.status:
            parts.append(self.status)
        if self.tags:
            parts.append("tag " + "/".join(self.tags))
        if self.system_prompt_versions:
            parts.append("prompt " + "/".join(self.system_prompt_versions))
        if self.models:
            parts.append("model " + "/".join(self.models))
        return ", ".join(parts) or "all takes"


@dataclass(frozen=True)
class StripTake:
    id: int
    number: int
    status: str  # pending_review | approved | rejected | failed
    media_kind: str
    output_path: str | None


@dataclass(frozen=True)
class StripShot:
    id: int
    code: str
    episode: str
    scene: str | None
    position: int
    takes: tuple[StripTake, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FilterChoices:
    episodes: tuple[str, ...]
    models: tuple[str, ...]
    system_prompt_versions: tuple[str, ...]


def _standing():
    """(take_id, action, decision_id) of each take's standing decision."""
    eff = effective_decisions().subquery()
    return (
        select(eff.c.take_id, ReviewDecision.action, eff.c.decision_id)
        .join(ReviewDecision, ReviewDecision.id == eff.c.decision_id)
        .subquery()
    )


def review_strip(session: Session, criteria: TakeCriteria | None = None) -> list[StripShot]:
    """Shots in filmstrip order with their takes that match `criteria` (oldest first).

    With criteria, shots without a matching take are left out; with none, every shot is
    listed, takes or not.
    """
    criteria = criteria or TakeCriteria()
    standing = _standing()
    query = (
        select(
            Shot.id, Shot.code, Episode.code, Scene.code, Shot.position,
            Take.id, Take.number, Take.failed, standing.c.action, Take.media_kind, Take.output_path,
        )
        .join(Episode, Episode.id == Shot.episode_id)
        .outerjoin(Scene, Scene.id == Shot.scene_id)
        .outerjoin(Take, Take.shot_id == Shot.id)
        .outerjoin(standing, standing.c.take_id == Take.id)
        .order_by(Episode.id, Shot.position, Shot.id, Take.number)
    )
    if criteria.episode:
        query = query.where(Episode.code == criteria.episode)
    filtered = not criteria.is_empty
    if criteria.status == "undecided":
        query = query.where(standing.c.action.is_(None), Take.failed.is_(False))
    elif criteria.status == "failed":
        query = query.where(Take.failed.is_(True))
    elif criteria.status in ("approved", "rejected"):
        action = "approve" if criteria.status == "approved" else "reject"
        query = query.where(standing.c.action == action, Take.failed.is_(False))
    if criteria.tags:
        query = query.where(
            standing.c.action == "reject",
            exists().where(
                and_(ReviewTag.decision_id == standing.c.decision_id, ReviewTag.tag.in_(criteria.tags))
            ),
        )
    if criteria.system_prompt_versions:
        query = query.where(Take.system_prompt_version.in_(criteria.system_prompt_versions))
    if criteria.models:
        query = query.where(Take.model.in_(criteria.models))
    shots: list[StripShot] = []
    current: tuple | None = None
    takes: list[StripTake] = []
    decided = DECIDED.get
    # Plain rows straight from the connection: the ORM's row handling doubled the time of
    # this query on a store of 100,000 takes, and it is what a cold start waits for.
    for sid, code, ep, scene, pos, tid, number, failed, action, kind, out in session.connection().execute(query).all():
        if current is None or current[0] != sid:
            if current is not None:
                shots.append(StripShot(*current, takes=tuple(takes)))
            current, takes = (sid, code, ep, scene, pos), []
        if tid is not None:
            takes.append(StripTake(tid, number, "failed" if failed else decided(action, "pending_review"), kind, out))
    if current is not None:
        shots.append(StripShot(*current, takes=tuple(takes)))
    if filtered:
        shots = [s for s in shots if s.takes]
    return shots


def filter_choices(session: Session) -> FilterChoices:
    """The values a filter can pick from: episodes, models and system-prompt versions in use."""
    return FilterChoices(
        episodes=tuple(session.scalars(select(Episode.code).order_by(Episode.id))),
        models=tuple(session.scalars(select(Take.model).distinct().order_by(Take.model))),
        system_prompt_versions=tuple(
            v
            for v in session.scalars(
                select(Take.system_prompt_version).distinct().order_by(Take.system_prompt_version)
            )
            if v
        ),
    )


def latest_decision_id(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(ReviewDecision.id), 0))) or 0)


def decisions_since(session: Session, after_id: int, limit: int = 5000) -> list[tuple[int, int]]:
    """(decision id, take id) of decisions appended after `after_id`, oldest first."""
    rows = session.execute(
        select(ReviewDecision.id, ReviewDecision.take_id)
        .where(ReviewDecision.id > after_id)
        .order_by(ReviewDecision.id)
        .limit(limit)
    )
    return [(int(d), int(t)) for d, t in rows]


def strip_takes(session: Session, take_ids: list[int]) -> dict[int, StripTake]:
    """Fresh strip entries (status included) for some takes, e.g. after a decision."""
    if not take_ids:
        return {}
    standing = _standing()
    rows = session.execute(
        select(Take.id, Take.number, Take.failed, standing.c.action, Take.media_kind, Take.output_path)
        .outerjoin(standing, standing.c.take_id == Take.id)
        .where(Take.id.in_(take_ids))
    )
    return {
        tid: StripTake(tid, number, "failed" if failed else DECIDED.get(action, "pending_review"), kind, out)
        for tid, number, failed, action, kind, out in rows
    }


def criteria_from_dict(data: dict[str, Any]) -> TakeCriteria:
    return TakeCriteria.from_json(json.dumps(data))
