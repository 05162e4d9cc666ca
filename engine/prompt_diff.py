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
from engine.store.takes import TakeRecord, take_label

_TOKEN = re.compile(r"\s+|[^\s]+")


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
    return f"{take.shot}/{take_label(row[0])}", row[1]


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
