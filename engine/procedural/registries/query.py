"""Reading the registries: plain frozen records, counts derived from source rows."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.procedural.registries.catalog import (
    EntryRecord,
    InterpretationRecord,
    LinguisticRecord,
    SourceRecord,
    check_aspect,
)
from engine.procedural.registries.models import (
    Interpretation,
    LinguisticMapping,
    RegistryEntry,
    RegistrySource,
)


def _counts(session: Session, ids: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = session.execute(
            select(RegistrySource.entry_id, func.sum(RegistrySource.times))
            .where(RegistrySource.entry_id.in_(chunk))
            .group_by(RegistrySource.entry_id)
        )
        out.update({eid: int(total) for eid, total in rows})
    return out


def _sources(session: Session, ids: list[int]) -> dict[int, list[SourceRecord]]:
    out: dict[int, list[SourceRecord]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = session.execute(
            select(RegistrySource).where(RegistrySource.entry_id.in_(chunk)).order_by(RegistrySource.id)
        ).scalars()
        for s in rows:
            out[s.entry_id].append(SourceRecord(s.kind, s.ref, s.prompt, s.times, s.created_at))
    return out


def make_record(e: RegistryEntry, count: int, sources: list[SourceRecord]) -> EntryRecord:
    return EntryRecord(
        id=e.id, registry=e.reg, aspect=e.aspect, key=e.key, name=e.name, count=count,
        created_at=e.created_at, is_origin=bool(e.is_origin),
        depth=json.loads(e.depth_json) if e.depth_json else {},
        value=json.loads(e.value_json) if e.value_json else None,
        sources=tuple(sources),
    )


def entry_record(session: Session, entry: RegistryEntry, *, with_sources: bool = True) -> EntryRecord:
    ids = [entry.id]
    return make_record(entry, _counts(session, ids).get(entry.id, 0),
                   _sources(session, ids).get(entry.id, []) if with_sources else [])


def _filtered(registry: str, aspect: str, search: str | None):
    stmt = select(RegistryEntry).where(RegistryEntry.reg == registry, RegistryEntry.aspect == aspect)
    if search:
        like = f"%{search}%"
        stmt = stmt.where(or_(RegistryEntry.name.ilike(like), RegistryEntry.key.ilike(like)))
    return stmt


def entries(
    session: Session, registry: str, aspect: str, *, search: str | None = None,
    offset: int = 0, limit: int | None = None, with_sources: bool = True,
) -> list[EntryRecord]:
    """Entries of one aspect in creation order (a page of them with offset/limit)."""
    check_aspect(registry, aspect)
    stmt = _filtered(registry, aspect, search).order_by(RegistryEntry.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = list(session.scalars(stmt))
    ids = [e.id for e in rows]
    counts = _counts(session, ids)
    sources = _sources(session, ids) if with_sources else {}
    return [make_record(e, counts.get(e.id, 0), sources.get(e.id, [])) for e in rows]


def entry_total(session: Session, registry: str, aspect: str, *, search: str | None = None) -> int:
    check_aspect(registry, aspect)
    return session.scalar(select(func.count()).select_from(_filtered(registry, aspect, search).subquery()))


@dataclass(frozen=True)
class EntryPage:
    """A page of one aspect's entries in creation order, and how many entries match."""

    entries: tuple[EntryRecord, ...]
    after_id: int  # the last entry's id: where the next page starts
    more: bool  # entries follow this page
    total: int | None  # matching entries counted up to the cap (None: not counted)
    capped: bool  # `total` is the cap: at least that many match


def entry_page(
    session: Session, registry: str, aspect: str, *, search: str | None = None,
    after_id: int = 0, limit: int = 200, counted: bool = False, count_up_to: int | None = None,
) -> EntryPage:
    """The `limit` entries after `after_id` (creation order), without their sources. Each page
    is found from the id where the last one ended, so a page deep in a million entries costs
    what the first does. With `counted` the matching entries are counted too, no further
    than `count_up_to` when given."""
    check_aspect(registry, aspect)
    stmt = (_filtered(registry, aspect, search).where(RegistryEntry.id > after_id)
            .order_by(RegistryEntry.id).limit(limit + 1))
    rows = list(session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    counts = _counts(session, [e.id for e in rows])
    records = tuple(make_record(e, counts.get(e.id, 0), []) for e in rows)
    total, capped = None, False
    if counted:
        total = entry_count(session, registry, aspect, search=search, up_to=count_up_to)
        capped = count_up_to is not None and total >= count_up_to
    return EntryPage(records, rows[-1].id if rows else after_id, more, total, capped)


def entry_count(session: Session, registry: str, aspect: str, *, search: str | None = None,
                up_to: int | None = None) -> int:
    """Matching entries, counted no further than `up_to` (a search over a million names
    stops once it has found that many)."""
    check_aspect(registry, aspect)
    if up_to is None:
        return entry_total(session, registry, aspect, search=search)
    ids = _filtered(registry, aspect, search).with_only_columns(RegistryEntry.id).limit(up_to).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)))


def find_entry(session: Session, registry: str, aspect: str, key: str) -> EntryRecord | None:
    e = session.scalar(
        select(RegistryEntry).where(
            RegistryEntry.reg == registry, RegistryEntry.aspect == aspect, RegistryEntry.key == key
        )
    )
    return entry_record(session, e) if e is not None else None


def interpretations(session: Session) -> list[InterpretationRecord]:
    rows = session.scalars(select(Interpretation).order_by(Interpretation.updated_at, Interpretation.id))
    return [InterpretationRecord(r.id, r.prompt, json.loads(r.instruction_json), r.updated_at) for r in rows]


def linguistic(session: Session, domain: str | None = None) -> list[LinguisticRecord]:
    """Each (domain, span) with its canonical value: the one seen most often (ties: the
    alphabetically first, so the answer does not depend on insertion order)."""
    stmt = select(
        LinguisticMapping.domain, LinguisticMapping.span, LinguisticMapping.canonical,
        LinguisticMapping.variant_type, func.sum(LinguisticMapping.times),
    ).group_by(
        LinguisticMapping.domain, LinguisticMapping.span, LinguisticMapping.canonical,
        LinguisticMapping.variant_type,
    )
    if domain:
        stmt = stmt.where(LinguisticMapping.domain == domain)
    by_span: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    variants: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for dom, span, canonical, variant, total in session.execute(stmt):
        by_span[(dom, span)][canonical] += int(total)
        variants[(dom, span, canonical)][variant] += int(total)
    out = []
    for (dom, span), alts in sorted(by_span.items()):
        canonical = min(alts, key=lambda c: (-alts[c], c))
        vt = variants[(dom, span, canonical)]
        variant = min(vt, key=lambda v: (-vt[v], v))
        out.append(LinguisticRecord(span, dom, canonical, variant, sum(alts.values()), dict(alts)))
    return out
