"""Importing a motion-registries export (`motion-registries-YYYY-MM-DD.json`).

The whole file is checked first: a malformed export (not JSON, wrong shape, unknown aspect,
a colour key off the grid) imports nothing, and the error names the first bad path in it
(`registries.pure_static.discoveries.colors[17].key`). A valid export is imported in one
transaction, and every entry in it is accounted for in the report: imported, merged into
another entry with the same key, re-keyed from a legacy key form, or skipped with a reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from engine.core.errors import DailiesError
from engine.procedural.registries.export_checks import check_export_file
from engine.procedural.registries.import_rows import Row, load_rows
from engine.procedural.registries.keys import COLOUR_LEVELS, RegistryKeyError, parse_colour_key
from engine.store.db import Store


class ExportFormatError(DailiesError):
    """An export file that is not in the motion-registries format; names the bad path."""


@dataclass
class ImportReport:
    file: str
    imported: dict[str, int] = field(default_factory=dict)  # "registry/aspect" -> entries
    new_entries: int = 0
    merged: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    rekeyed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, old, new)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, old, new)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    interpretations: int = 0
    linguistic: int = 0
    notes: list[str] = field(default_factory=list)
    # what the import changed: counts are cumulative per source (see import_models)
    source: str = ""
    added: list[str] = field(default_factory=list)  # paths of new entries
    updated: list[tuple[str, int, int]] = field(default_factory=list)  # (path, count before, now)
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    interpretations_added: int = 0
    interpretations_updated: int = 0
    linguistic_added: int = 0
    linguistic_updated: int = 0
    already_imported: bool = False  # this very file was imported from this source before

    @property
    def skipped_total(self) -> int:
        """Entries that changed nothing: already imported, older, not importable, or merged
        into another row of the file with the same key (whose count they joined)."""
        return len(self.unchanged) + len(self.skipped) + len(self.merged)

    @property
    def entries_in_file(self) -> int:
        return sum(self.imported.values()) + len(self.merged) + len(self.skipped)


BLENDED_ASPECTS = {
    "colors": "colour", "colours": "colour", "colour": "colour", "motion": "motion",
    "gradient": "gradient", "camera": "camera", "sound": "audio", "audio": "audio",
    "blends": "blends", "lighting": "lighting", "composition": "composition",
    "graphics": "graphics", "temporal": "temporal", "technical": "technical",
    "transition": "transition", "depth": "depth",
}
PURE_ASPECTS = {"colors": "colour", "colours": "colour", "sound": "sound"}
SEMANTIC_ALIASES = {"theme": "themes", "plot": "plots", "setting": "settings"}
REGISTRY_SECTIONS = ("pure_static", "blended_dynamic", "semantic_narrative", "interpretation", "linguistic")


def _fail(path: str, why: str) -> ExportFormatError:
    return ExportFormatError(f"{path}: {why}")


def _need(obj, kind, path: str, what: str):
    if not isinstance(obj, kind):
        name = {dict: "an object", list: "a list", str: "text"}.get(kind, getattr(kind, "__name__", str(kind)))
        raise _fail(path, f"{what} should be {name}, found {type(obj).__name__}")
    return obj


def _text(entry: dict, field_name: str, path: str) -> str:
    value = entry.get(field_name)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{path}.{field_name}", "missing or not text")
    return value


def _count(entry: dict, path: str) -> int | None:
    if "count" not in entry:
        return None
    c = entry["count"]
    if isinstance(c, bool) or not isinstance(c, int) or c < 0:
        raise _fail(f"{path}.count", f"count should be a whole number >= 0, found {c!r}")
    return c


def _depth(entry: dict, path: str) -> dict:
    d = entry.get("depth_breakdown", {})
    return _need(d, dict, f"{path}.depth_breakdown", "depth_breakdown")


def _colour_key(key: str, path: str, *, with_opacity: bool) -> tuple[str, bool]:
    """The key on our grid, and whether it had to be re-keyed (legacy 'R,G,B')."""
    if "_" in key:
        try:
            parse_colour_key(key)
        except RegistryKeyError as exc:
            raise _fail(f"{path}.key", str(exc)) from None
        return key, False
    parts = key.split(",")
    try:
        channels = [int(p) for p in parts]
    except ValueError:
        raise _fail(f"{path}.key", f"colour key '{key}' is not 'R,G,B' on the 25-step grid") from None
    if len(channels) != 3 or any(c not in COLOUR_LEVELS for c in channels):
        raise _fail(f"{path}.key", f"colour key '{key}' is not 'R,G,B' on the 25-step grid")
    if with_opacity:
        return f"{key}_1.0", True
    return key, False


def parse_export(doc, *, file: str = "export") -> tuple[list[Row], list[dict], list[dict], ImportReport]:
    """Check the whole document and turn it into rows; raises ExportFormatError at the first
    bad path. Returns (entry rows, interpretations, linguistic rows, report so far)."""
    report = ImportReport(file=file)
    _need(doc, dict, "(top level)", "the export")
    regs = _need(doc.get("registries"), dict, "registries", "registries")
    for name in regs:
        if name not in REGISTRY_SECTIONS:
            raise _fail(f"registries.{name}", f"unknown registry (known: {', '.join(REGISTRY_SECTIONS)})")
    rows: list[Row] = []
    if "pure_static" in regs:
        ps = _need(regs["pure_static"], dict, "registries.pure_static", "pure_static")
        disc = _need(ps.get("discoveries", {}), dict, "registries.pure_static.discoveries", "discoveries")
        for aspect_name, items in disc.items():
            base = f"registries.pure_static.discoveries.{aspect_name}"
            if aspect_name not in PURE_ASPECTS:
                raise _fail(base, f"unknown pure aspect (known: {', '.join(PURE_ASPECTS)})")
            for i, e in enumerate(_need(items, list, base, aspect_name)):
                path = f"{base}[{i}]"
                _need(e, dict, path, "an entry")
                key, name = _text(e, "key", path), _text(e, "name", path)
                count, depth = _count(e, path), _depth(e, path)
                if PURE_ASPECTS[aspect_name] == "colour":
                    new_key, rekeyed = _colour_key(key, path, with_opacity=True)
                    value = {c: e[c] for c in ("r", "g", "b") if isinstance(e.get(c), (int, float))}
                    rows.append(Row(path, "pure", "colour", new_key, name, count, depth, value or None,
                                    rekeyed_from=key if rekeyed else None, sources=e.get("sources"), created_at=e.get("created_at")))
                else:
                    rows.append(Row(path, "pure", "sound", key, name, count, depth, None, sources=e.get("sources"), created_at=e.get("created_at")))
    if "blended_dynamic" in regs:
        bd = _need(regs["blended_dynamic"], dict, "registries.blended_dynamic", "blended_dynamic")
        disc = _need(bd.get("discoveries", {}), dict, "registries.blended_dynamic.discoveries", "discoveries")
        for aspect_name, items in disc.items():
            base = f"registries.blended_dynamic.discoveries.{aspect_name}"
            if aspect_name not in BLENDED_ASPECTS:
                raise _fail(base, f"unknown blended aspect (known: {', '.join(sorted(BLENDED_ASPECTS))})")
            aspect = BLENDED_ASPECTS[aspect_name]
            for i, e in enumerate(_need(items, list, base, aspect_name)):
                path = f"{base}[{i}]"
                _need(e, dict, path, "an entry")
                key, name = _text(e, "key", path), _text(e, "name", path)
                count, depth = _count(e, path), _depth(e, path)
                if aspect == "colour":
                    key, _ = _colour_key(key, path, with_opacity=False)
                value = {k: e[k] for k in ("trend",) if k in e} or None
                blend = None
                if aspect == "blends":
                    blend = {
                        "domain": _text(e, "domain", path),
                        "inputs": e.get("inputs"),
                        "output": e.get("output", key),
                    }
                rows.append(Row(path, "blended", aspect, key, name, count, depth, value, blend=blend,
                                sources=e.get("sources"), created_at=e.get("created_at")))
    if "semantic_narrative" in regs:
        sn = _need(regs["semantic_narrative"], dict, "registries.semantic_narrative", "semantic_narrative")
        from engine.procedural.registries.keys import SEMANTIC_ASPECTS

        for aspect_name, items in sn.items():
            base = f"registries.semantic_narrative.{aspect_name}"
            aspect = SEMANTIC_ALIASES.get(aspect_name, aspect_name)
            if aspect not in SEMANTIC_ASPECTS:
                raise _fail(base, f"unknown semantic aspect (known: {', '.join(SEMANTIC_ASPECTS)})")
            for i, e in enumerate(_need(items, list, base, aspect_name)):
                path = f"{base}[{i}]"
                _need(e, dict, path, "an entry")
                key = e.get("entry_key") or e.get("value")
                if not isinstance(key, str) or not key.strip():
                    raise _fail(f"{path}.entry_key", "missing or not text")
                rows.append(Row(path, "semantic", aspect, key.strip().lower(), _text(e, "name", path),
                                _count(e, path), _depth(e, path), None, sources=e.get("sources"), created_at=e.get("created_at")))
    interps: list[dict] = []
    if "interpretation" in regs:
        base = "registries.interpretation"
        for i, e in enumerate(_need(regs["interpretation"], list, base, "interpretation")):
            path = f"{base}[{i}]"
            _need(e, dict, path, "an interpretation")
            interps.append({
                "id": _text(e, "id", path), "prompt": _text(e, "prompt", path),
                "instruction": _need(e.get("instruction"), dict, f"{path}.instruction", "instruction"),
                "updated_at": e.get("updated_at"),
            })
    lings: list[dict] = []
    if "linguistic" in regs:
        base = "registries.linguistic"
        for i, e in enumerate(_need(regs["linguistic"], list, base, "linguistic")):
            path = f"{base}[{i}]"
            _need(e, dict, path, "a linguistic mapping")
            count = _count(e, path)
            lings.append({
                "path": path, "span": _text(e, "span", path), "canonical": _text(e, "canonical", path),
                "domain": _text(e, "domain", path),
                "variant_type": e.get("variant_type") or "synonym",
                "times": count if count is not None else 1,
            })
    if "loop_progress" in doc:
        report.notes.append("loop_progress is not imported: precision and discovery rate are derived from job records")
    return rows, interps, lings, report


_DATED = re.compile(r"[-_]\d{4}-\d{2}-\d{2}$")


def export_source(path: Path) -> str:
    """The source an export file comes from: its name without the date and extension
    (motion-registries-2026-02-21.json -> motion-registries). Daily exports of one source
    are cumulative snapshots."""
    return _DATED.sub("", path.stem) or path.stem


def import_export(store: Store, path: str | Path, *, source: str | None = None) -> ImportReport:
    """Import one export file into the store (one transaction); returns what happened to
    every entry in it. Counts are cumulative per `source` (by default the file name without
    its date): only what grew since the last import of that source is added."""
    p = Path(path)
    checked = check_export_file(p)
    try:
        data = p.read_bytes()
        raw = data.decode("utf-8")
    except FileNotFoundError:
        raise ExportFormatError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportFormatError(f"{p}: cannot read it ({exc})") from None
    try:
        doc = checked if checked is not None else json.loads(raw)
    except ValueError as exc:
        raise ExportFormatError(f"{p}: not JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        rows, interps, lings, report = parse_export(doc, file=str(p))
    except ExportFormatError as exc:
        raise ExportFormatError(f"{p}: {exc}") from None
    report.source = source or export_source(p)
    digest = hashlib.sha256(data).hexdigest()
    report.already_imported = already_imported(store, report.source, digest)
    exported_at = doc.get("exported_at") if isinstance(doc.get("exported_at"), str) else None
    load_rows(store, rows, interps, lings, report, source_ref=p.name, source=report.source,
              digest=digest, exported_at=exported_at)
    return report


def already_imported(store: Store, source: str, digest: str) -> bool:
    from sqlalchemy import select

    from engine.procedural.registries.import_models import ImportSnapshot

    with store.read() as s:
        return s.scalar(select(ImportSnapshot.id).where(
            ImportSnapshot.source == source, ImportSnapshot.digest == digest).limit(1)) is not None
