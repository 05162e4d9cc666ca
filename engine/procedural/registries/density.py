"""Registry density: entries, coverage and growth per registry and aspect, with sparse and
stagnant aspects flagged by the thresholds in registries.json (config folder). An aspect no extractor
produces (catalog.MEASURED) is reported as not measured, never flagged.

Every figure is counted from the rows themselves (no cached counters that could drift).
Coverage: pure colour cells over the 27,951-cell grid, pure sound origin noises heard over
the ten (a composite counts every noise it holds), semantic origin values observed over each
aspect's origin count, and for the blended aspects with a finite key grid the cells observed
over the grid (camera 192, gradient 404, lighting 45, composition 50). Blended motion's level
is unbounded, so it has no coverage.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import func, select, text

from engine.core import paths
from engine.procedural.registries.catalog import MEASURED, REGISTRIES
from engine.procedural.registries.keys import (
    BLENDED_GRID_CELLS,
    COLOUR_GRID_CELLS,
    COMPOSITE_SEPARATOR,
    SEMANTIC_ORIGINS,
    SOUND_ORIGINS,
    RegistryKeyError,
    blended_grid,
    sound_parts,
)
from engine.procedural.registries.models import RegistryEntry, RegistrySource
from engine.procedural.registries.settings import load_registries_file
from engine.store.db import Store


@dataclass(frozen=True)
class AspectDensity:
    registry: str
    aspect: str
    entries: int
    observed: int  # entries with at least one observation
    observations: int
    coverage_pct: float | None
    growth: int | None  # entries added since the comparison point
    sparse: bool
    stagnant: bool
    measured: bool = True  # False: no extractor produces this aspect (see catalog.MEASURED)


@dataclass(frozen=True)
class DensityReport:
    rows: tuple[AspectDensity, ...]
    compared_with: str | None


@dataclass(frozen=True)
class Thresholds:
    sparse_min_entries: dict
    sparse_min_coverage_pct: float
    stagnant_max_growth: int
    target_pct: float
    last_jobs: int

    def min_entries(self, registry: str, aspect: str) -> int:
        m = self.sparse_min_entries
        return int(m.get(f"{registry}/{aspect}", m.get(registry, m.get("default", 0))))


@cache
def _load(path: Path) -> Thresholds:
    doc = load_registries_file(path)
    dens, diag = doc.density, doc.diagnostics
    return Thresholds(dict(dens.sparse_min_entries), float(dens.sparse_min_coverage_pct),
                      int(dens.stagnant_max_growth), float(diag.target_pct), int(diag.last_jobs))


def thresholds() -> Thresholds:
    return _load(paths.config_dir() / "registries.json")


def _export_counts(path: str | Path) -> dict[tuple[str, str], int]:
    from engine.procedural.registries.import_rows import legacy_sound_key
    from engine.procedural.registries.importer import ExportFormatError, parse_export

    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportFormatError(f"{p}: cannot read it as JSON ({exc})") from None
    try:
        rows, _, _, _ = parse_export(doc, file=str(p))
    except ExportFormatError as exc:
        raise ExportFormatError(f"{p}: {exc}") from None
    keys: dict[tuple[str, str], set] = defaultdict(set)
    for r in rows:
        key = r.key
        if r.registry == "pure" and r.aspect == "sound":
            key, _, why = legacy_sound_key(r.key, r.depth)
            if why:
                continue
        keys[(r.registry, r.aspect)].add(key)
    return {k: len(v) for k, v in keys.items()}


def _timbres(key: str) -> set[str]:
    """The origin noises a pure sound key holds (every part of a composite)."""
    if COMPOSITE_SEPARATOR not in key:
        return {key.rsplit("_", 1)[-1]}  # only origin names count towards coverage
    try:
        return {timbre for _a, _tone, timbre in sound_parts(key)}
    except RegistryKeyError:
        return set()


def _sound_keys_naming(origins: list[str]):
    """Observed non-origin sound keys after :after (in key order) that may name one of
    `origins`: `LIKE '%hum%'` finds every key holding the name (and a few more, which the
    parse then turns down)."""
    named = " OR ".join(f"key LIKE :n{i}" for i in range(len(origins)))
    return text(
        "SELECT key FROM registry_entry WHERE registry = 'pure' AND aspect = 'sound' AND key > :after "
        f"AND ({named}) AND is_origin = :f "
        "AND EXISTS (SELECT 1 FROM registry_source s WHERE s.entry_id = registry_entry.id) ORDER BY key"
    ), {"f": False, **{f"n{i}": f"%{o}%" for i, o in enumerate(origins)}}


def _sound_timbres(conn) -> set[str]:
    """The origin noises observed sound entries hold. The store is asked, in key order, for the
    next observed key that may name an origin noise not yet found; once a key settles one, the
    question is asked again for the ones left, from where the last answer stopped. So the sound
    keys are read once at most, however many noises are never heard, and no key is parsed
    unless it may add an origin noise."""
    found: set[str] = set()
    after = ""
    while True:
        left = [o for o in SOUND_ORIGINS if o not in found]
        if not left:
            return found
        query, params = _sound_keys_naming(left)
        rows = conn.execute(query, {**params, "after": after})
        try:
            for (key,) in rows:
                after = key
                timbres = _timbres(key)
                found |= timbres
                if timbres & set(left):
                    break
            else:
                return found
        finally:
            rows.close()


PER_ASPECT = {
    "entries": text("SELECT COUNT(*) FROM registry_entry WHERE registry = :r AND aspect = :a"),
    "observed": text("SELECT COUNT(*) FROM (SELECT DISTINCT entry_id FROM registry_source "
                     "WHERE registry = :r AND aspect = :a) AS seen"),
    "observations": text("SELECT SUM(times) FROM registry_source WHERE registry = :r AND aspect = :a"),
}


def _per_aspect(conn) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(entries, entries with at least one source, observations) per registry and aspect.
    Asked one aspect at a time, each count is a range of an index read in order: sources come
    in entry order, so distinct entries are counted as they pass instead of being sorted."""
    counts = {}
    for registry, aspects in REGISTRIES.items():
        for aspect in aspects:
            p = {"r": registry, "a": aspect}
            counts[(registry, aspect)] = tuple(int(conn.execute(q, p).scalar() or 0) for q in PER_ASPECT.values())
    return counts


