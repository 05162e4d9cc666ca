"""Registry health and loop diagnostics, both computed from the rows.

Health: pure sound keys whose tone or timbre is not primitive (a mood word in the tone slot;
for a composite, in any of its parts),
depth breakdowns that name something other than an origin, duplicate names, gibberish names,
names that do not say what their value is, entries that nobody observed. Diagnostics: jobs that left no learning or no discovery record,
and precision / discovery rate as percentages of the jobs looked at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text

from engine.procedural.registries.density import thresholds
from engine.procedural.registries.gibberish import gibberish_reason
from engine.procedural.registries.keys import (
    COLOUR_ORIGINS,
    SOUND_ORIGINS,
    RegistryKeyError,
    sound_parts,
)
from engine.procedural.registries.name_check import CHECKED, meaning_problem, name_problem
from engine.store.db import Store


@dataclass(frozen=True)
class Finding:
    check: str  # sound_tone | depth | duplicate_name | gibberish_name | name_meaning | no_sources
    where: str  # registry/aspect/key
    detail: str


@dataclass(frozen=True)
class HealthReport:
    entries_checked: int
    findings: tuple[Finding, ...]

    def by_check(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.check] = out.get(f.check, 0) + 1
        return out


PRIMITIVES = {("pure", "colour"): set(COLOUR_ORIGINS), ("pure", "sound"): set(SOUND_ORIGINS)}


def health(store: Store) -> HealthReport:
    findings: list[Finding] = []
    with store.read() as s:
        conn = s.connection()
        rows = conn.execute(text(
            "SELECT e.id, e.registry, e.aspect, e.key, e.name, e.is_origin, e.depth_json, "
            "EXISTS (SELECT 1 FROM registry_source s WHERE s.entry_id = e.id) AS seen "
            "FROM registry_entry e ORDER BY e.id")).all()
        dupes = conn.execute(text(
            "SELECT name, COUNT(*) FROM registry_entry GROUP BY name HAVING COUNT(*) > 1 ORDER BY name")).all()
    for r in rows:
        where = f"{r.registry}/{r.aspect}/{r.key}"
        if r.registry == "pure" and r.aspect == "sound" and not r.is_origin:
            try:
                sound_parts(r.key)  # a plain key, or a composite whose every part is one
            except RegistryKeyError as exc:
                findings.append(Finding("sound_tone", where, str(exc)))
        allowed = PRIMITIVES.get((r.registry, r.aspect))
        if allowed and r.depth_json:
            try:
                depth = json.loads(r.depth_json)
            except ValueError:
                depth = {"(not JSON)": 0}
            odd = sorted(k for k in depth if k not in allowed) if isinstance(depth, dict) else ["(not an object)"]
            if odd:
                findings.append(Finding("depth", where, f"depth names non-primitives: {', '.join(odd)}"))
        reason = gibberish_reason(r.name)
        if reason:
            findings.append(Finding("gibberish_name", where, f"name '{r.name}': {reason}"))
        elif not r.is_origin:
            wrong = meaning_problem(r.registry, r.aspect, r.key, r.name)
            if wrong:
                findings.append(Finding("name_meaning", where, wrong))
        if not r.seen and not r.is_origin:
            findings.append(Finding("no_sources", where, f"'{r.name}' has no sources (nobody observed it)"))
    for name, n in dupes:
        findings.append(Finding("duplicate_name", name, f"name '{name}' is used by {n} entries"))
    return HealthReport(len(rows), tuple(findings))


def names_that_say_their_value(store: Store) -> dict[str, tuple[int, int]]:
    """Per checked aspect (colour, sound, motion, camera): (non-origin names that say what
    their value is, non-origin names), over every registry holding that aspect."""
    out: dict[str, list[int]] = {a: [0, 0] for a in CHECKED}
    with store.read() as s:
        rows = s.connection().execute(text(
            "SELECT registry, aspect, key, name FROM registry_entry WHERE is_origin = :f AND aspect IN "
            "('colour', 'sound', 'motion', 'camera')"), {"f": False}).all()
    for r in rows:
        if r.aspect == "sound" and r.registry != "pure":
            continue
        tally = out[r.aspect]
        tally[1] += 1
        tally[0] += name_problem(r.registry, r.aspect, r.key, r.name) is None
    return {a: (good, total) for a, (good, total) in out.items()}


@dataclass(frozen=True)
class JobCheck:
    job_ref: str
    created_at: str
    has_learning: bool
    has_discovery: bool


@dataclass(frozen=True)
class Diagnostics:
    jobs: int
    runs_with_learning: int
    runs_with_discovery: int
    precision_pct: float | None
    discovery_rate_pct: float | None
    target_pct: float
    missing: tuple[str, ...]  # the log lines operators grep for
    checks: tuple[JobCheck, ...]


def diagnostics(store: Store, *, last: int | None = None) -> Diagnostics:
    """The last `last` succeeded jobs (all when None): which left no learning or discovery."""
    limits = thresholds()
    sql = (
        "SELECT j.ref, j.created_at, "
        "EXISTS (SELECT 1 FROM learning_run l WHERE l.job_ref = j.ref) AS learned, "
        "EXISTS (SELECT 1 FROM discovery_run d WHERE d.job_ref = j.ref) AS discovered "
        "FROM creation_job j WHERE j.status = 'succeeded' ORDER BY j.created_at DESC, j.id DESC"
    )
    params = {}
    if last is not None:
        sql += " LIMIT :n"
        params["n"] = last
    with store.read() as s:
        rows = s.connection().execute(text(sql), params).all()
    checks = tuple(JobCheck(r.ref, str(r.created_at), bool(r.learned), bool(r.discovered)) for r in rows)
    n = len(checks)
    learned = sum(c.has_learning for c in checks)
    discovered = sum(c.has_discovery for c in checks)
    missing = tuple(
        [f"Missing learning (job_id={c.job_ref})" for c in checks if not c.has_learning]
        + [f"Missing discovery (job_id={c.job_ref})" for c in checks if not c.has_discovery]
    )
    return Diagnostics(
        n, learned, discovered,
        round(100.0 * learned / n, 1) if n else None,
        round(100.0 * discovered / n, 1) if n else None,
        limits.target_pct, missing, checks,
    )
