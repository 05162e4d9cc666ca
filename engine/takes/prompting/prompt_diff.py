"""What changed in a take's prompt: against the previous take of its shot, and against the
builder's deterministic text (what enrichment added or removed).

Diffs are word-level, so a reviewer sees the phrase that moved rather than a whole line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.store.models import Shot, Take
from engine.store.takes import TakeRecord, take_ref

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class DiffPart:
    op: str  # equal | insert | delete
    text: str


@dataclass(frozen=True)
class PromptDiff:
    against: str  # what the prompt was compared with, e.g. "EP01_SH010/take_001" or "builder"
    parts: tuple[DiffPart, ...]
    available: bool = True  # False when there is nothing to compare with
    reason: str = ""

    @property
    def changed(self) -> bool:
        return any(p.op != "equal" for p in self.parts)

    def unified(self) -> str:
        """The diff as text: [-removed-] {+added+}."""
        out = []
        for p in self.parts:
            if p.op == "equal":
                out.append(p.text)
            elif p.op == "delete":
                out.append(f"[-{p.text}-]")
            else:
                out.append(f"{{+{p.text}+}}")
        return "".join(out)


def diff_text(old: str, new: str, against: str) -> PromptDiff:
    """Word-level diff from `old` to `new`; whitespace is kept with the words around it."""
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(DiffPart("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(DiffPart("insert", "".join(b[j1:j2])))
    return PromptDiff(against=against, parts=tuple(parts))


def previous_take_prompt(session: Session, take: TakeRecord) -> tuple[str, str | None] | None:
    """(reference, prompt) of the take before `take` in its shot, or None for a first take."""
    row = session.execute(
        select(Take.number, Take.prompt)
        .join(Shot, Shot.id == Take.shot_id)
        .where(Shot.code == take.shot, Take.number < take.number)
        .order_by(Take.number.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return take_ref(take.shot, row[0]), row[1]


def diff_against_previous(session: Session, take: TakeRecord) -> PromptDiff:
    prev = previous_take_prompt(session, take)
    if prev is None:
        return PromptDiff("previous take", (), available=False, reason="first take of its shot")
    ref, prompt = prev
    if prompt is None or take.prompt is None:
        return PromptDiff(ref, (), available=False, reason="a prompt was not recorded")
    return diff_text(prompt, take.prompt, ref)


def diff_against_builder(take: TakeRecord, builder_text: str | None = None) -> PromptDiff:
    """The final prompt against the builder's deterministic text (stored with the take, or
    `builder_text` rebuilt from the plan when the take predates that record)."""
    base = take.builder_prompt if take.builder_prompt is not None else builder_text
    if base is None:
        return PromptDiff("builder", (), available=False, reason="no builder text recorded")
    if take.prompt is None:
        return PromptDiff("builder", (), available=False, reason="the final prompt was not recorded")
    return diff_text(base, take.prompt, "builder")


@dataclass(frozen=True)
class PromptDrift:
    """Whether the take's stored system-prompt text still matches the prompts/ file."""

    state: str  # same | changed | unknown | none
    detail: str


@dataclass(frozen=True)
class TakeInspection:
    """Everything the inspector shows about one take, read in one session."""

    take: TakeRecord
    history: tuple  # DecisionRecord, oldest first
    landed_cost: float
    against_previous: PromptDiff
    against_builder: PromptDiff
    drift: PromptDrift


def system_prompt_drift(take: TakeRecord) -> PromptDrift:
    if take.system_prompt_text is None or not take.system_prompt_version:
        return PromptDrift("none", "no system prompt was sent with this take")
    try:
        from engine.takes.prompting.system_prompts import system_prompt
    except ImportError:
        return PromptDrift("unknown", "the prompt files cannot be read by this build")
    try:
        current = system_prompt(take.target or "", take.system_prompt_version)
    except Exception as exc:  # no such target/version file any more, or a bad config
        return PromptDrift("unknown", f"cannot compare with the prompts folder: {exc}")
    if current.sha256 == take.system_prompt_sha256:
        return PromptDrift("same", f"matches {current.path.name}")
    return PromptDrift(
        "changed",
        f"{current.path.name} now differs from the text this take was made with "
        "(the stored text below is what was sent)",
    )


def _rebuilt_builder_text(session: Session, take: TakeRecord) -> str | None:
    if take.builder_prompt is not None:
        return None
    try:
        from engine.store.shots import shot_plan
        from engine.takes.prompting.builder import build_prompt

        plan = shot_plan(session, take.shot)
        return build_prompt(plan, take.target).text if plan else None
    except Exception:  # no plan, or the builder cannot run on it: show no builder diff
        return None


def inspect_take(session: Session, ref: str | int) -> TakeInspection:
    """A take with its review history, its shot's landed cost, its prompt diffs and whether
    its system prompt still matches the prompts/ file."""
    from engine.store.costs import landed_cost
    from engine.store.reviews import history
    from engine.store.takes import get_take

    take = get_take(session, ref)
    return TakeInspection(
        take=take,
        history=tuple(history(session, take.id)),
        landed_cost=landed_cost(session, take.shot),
        against_previous=diff_against_previous(session, take),
        against_builder=diff_against_builder(take, _rebuilt_builder_text(session, take)),
        drift=system_prompt_drift(take),
    )


def recall_json(take: TakeRecord) -> str:
    """Everything needed to make this take again, as JSON (the inspector's "copy all")."""
    import json

    return json.dumps(
        {
            "take": take.ref,
            "prompt": take.prompt,
            "seed": take.seed,
            "model": take.model,
            "pipeline": take.pipeline,
            "target": take.target,
            "system_prompt_version": take.system_prompt_version,
            "system_prompt_sha256": take.system_prompt_sha256,
            "system_prompt_text": take.system_prompt_text,
            "builder_prompt": take.builder_prompt,
            "enrichment_outcome": take.enrichment_outcome,
            "enrichment_reason": take.enrichment_reason,
            "cost": take.cost,
            "output_path": take.output_path,
            "created_at": take.created_at.isoformat(),
        },
        indent=2,
        ensure_ascii=False,
    )


@dataclass(frozen=True)
class TakeDifference:
    field: str  # "seed", "model", ...
    a: str
    b: str

    @property
    def same(self) -> bool:
        return self.a == self.b


COMPARED_FIELDS = (
    ("seed", "seed"), ("model", "model"), ("target", "target"),
    ("system-prompt version", "system_prompt_version"), ("pipeline", "pipeline"),
    ("enrichment", "enrichment_outcome"),
)


def compare_takes(a: TakeRecord, b: TakeRecord) -> tuple[tuple[TakeDifference, ...], PromptDiff]:
    """What differs between takes A and B: each provenance field side by side (same or not),
    and a word diff of the prompts from B's to A's."""
    fields = tuple(
        TakeDifference(label, "—" if getattr(a, name) is None else str(getattr(a, name)),
                       "—" if getattr(b, name) is None else str(getattr(b, name)))
        for label, name in COMPARED_FIELDS
    )
    return fields, diff_text(b.prompt or "", a.prompt or "", against=b.ref)
