"""Writing checked export rows into the store in bulk (one transaction).

Legacy sound keys (`0.06_low_low`: no timbre, or a mood word in the tone slot) are re-keyed
from the entry's origin noises when that is possible, and skipped with the reason when not.
Rows that land on the same key are merged (their counts add up). A name already used by
another entry is replaced by a fresh unique one; an existing entry keeps its own name. Only
the export's own keys and names are looked up, so importing into a large store costs what
the export holds, not what the store holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select

from engine.procedural.registries.concurrency import hold_naming_lock, share_backfill_lock
from engine.procedural.registries.import_models import ImportCount, ImportSnapshot
from engine.procedural.registries.keys import (
    COMPOSITE_SEPARATOR,
    SILENT_BELOW,
    SOUND_ORIGINS,
    RegistryKeyError,
    canonical_sound_key,
    parse_sound_key,
    sound_depth,
    sound_parts,
)
from engine.procedural.registries.models import (
    Interpretation,
    LearnedBlend,
    LinguisticMapping,
    RegistryEntry,
    RegistrySource,
)
from engine.procedural.registries.names import pick_name_batched
from engine.store.db import Store
from engine.store.models import utcnow


@dataclass
class Row:
    path: str
    registry: str
    aspect: str
    key: str
    name: str
    count: int | None
    depth: dict
    value: dict | None
    rekeyed_from: str | None = None
    blend: dict | None = None
    sources: list | None = None
    created_at: str | None = None


def legacy_sound_key(key: str, depth: dict) -> tuple[str | None, dict, str | None]:
    """(our key, depth in percent, reason when it cannot be converted). A composite
    ('0.10_low_hum+0.05_high_hiss') keeps its depth when that names its parts' noises, else
    gets the default share of each part; its parts are put in the canonical order."""
    if COMPOSITE_SEPARATOR in key:
        try:
            canonical = canonical_sound_key(key)
        except RegistryKeyError as exc:
            return None, depth, str(exc)
        timbres = {t for _a, _tone, t in sound_parts(canonical)}
        ok = (isinstance(depth, dict) and set(depth) == timbres
              and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in depth.values()))
        return canonical, depth if ok else sound_depth(canonical), None
    try:
        parse_sound_key(key)
        return key, depth, None
    except RegistryKeyError:
        pass
    parts = key.split("_")
    try:
        amp = round(float(parts[0]), 2)
    except ValueError:
        return None, depth, f"amplitude '{parts[0]}' is not a number"
    noises = depth.get("origin_noises") if isinstance(depth, dict) else None
    tone_slot = parts[1] if len(parts) > 1 else ""
    if tone_slot not in ("low", "mid", "high", "silent"):
        return None, depth, f"'{tone_slot}' in the tone slot is a mood word, not a measured band"
    if not isinstance(noises, dict) or not noises:
        return None, depth, "the key has no timbre and the entry names no origin noise"
    weights = {k: float(v) for k, v in noises.items() if k in SOUND_ORIGINS}
    if not weights:
        return None, depth, "its origin noises are not among the ten origins"
    loud = {k: v for k, v in weights.items() if k != "silence" and v > 0}
    timbre = max(sorted(loud), key=lambda k: loud[k]) if loud else "silence"
    tone = "silent" if amp < SILENT_BELOW else tone_slot
    new_depth = {k: int(round(v * 100)) for k, v in weights.items() if v > 0}
    return f"{amp:.2f}_{tone}_{timbre}", new_depth, None


def _when(text: str | None) -> datetime:
    if text:
        try:
            dt = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
            return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
        except ValueError:
            pass
    return utcnow()


def _prepare(rows: list[Row], report) -> list[Row]:
    kept: dict[tuple[str, str, str], Row] = {}
    out: list[Row] = []
    for row in rows:
        if row.registry == "pure" and row.aspect == "sound":
            new_key, depth, why = legacy_sound_key(row.key, row.depth)
            if why:
                report.skipped.append((row.path, f"sound key '{row.key}': {why}"))
                continue
            if new_key != row.key:
                report.rekeyed.append((row.path, row.key, new_key))
            row.key, row.depth = new_key, depth
        elif row.rekeyed_from:
            report.rekeyed.append((row.path, row.rekeyed_from, row.key))
        ident = (row.registry, row.aspect, row.key)
        first = kept.get(ident)
        if first is not None:
            first.count = (first.count or 0) + (row.count if row.count is not None else 1)
            report.merged.append(
                (row.path, f"same key as {first.path} ('{row.name}' merged into '{first.name}')")
            )
            continue
        kept[ident] = row
        out.append(row)
    return out


def _chunks(seq: list, size: int = 500):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _item(row: Row) -> str:
    return f"{row.registry}/{row.aspect}/{row.key}"


def _ling_item(x: dict) -> str:
    return f"linguistic/{x['domain']}/{x['span'].strip().lower()}/{x['canonical']}/{x['variant_type']}"


def _row_total(row: Row) -> int:
    """The observations an export row stands for: its sources' times, else its count (an
    entry without a count was seen once)."""
    if row.sources:
        return sum(int(src.get("times", 1)) for src in row.sources)
    return row.count if row.count is not None else 1


def _existing_entries(s, rows: list[Row]) -> dict[tuple[str, str, str], tuple[int, str]]:
    """(registry, aspect, key) -> (id, name) of the export's keys already stored: only those
    keys are asked about, so the store's size does not matter."""
    out: dict[tuple[str, str, str], tuple[int, str]] = {}
    by_aspect: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        by_aspect.setdefault((r.registry, r.aspect), []).append(r.key)
    conn, t = s.connection(), RegistryEntry.__table__
    for (reg, aspect), keys in by_aspect.items():
        for chunk in _chunks(keys):
            for eid, key, name in conn.execute(
                select(t.c.id, t.c.key, t.c.name).where(t.c.registry == reg, t.c.aspect == aspect, t.c.key.in_(chunk))
            ):
                out[(reg, aspect, key)] = (eid, name)
    return out


