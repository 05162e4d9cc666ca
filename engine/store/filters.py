"""Review filters and saved-view criteria: which takes the desk shows, in filmstrip order.

The desk reads its strip lazily: `strip_sequence` gives only the ids (and sort keys) of the
shots in filmstrip order (a million takes open at once), and `strip_shots` the ids, numbers and derived statuses
of the takes of the shots on screen; the full `TakeRecord` of a take is fetched only when it
is looked at. `review_strip` is both at once, for a whole (small) strip.
`decisions_since` lets a desk see decisions other reviewers appended to a shared store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from engine.core.errors import ConfigError
from engine.store.models import Episode, ReviewDecision, ReviewTag, Scene, Shot, Take
from engine.store.status import DECIDED, FAILED, PENDING, effective_decisions

STATUSES = ("undecided", "approved", "rejected", "failed")
CHUNK = 900  # shots per statement: under SQLite's bound-parameter limit


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


def _standing_of(take_ids):
    """(take_id, action, decision_id) of the standing decision of the takes `take_ids` selects."""
    eff = effective_decisions().where(ReviewDecision.take_id.in_(take_ids)).subquery()
    return (
        select(eff.c.take_id, ReviewDecision.action, eff.c.decision_id)
        .join(ReviewDecision, ReviewDecision.id == eff.c.decision_id)
        .subquery()
    )


def _matching(query, criteria: TakeCriteria, standing):
    """`query` (over Take outer-joined to `standing`) narrowed to the takes `criteria` keeps."""
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
    return query


@dataclass(frozen=True)
class StripSequence:
    """The strip's shots in filmstrip order: their ids and, row for row, the (episode id,
    position) they are sorted by, so a shot's row is found by bisection, not by a scan."""

    ids: list[int]
    episodes: list[int]
    positions: list[int]


Place = tuple[int, int, int]  # (episode id, position, shot id): a shot's place in the strip order


def strip_sequence(session: Session, criteria: TakeCriteria | None = None) -> StripSequence:
    """The strip's shots in filmstrip order: all of them, or with criteria only the shots
    with a matching take. Ids and sort keys only, so a strip of a million takes opens at
    once; `strip_shots` reads the rows the strip shows."""
    criteria = criteria or TakeCriteria()
    query = select(Shot.id, Shot.episode_id, Shot.position).join(Episode, Episode.id == Shot.episode_id)
    if criteria.episode:
        query = query.where(Episode.code == criteria.episode)
    if not criteria.is_empty:
        standing = _standing()
        matching = _matching(
            select(Take.shot_id).outerjoin(standing, standing.c.take_id == Take.id), criteria, standing
        )
        query = query.where(Shot.id.in_(matching))
    # Episode ids follow the episodes' order: sorting by the shot's own column lets the
    # (episode_id, position) index give the order without sorting.
    query = query.order_by(Shot.episode_id, Shot.position, Shot.id)
    rows = session.connection().execute(query).all()
    return StripSequence([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])


def strip_order(session: Session, criteria: TakeCriteria | None = None) -> list[int]:
    """The ids of the strip's shots in filmstrip order (see `strip_sequence`)."""
    return strip_sequence(session, criteria).ids


def place_of_shot(session: Session, code: str) -> Place | None:
    """Where the shot `code` sorts in the strip (None for no such shot)."""
    row = session.connection().execute(
        select(Shot.episode_id, Shot.position, Shot.id).where(Shot.code == code).order_by(Shot.id).limit(1)
    ).first()
    return tuple(row) if row is not None else None


def place_of_take(session: Session, take_id: int) -> Place | None:
    """Where the shot of take `take_id` sorts in the strip (None for no such take)."""
    row = session.connection().execute(
        select(Shot.episode_id, Shot.position, Shot.id).join(Take, Take.shot_id == Shot.id).where(Take.id == take_id)
    ).first()
    return tuple(row) if row is not None else None


def strip_shots(session: Session, shot_ids: list[int], criteria: TakeCriteria | None = None) -> list[StripShot]:
    """These shots (in the order given) with their takes that match `criteria`, oldest first."""
    criteria = criteria or TakeCriteria()
    found: dict[int, StripShot] = {}
    for start in range(0, len(shot_ids), CHUNK):
        found.update(_strip_chunk(session, shot_ids[start:start + CHUNK], criteria))
    return [found[i] for i in shot_ids if i in found]


@lru_cache(maxsize=32)
def _strip_statements(criteria: TakeCriteria):
    """The two statements that read a page of the strip, built once per criteria (building
    them cost as much as running them): the shots' takes, and the shots."""
    ids = bindparam("shot_ids", expanding=True)
    standing = _standing_of(select(Take.id).where(Take.shot_id.in_(ids)))
    takes = _matching(
        select(Take.shot_id, Take.id, Take.number, Take.failed, standing.c.action, Take.media_kind,
               Take.output_path)
        .outerjoin(standing, standing.c.take_id == Take.id)
        .where(Take.shot_id.in_(ids)),
        criteria, standing,
    ).order_by(Take.shot_id, Take.number)
    shots = select(Shot.id, Shot.code, Episode.code, Scene.code, Shot.position).join(
        Episode, Episode.id == Shot.episode_id).outerjoin(Scene, Scene.id == Shot.scene_id).where(
        Shot.id.in_(ids))
    return takes, shots


def _strip_chunk(session: Session, shot_ids: list[int], criteria: TakeCriteria) -> dict[int, StripShot]:
    takes, shots = _strip_statements(criteria)
    decided = DECIDED.get
    by_shot: dict[int, list[StripTake]] = {}
    # Plain rows straight from the connection: the ORM's row handling doubled the time of
    # the strip's reads.
    conn = session.connection()
    params = {"shot_ids": shot_ids}
    for sid, tid, number, failed, action, kind, out in conn.execute(takes, params).all():
        by_shot.setdefault(sid, []).append(
            StripTake(tid, number, FAILED if failed else decided(action, PENDING), kind, out))
    return {sid: StripShot(sid, code, ep, scene, pos, takes=tuple(by_shot.get(sid, ())))
            for sid, code, ep, scene, pos in conn.execute(shots, params)}


def review_strip(session: Session, criteria: TakeCriteria | None = None) -> list[StripShot]:
    """Shots in filmstrip order with their takes that match `criteria` (oldest first).

    With criteria, shots without a matching take are left out; with none, every shot is
    listed, takes or not.
    """
    return strip_shots(session, strip_order(session, criteria), criteria)


def filter_choices(session: Session) -> FilterChoices:
    """The values a filter can pick from: episodes, models and system-prompt versions in use
    (the pairs read in one pass over the takes: the desk waits for this when it opens)."""
    pairs = session.connection().execute(select(Take.model, Take.system_prompt_version).distinct()).all()
    return FilterChoices(
        episodes=tuple(session.scalars(select(Episode.code).order_by(Episode.id))),
        models=tuple(sorted({m for m, _ in pairs if m is not None})),
        system_prompt_versions=tuple(sorted({v for _, v in pairs if v})),
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
        tid: StripTake(tid, number, FAILED if failed else DECIDED.get(action, PENDING), kind, out)
        for tid, number, failed, action, kind, out in rows
    }


