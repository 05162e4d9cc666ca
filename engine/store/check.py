"""`dailies store check`: integrity and migration state, read without changing anything."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from engine.core.errors import MediaError
from engine.store.db import open_store, revision_state
from engine.store.models import (
    CostEntry,
    Episode,
    ReviewDecision,
    Shot,
    SystemPromptText,
    Take,
)
from engine.store.seals import SEALED_FIELDS, record_digest
from engine.store.takes import take_ref

MISSING_MEDIA_LISTED = 10


@dataclass
class CheckReport:
    store: str
    revision: str | None
    head: str
    up_to_date: bool
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(spec=None, *, quick: bool = False) -> CheckReport:
    """Integrity (SQLite's full integrity_check, or quick_check with `quick`), foreign keys,
    system-prompt texts against their hashes, every take against its digest, media files."""
    where, current, head = revision_state(spec)
    report = CheckReport(store=where, revision=current, head=head, up_to_date=current == head)
    if not report.up_to_date:
        report.warnings.append(
            f"schema revision '{current}' is older than '{head}': the next open upgrades it "
            "(a SQLite store is copied aside first)"
        )
        return report
    store = open_store(spec, migrate=False)
    try:
        with store.read() as s:
            for name, model in (
                ("episodes", Episode),
                ("shots", Shot),
                ("takes", Take),
                ("review_decisions", ReviewDecision),
                ("cost_entries", CostEntry),
                ("system_prompt_texts", SystemPromptText),
            ):
                report.counts[name] = s.scalar(select(func.count()).select_from(model))
            if store.is_sqlite:
                pragma = "quick_check" if quick else "integrity_check"
                result = [r[0] for r in s.execute(text(f"PRAGMA {pragma}"))]
                if result != ["ok"]:
                    report.problems.extend(f"integrity: {r}" for r in result[:20])
                for table, rowid, parent, _ in s.execute(text("PRAGMA foreign_key_check")):
                    report.problems.append(
                        f"table {table} row {rowid} points at a missing {parent} row"
                    )
            for sp in s.scalars(select(SystemPromptText)):
                if hashlib.sha256(sp.text.encode("utf-8")).hexdigest() != sp.sha256:
                    report.problems.append(
                        f"system prompt text {sp.id} no longer matches its hash {sp.sha256[:12]}"
                    )
            report.problems.extend(take_digest_problems(s))
            missing = []
            outside = []
            for code, number, output in s.execute(
                select(Shot.code, Take.number, Take.output_path)
                .join(Shot, Shot.id == Take.shot_id)
                .where(Take.output_path.is_not(None))
                .order_by(Take.id)
            ):
                try:
                    path = store.media_file(output)
                except MediaError as exc:
                    outside.append(f"{take_ref(code, number)}: {exc}")
                    continue
                if not path.exists():
                    missing.append(f"{take_ref(code, number)}: {path}")
            if outside:
                report.warnings.append(
                    f"{len(outside)} take(s) point outside the media folder and are never read: "
                    + "; ".join(outside[:MISSING_MEDIA_LISTED])
                )
            if missing:
                shown = "; ".join(missing[:MISSING_MEDIA_LISTED])
                more = len(missing) - MISSING_MEDIA_LISTED
                report.warnings.append(
                    f"{len(missing)} take(s) have no file on disk: {shown}"
                    + (f"; and {more} more" if more > 0 else "")
                )
    finally:
        store.close()
    return report


DIGEST_PROBLEMS_LISTED = 20


def take_digest_problems(session) -> list[str]:
    """One line per take whose recorded fields no longer match its digest (or that has none)."""
    takes = Take.__table__
    query = (
        select(takes.c.id, takes.c.record_digest, Shot.code, *(takes.c[f] for f in SEALED_FIELDS),
               SystemPromptText.sha256)
        .join(Shot, Shot.id == takes.c.shot_id)
        .outerjoin(SystemPromptText, SystemPromptText.id == takes.c.system_prompt_id)
        .order_by(takes.c.id)
    )
    problems = []
    for row in session.execute(query).mappings():
        name = f"take {take_ref(row['code'], row['number'])} (id {row['id']})"
        if row["record_digest"] is None:
            problems.append(f"{name} has no digest: it was written without Dailies")
        elif record_digest(row, row["sha256"]) != row["record_digest"]:
            problems.append(f"{name}: its recorded fields (or its system-prompt text) were changed "
                            "after it was recorded")
    if len(problems) > DIGEST_PROBLEMS_LISTED:
        more = len(problems) - DIGEST_PROBLEMS_LISTED
        problems = problems[:DIGEST_PROBLEMS_LISTED] + [f"and {more} more take(s) that do not match their digest"]
    return problems