def _last_counts(s, source: str, items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(items):
        out.update(s.execute(
            select(ImportCount.item, ImportCount.count).where(ImportCount.source == source, ImportCount.item.in_(chunk))
        ).all())
    return out


def _names_taken(s, names: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(names))):
        found |= set(s.scalars(select(RegistryEntry.name).where(RegistryEntry.name.in_(chunk))))
    return found


def _save_counts(s, source: str, counts: dict[str, int], known: dict[str, int]) -> None:
    """The counts this import brought in, as the source's last ones (one executemany each)."""
    table = ImportCount.__table__
    fresh = [{"source": source, "item": k, "count": v} for k, v in counts.items() if k not in known]
    if fresh:
        s.connection().execute(table.insert(), fresh)
    changed = [{"s": source, "i": k, "c": v} for k, v in counts.items() if k in known and known[k] != v]
    if changed:
        s.connection().execute(
            table.update().where(table.c.source == bindparam("s"), table.c.item == bindparam("i"))
            .values(count=bindparam("c")), changed)


def load_rows(store: Store, rows: list[Row], interps: list[dict], lings: list[dict], report, *,
              source_ref: str, source: str | None = None, digest: str = "", exported_at: str | None = None) -> None:
    """Write an export's rows in one transaction. Counts are cumulative per `source`: each
    item adds only what its count grew by since the last import from that source (the same
    export twice adds nothing; an older export never takes counts away)."""
    source = source or source_ref
    rows = _prepare(rows, report)
    with store.write() as s:
        # as every writer of names: a backfill is waited for, and the names read as free
        # below stay free until this transaction has written them (see concurrency)
        share_backfill_lock(s)
        hold_naming_lock(s)
        existing = _existing_entries(s, rows)
        last = _last_counts(s, source, [_item(r) for r in rows] + [_ling_item(x) for x in lings])
        fresh_rows = [r for r in rows if (r.registry, r.aspect, r.key) not in existing]
        taken = _names_taken(s, [r.name for r in fresh_rows])
        claimed: set[str] = set()

        def taken_among(names: list[str]) -> set[str]:
            return (_names_taken(s, names) | claimed) & set(names)

        new_dicts = []
        for row in fresh_rows:
            name = row.name
            if name in taken or name in claimed:
                name = pick_name_batched(row.registry, row.aspect, row.key, taken_among)
                report.renamed.append((row.path, row.name, name))
            claimed.add(name)
            new_dicts.append({
                "registry": row.registry, "aspect": row.aspect, "key": row.key, "name": name,
                "is_origin": False,
                "value_json": json.dumps(row.value, sort_keys=True) if row.value else None,
                "depth_json": json.dumps(row.depth, sort_keys=True) if row.depth else None,
                "created_at": _when(row.created_at),
            })
        ids = {k: v[0] for k, v in existing.items()}
        conn = s.connection()  # plain table inserts: the ORM's bulk path costs more than the rows
        entry_table, source_table = RegistryEntry.__table__, RegistrySource.__table__
        returning = (entry_table.c.id, entry_table.c.registry, entry_table.c.aspect, entry_table.c.key)
        for chunk in _chunks(new_dicts):
            for eid, reg, aspect, key in conn.execute(entry_table.insert().returning(*returning), chunk):
                ids[(reg, aspect, key)] = eid
        for row in rows:
            ident = (row.registry, row.aspect, row.key)
            if ident in existing and existing[ident][1] != row.name:
                report.renamed.append((row.path, row.name, existing[ident][1]))
        now = utcnow()
        sources, blends, counts = [], [], {}
        for row in rows:
            ident = (row.registry, row.aspect, row.key)
            eid = ids[ident]
            label = f"{row.registry}/{row.aspect}"
            report.imported[label] = report.imported.get(label, 0) + 1
            total, before = _row_total(row), last.get(_item(row), 0)
            grew = total - before
            if ident not in existing:
                report.added.append(row.path)
            elif grew > 0:
                report.updated.append((row.path, before, total))
            else:
                why = "already imported" if grew == 0 else f"older than the last import ({before} then, {total} here)"
                report.unchanged.append((row.path, why))
            if grew > 0:
                counts[_item(row)] = total
                if row.sources and before == 0:
                    for src in row.sources:
                        sources.append({
                            "entry_id": eid, "registry": row.registry, "aspect": row.aspect, "kind": src.get("kind", "import"),
                            "ref": src.get("ref", source_ref), "prompt": src.get("prompt"), "times": int(src.get("times", 1)),
                            "created_at": _when(src.get("created_at")),
                        })
                else:
                    sources.append({"entry_id": eid, "registry": row.registry, "aspect": row.aspect, "kind": "import",
                                    "ref": source_ref, "prompt": None, "times": grew, "created_at": now})
                if row.count is None and not row.sources:
                    report.notes.append(f"{row.path}: no count in the export; counted as seen once")
            if row.blend is not None and ident not in existing:
                out = row.blend.get("output")
                blends.append({
                    "entry_id": eid, "domain": row.blend["domain"],
                    "inputs_json": json.dumps(row.blend["inputs"]) if row.blend.get("inputs") is not None else None,
                    "output_json": out if isinstance(out, str) else json.dumps(out),
                    "primitive_depths_json": json.dumps(row.depth) if row.depth else None,
                })
        report.new_entries = len(fresh_rows)
        for chunk in _chunks(sources, 2000):
            conn.execute(source_table.insert(), chunk)
        if blends:
            s.execute(insert(LearnedBlend), blends)
        _load_interpretations(s, interps, report)
        _load_linguistic(s, lings, last, counts, report, now)
        _save_counts(s, source, counts, last)
        s.add(ImportSnapshot(
            source=source, file=source_ref, digest=digest, exported_at=exported_at, imported_at=now,
            added=len(report.added), updated=len(report.updated), skipped=len(report.unchanged) + len(report.skipped),
        ))


