"""Writing the registries as a motion-registries export, schema version 2.

Version 2 is the historical format plus `exported_schema_version`, `coverage_snapshot`,
and per entry its `created_at` and `sources`, so importing an export of a store gives the
same registries back (names, keys, counts, depth, sources, interpretations, linguistic).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select

from engine.core.errors import DailiesError
from engine.procedural.registries.catalog import REGISTRIES
from engine.procedural.registries.keys import (
    CAMERA_MOTIONS,
    COLOUR_ORIGINS,
    GRADIENT_TYPES,
    SOUND_ORIGINS,
)
from engine.procedural.registries.models import LearnedBlend, LinguisticMapping
from engine.procedural.registries.query import entries, interpretations
from engine.store.db import Store
from engine.store.models import utcnow

SCHEMA_VERSION = 2
BLENDED_EXPORT_NAMES = {"colour": "colors", "audio": "sound"}


def _iso(dt) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def _entry_doc(e, blend: LearnedBlend | None = None) -> dict:
    doc: dict = {"key": e.key, "name": e.name, "count": e.count}
    if e.value:
        doc.update({k: v for k, v in e.value.items() if k in ("r", "g", "b", "trend")})
    if e.depth:
        doc["depth_pct"] = max(e.depth.values()) if all(isinstance(v, (int, float)) for v in e.depth.values()) else 0
        doc["depth_breakdown"] = e.depth
    else:
        doc["depth_pct"], doc["depth_breakdown"] = 0, {}
    if blend is not None:
        doc["domain"] = blend.domain
        doc["inputs"] = json.loads(blend.inputs_json) if blend.inputs_json else None
        try:
            doc["output"] = json.loads(blend.output_json) if blend.output_json else None
        except ValueError:
            doc["output"] = blend.output_json
    doc["created_at"] = _iso(e.created_at)
    doc["sources"] = [
        {"kind": s.kind, "ref": s.ref, "prompt": s.prompt, "times": s.times, "created_at": _iso(s.created_at)}
        for s in e.sources
    ]
    return doc


def build_export(store: Store) -> dict:
    from engine.procedural.registries.density import density

    with store.read() as s:
        pure = {
            "colors": [_entry_doc(e) for e in entries(s, "pure", "colour")],
            "sound": [_entry_doc(e) for e in entries(s, "pure", "sound") if not e.is_origin],
        }
        blends = {b.entry_id: b for b in s.scalars(select(LearnedBlend))}
        blended = {}
        for aspect in REGISTRIES["blended"]:
            rows = entries(s, "blended", aspect)
            if rows:
                blended[BLENDED_EXPORT_NAMES.get(aspect, aspect)] = [_entry_doc(e, blends.get(e.id)) for e in rows]
        semantic = {}
        for aspect in REGISTRIES["semantic"]:
            semantic[aspect] = []
            for e in entries(s, "semantic", aspect):
                doc = _entry_doc(e)
                doc.pop("key")
                semantic[aspect].append({"entry_key": e.key, "value": e.key, **doc})
        interp = [
            {"id": i.id, "prompt": i.prompt, "instruction": i.instruction, "updated_at": _iso(i.updated_at)}
            for i in interpretations(s)
        ]
        ling = [
            {"span": span, "canonical": canonical, "domain": domain, "variant_type": variant, "count": int(total)}
            for span, canonical, domain, variant, total in s.execute(
                select(LinguisticMapping.span, LinguisticMapping.canonical, LinguisticMapping.domain,
                       LinguisticMapping.variant_type, func.sum(LinguisticMapping.times))
                .group_by(LinguisticMapping.span, LinguisticMapping.canonical, LinguisticMapping.domain,
                          LinguisticMapping.variant_type)
                .order_by(LinguisticMapping.domain, LinguisticMapping.span, LinguisticMapping.canonical)
            )
        ]
    coverage = defaultdict(dict)
    for row in density(store).rows:
        coverage[row.registry][row.aspect] = {"entries": row.entries, "coverage_pct": row.coverage_pct}
    return {
        "exported_at": _iso(utcnow()),
        "exported_schema_version": SCHEMA_VERSION,
        "registries": {
            "pure_static": {
                "primitives": {
                    "color_primaries": [{"name": n, "r": r, "g": g, "b": b} for n, (r, g, b) in COLOUR_ORIGINS.items()],
                    "sound_primaries": list(SOUND_ORIGINS),
                },
                "discoveries": pure,
            },
            "blended_dynamic": {
                "canonical": {"gradient_type": list(GRADIENT_TYPES), "camera_motion": list(CAMERA_MOTIONS)},
                "discoveries": blended,
            },
            "semantic_narrative": semantic,
            "interpretation": interp,
            "linguistic": ling,
        },
        "coverage_snapshot": dict(coverage),
    }


def export_registries(store: Store, out: str | os.PathLike) -> Path:
    """Write the export to `out` (via a temporary file, so a failed write leaves no half file)."""
    path = Path(out)
    if not path.parent.is_dir():
        raise DailiesError(f"cannot write export {path}: folder {path.parent} does not exist")
    doc = build_export(store)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise DailiesError(f"cannot write export {path}: {exc.strerror}") from None
    return path
