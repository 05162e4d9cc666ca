"""Writing checked export rows into the store in bulk (one transaction).

Legacy sound keys (`0.06_low_low`: no timbre, or a mood word in the tone slot) are re-keyed
from the entry's origin noises when that is possible, and skipped with the reason when not.
Rows that land on the same key are merged (their counts add up). A name already used by
another entry is replaced by a fresh unique one; an existing entry keeps its own name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select

from engine.registries.keys import (
    COMPOSITE_SEPARATOR,
    SILENT_BELOW,
    SOUND_ORIGINS,
    RegistryKeyError,
    canonical_sound_key,
    parse_sound_key,
    sound_depth,
    sound_parts,
)
from engine.registries.models import (
    Interpretation,
    LearnedBlend,
    LinguisticMapping,
    RegistryEntry,
    RegistrySource,
)
from engine.registries.names import pick_name
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


def load_rows(store: Store, rows: list[Row], interps: list[dict], lings: list[dict], report, *, source_ref: str) -> None:
    rows = _prepare(rows, report)
    with store.write() as s:
        taken = set(s.scalars(select(RegistryEntry.name)))
        existing: dict[tuple[str, str, str], tuple[int, str]] = {}
        for reg, aspect in {(r.registry, r.aspect) for r in rows}:
            for eid, key, name in s.execute(
                select(RegistryEntry.id, RegistryEntry.key, RegistryEntry.name).where(
                    RegistryEntry.reg == reg, RegistryEntry.aspect == aspect)
            ):
                existing[(reg, aspect, key)] = (eid, name)
        new_rows, new_dicts = [], []
        for row in rows:
            ident = (row.registry, row.aspect, row.key)
            if ident in existing:
                if existing[ident][1] != row.name:
                    report.renamed.append((row.path, row.name, existing[ident][1]))
                continue
            name = row.name
            if name in taken:
                name = pick_name(row.registry, row.aspect, row.key, lambda n: n in taken)
                report.renamed.append((row.path, row.name, name))
            taken.add(name)
            new_rows.append(row)
            new_dicts.append({
                "reg": row.registry, "aspect": row.aspect, "key": row.key, "name": name,
                "is_origin": False,
                "value_json": json.dumps(row.value, sort_keys=True) if row.value else None,
                "depth_json": json.dumps(row.depth, sort_keys=True) if row.depth else None,
                "created_at": _when(row.created_at),
            })
        if new_dicts:
            s.execute(insert(RegistryEntry), new_dicts)
        ids: dict[tuple[str, str, str], int] = {}
        for reg, aspect in {(r.registry, r.aspect) for r in rows}:
            for eid, key in s.execute(
                select(RegistryEntry.id, RegistryEntry.key).where(
                    RegistryEntry.reg == reg, RegistryEntry.aspect == aspect)
            ):
                ids[(reg, aspect, key)] = eid
        now = utcnow()
        sources, blends = [], []
        for row in rows:
            eid = ids[(row.registry, row.aspect, row.key)]
            report.imported[f"{row.registry}/{row.aspect}"] = report.imported.get(f"{row.registry}/{row.aspect}", 0) + 1
            if row.sources:
                for src in row.sources:
                    sources.append({
                        "entry_id": eid, "reg": row.registry, "aspect": row.aspect, "kind": src.get("kind", "import"), "ref": src.get("ref", source_ref),
                        "prompt": src.get("prompt"), "times": int(src.get("times", 1)),
                        "created_at": _when(src.get("created_at")),
                    })
            elif row.count is None or row.count > 0:
                sources.append({"entry_id": eid, "reg": row.registry, "aspect": row.aspect, "kind": "import", "ref": source_ref, "prompt": None,
                                "times": row.count if row.count is not None else 1, "created_at": now})
                if row.count is None:
                    report.notes.append(f"{row.path}: no count in the export; counted as seen once")
            if row.blend is not None and row in new_rows:
                out = row.blend.get("output")
                blends.append({
                    "entry_id": eid, "domain": row.blend["domain"],
                    "inputs_json": json.dumps(row.blend["inputs"]) if row.blend.get("inputs") is not None else None,
                    "output_json": out if isinstance(out, str) else json.dumps(out),
                    "primitive_depths_json": json.dumps(row.depth) if row.depth else None,
                })
        report.new_entries = len(new_rows)
        if sources:
            s.execute(insert(RegistrySource), sources)
        if blends:
            s.execute(insert(LearnedBlend), blends)
        known = set(s.scalars(select(Interpretation.id).where(Interpretation.id.in_([i["id"] for i in interps])))) if interps else set()
        for it in interps:
            text = json.dumps(it["instruction"], ensure_ascii=False, sort_keys=True)
            if it["id"] in known:
                row = s.get(Interpretation, it["id"])
                row.prompt, row.instruction_json, row.updated_at = it["prompt"], text, _when(it["updated_at"])
            else:
                s.add(Interpretation(id=it["id"], prompt=it["prompt"], instruction_json=text, updated_at=_when(it["updated_at"])))
        report.interpretations = len(interps)
        if lings:
            s.execute(insert(LinguisticMapping), [
                {"span": x["span"].strip().lower(), "canonical": x["canonical"], "domain": x["domain"],
                 "variant_type": x["variant_type"], "times": x["times"], "created_at": now}
                for x in lings
            ])
        report.linguistic = len(lings)