def _load_interpretations(s, interps: list[dict], report) -> None:
    """By id: a new one is added, a changed one replaced, the same one left alone."""
    known = {}
    for chunk in _chunks([i["id"] for i in interps]):
        known.update((row.id, row) for row in s.scalars(select(Interpretation).where(Interpretation.id.in_(chunk))))
    for it in interps:
        text = json.dumps(it["instruction"], ensure_ascii=False, sort_keys=True)
        row = known.get(it["id"])
        if row is None:
            s.add(Interpretation(id=it["id"], prompt=it["prompt"], instruction_json=text, updated_at=_when(it["updated_at"])))
            report.interpretations_added += 1
        elif (row.prompt, row.instruction_json) != (it["prompt"], text):
            row.prompt, row.instruction_json, row.updated_at = it["prompt"], text, _when(it["updated_at"])
            report.interpretations_updated += 1
    report.interpretations = len(interps)


def _load_linguistic(s, lings: list[dict], last: dict[str, int], counts: dict[str, int], report, now) -> None:
    """Each mapping adds only what its count grew by since the last import from the source."""
    rows = []
    for x in lings:
        item = _ling_item(x)
        before = last.get(item, 0)
        if x["times"] > before:
            rows.append({"span": x["span"].strip().lower(), "canonical": x["canonical"], "domain": x["domain"],
                         "variant_type": x["variant_type"], "times": x["times"] - before, "created_at": now})
            counts[item] = x["times"]
            if before:
                report.linguistic_updated += 1
            else:
                report.linguistic_added += 1
    for chunk in _chunks(rows, 2000):
        s.execute(insert(LinguisticMapping), chunk)
    report.linguistic = len(lings)