def density(store: Store, *, compare: str | Path | None = None, since: datetime | None = None) -> DensityReport:
    """Per registry and aspect: entries, observed entries, observations, coverage, growth."""
    limits = thresholds()
    then = _export_counts(compare) if compare else None
    with store.read() as s:
        conn = s.connection()
        counts = _per_aspect(conn)
        timbres = _sound_timbres(conn)
        cells: dict[str, int] = {}
        for a in BLENDED_GRID_CELLS:  # the grid's keys looked up by the unique key index
            cells[a] = int(conn.execute(
                select(func.count()).select_from(RegistryEntry).where(
                    RegistryEntry.reg == "blended", RegistryEntry.aspect == a, RegistryEntry.key.in_(blended_grid(a)),
                    RegistryEntry.is_origin.is_(False),
                    select(RegistrySource.id).where(RegistrySource.entry_id == RegistryEntry.id).exists(),
                )).scalar())
        semantic_seen: dict[str, set] = defaultdict(set)
        for a, key in conn.execute(text(
            "SELECT aspect, key FROM registry_entry WHERE registry = 'semantic' AND is_origin = :t "
            "AND EXISTS (SELECT 1 FROM registry_source s WHERE s.entry_id = registry_entry.id)"), {"t": True}):
            semantic_seen[a].add(key)
        grown: dict[tuple[str, str], int] = {}
        if since is not None:
            stamp = since.replace(tzinfo=None) if store.is_sqlite else since
            grown = {
                (r, a): int(n) for r, a, n in conn.execute(
                    text("SELECT registry, aspect, COUNT(*) FROM registry_entry WHERE created_at >= :t "
                         "AND is_origin = :f GROUP BY registry, aspect"), {"t": stamp, "f": False})
            }
    rows = []
    for registry, aspects in REGISTRIES.items():
        for aspect in aspects:
            n, seen, times = counts[(registry, aspect)]
            if registry == "pure" and aspect == "colour":
                coverage = 100.0 * seen / COLOUR_GRID_CELLS
            elif registry == "pure" and aspect == "sound":
                coverage = 100.0 * len(timbres & set(SOUND_ORIGINS)) / len(SOUND_ORIGINS)
            elif registry == "semantic":
                coverage = 100.0 * len(semantic_seen[aspect]) / len(SEMANTIC_ORIGINS[aspect])
            elif registry == "blended" and aspect in BLENDED_GRID_CELLS:
                coverage = 100.0 * cells[aspect] / BLENDED_GRID_CELLS[aspect]
            else:
                coverage = None
            if then is not None:
                growth = seen - then.get((registry, aspect), 0)
            elif since is not None:
                growth = grown.get((registry, aspect), 0)
            else:
                growth = None
            floor = limits.min_entries(registry, aspect)
            if registry == "semantic":
                floor = min(floor, len(SEMANTIC_ORIGINS[aspect]))
            measured = (registry, aspect) in MEASURED
            sparse = measured and (seen < floor or (
                coverage is not None and coverage < limits.sparse_min_coverage_pct
            ))
            stagnant = measured and growth is not None and growth <= limits.stagnant_max_growth
            rows.append(AspectDensity(registry, aspect, n, seen, times,
                                      round(coverage, 2) if coverage is not None else None,
                                      growth, sparse, stagnant, measured))
    return DensityReport(tuple(rows), str(compare) if compare else (since.isoformat() if since else None))


@dataclass(frozen=True)
class GrowthPoint:
    day: str  # YYYY-MM-DD
    registry: str
    new_entries: int


def growth_by_day(store: Store) -> list[GrowthPoint]:
    """Entries discovered per day and registry (origins excluded), oldest day first."""
    with store.read() as s:
        day = "substr(created_at, 1, 10)" if store.is_sqlite else "to_char(created_at, 'YYYY-MM-DD')"
        rows = s.connection().execute(text(
            f"SELECT {day} AS d, registry, COUNT(*) FROM registry_entry WHERE is_origin = :f "
            "GROUP BY d, registry ORDER BY d, registry"), {"f": False}).all()
    return [GrowthPoint(str(d), r, int(n)) for d, r, n in rows]
