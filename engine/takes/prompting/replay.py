"""Replay: what a system-prompt version would have written for the takes rejected in a week.

For one target, the takes whose standing decision of the week is a rejection (the weekly
review's rule) and that were made under any other version are re-enriched from their shot's
plan with VERSION (a draft or a released one), through the same enrichment policy as a real
take (bypass rules, answer checks, retry at temperature 0, fallback); only the system
instruction sent is VERSION's text. Each take is listed with the prompt sent then, the prompt
VERSION writes now, the outcome and the take's tags and notes. Without an API key the writer
cannot be called: every take is bypassed and the builder's text is shown. The replay is saved
in the store (engine.takes.prompting.replay_store) so it can be opened and exported again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import exists, or_, select

from engine.core import gemini
from engine.core.errors import DailiesError, PlanError
from engine.core.plans import parse_plan
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.store.models import ReviewDecision, ReviewTag, Shot, Take, utcnow
from engine.store.takes import take_ref
from engine.takes.prompting.batch import enrich_batch
from engine.takes.prompting.builder import build_prompt
from engine.takes.prompting.config import load_config
from engine.takes.prompting.drafts import is_draft
from engine.takes.prompting.enrichment import Options
from engine.takes.prompting.prompt_diff import PromptDiff, diff_text
from engine.takes.prompting.system_prompts import system_prompt
from engine.takes.reports.standing import rejected_in
from engine.takes.reports.weeks import IsoWeek

NO_PLAN = "no_plan"
OFFLINE_NOTE = "offline: the writer cannot be called (no API key); the builder's text is shown"


@dataclass(frozen=True)
class ReplayItem:
    take_id: int
    decision_id: int
    take_ref: str  # SHOT/take_NNN
    reviewer: str
    tags: tuple[str, ...]
    note: str
    sent_version: str | None
    sent_prompt: str | None  # exactly as it was sent then
    new_prompt: str  # what VERSION writes now (the builder's text when not enriched)
    builder_prompt: str
    outcome: str  # enriched | fell_back | bypassed | no_plan
    reason: str | None

    @property
    def diff(self) -> PromptDiff:
        """Word diff from the prompt sent then to the prompt VERSION writes now."""
        if self.sent_prompt is None:
            return PromptDiff("sent", (), available=False, reason="the prompt sent was not recorded")
        return diff_text(self.sent_prompt, self.new_prompt, f"sent with {self.sent_version or '-'}")


@dataclass(frozen=True)
class Replay:
    id: int
    target: str
    version: str
    version_sha256: str
    released: bool
    week: str
    tag: str | None
    writer_called: bool
    made_at: datetime
    items: tuple[ReplayItem, ...]

    @property
    def note(self) -> str:
        return "" if self.writer_called else OFFLINE_NOTE


class _SystemInstruction:
    """The client's generate_content with the system instruction replaced by one text."""

    def __init__(self, models, text: str):
        self._models, self._text = models, text

    def generate_content(self, *, model, contents, config):
        return self._models.generate_content(
            model=model, contents=contents, config=config.model_copy(update={"system_instruction": self._text})
        )


def _client_for(text: str):
    """A google-genai client whose calls carry `text` as the system instruction, or None
    without an API key."""
    key = gemini.api_key()
    if key is None:
        return None
    client = gemini.make_client(key, load_config().enrichment.timeout_s)
    return SimpleNamespace(models=_SystemInstruction(client.models, text),
                           aio=SimpleNamespace(models=_SystemInstruction(client.aio.models, text)))


def _rejected(store: Store, target: str, version: str, week: IsoWeek, tag: str | None) -> list[dict]:
    with store.read() as s:
        rejected = rejected_in(week).subquery()
        query = (
            select(rejected.c.decision_id)
            .where(rejected.c.target == target,
                   or_(rejected.c.system_prompt_version.is_(None), rejected.c.system_prompt_version != version))
            .order_by(rejected.c.decision_id)
        )
        if tag is not None:
            query = query.where(exists().where(ReviewTag.decision_id == rejected.c.decision_id, ReviewTag.tag == tag))
        ids = [int(d) for d in s.scalars(query)]
        tags: dict[int, list[str]] = {}
        for did, t in s.execute(select(ReviewTag.decision_id, ReviewTag.tag)
                                .where(ReviewTag.decision_id.in_(ids)).order_by(ReviewTag.tag)):
            tags.setdefault(did, []).append(t)
        rows = s.execute(
            select(ReviewDecision.id, Take.id, Shot.code, Take.number, ReviewDecision.reviewer, ReviewDecision.note,
                   Take.system_prompt_version, Take.prompt, Shot.plan_json)
            .join(Take, Take.id == ReviewDecision.take_id)
            .join(Shot, Shot.id == Take.shot_id)
            .where(ReviewDecision.id.in_(ids))
            .order_by(ReviewDecision.id)
        ).all()
    return [
        {"decision_id": did, "take_id": tid, "take_ref": take_ref(code, number), "reviewer": who,
         "note": note or "", "tags": tuple(tags.get(did, ())), "sent_version": sent_version,
         "sent_prompt": prompt, "plan_json": plan_json}
        for did, tid, code, number, who, note, sent_version, prompt, plan_json in rows
    ]


def replay(store: Store, target: str, version: str, week: IsoWeek, *, tag: str | None = None) -> Replay:
    """Replay `target`'s takes rejected in `week` under other versions with `version`, save
    the replay in the store, and return it."""
    from engine.takes.prompting.replay_store import save_replay

    sp = system_prompt(target, version)  # a missing version, or an edited release, is refused
    if tag is not None:
        review_config().tag(tag)
    rows = _rejected(store, target, version, week, tag)
    built, why = [], {}
    for i, row in enumerate(rows):
        try:
            if row["plan_json"] is None:
                raise PlanError("the shot has no plan to build a prompt from")
            built.append((i, build_prompt(parse_plan(row["plan_json"], where=row["take_ref"]), target)))
        except (PlanError, DailiesError) as exc:
            why[i] = str(exc)
    client = _client_for(sp.text)
    results = enrich_batch([b for _, b in built], Options(client=client, offline=client is None)) if built else []
    done = {i: r[0] for (i, _), r in zip(built, results, strict=True) if r}
    items = []
    for i, row in enumerate(rows):
        e = done.get(i)
        if e is None:
            outcome, reason, new, builder = NO_PLAN, why.get(i, "not replayed"), "", ""
        else:
            outcome, new, builder = e.outcome, e.text, e.built.text
            reason = OFFLINE_NOTE if client is None and e.reason and e.reason.startswith("offline") else e.reason
        items.append(ReplayItem(
            take_id=row["take_id"], decision_id=row["decision_id"], take_ref=row["take_ref"], reviewer=row["reviewer"],
            tags=row["tags"], note=row["note"], sent_version=row["sent_version"], sent_prompt=row["sent_prompt"],
            new_prompt=new, builder_prompt=builder, outcome=outcome, reason=reason,
        ))
    result = Replay(
        id=0, target=target, version=version, version_sha256=sp.sha256, released=not is_draft(target, version),
        week=str(week), tag=tag, writer_called=client is not None, made_at=utcnow(), items=tuple(items),
    )
    return save_replay(store, result)
