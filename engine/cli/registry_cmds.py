"""`dailies registries ...`, `dailies backfill ...` and `dailies diagnostics`: thin handlers,
each calling one engine function of engine.procedural.registries."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table, to_jsonable
from engine.core.errors import DailiesError


def register(subparsers) -> None:
    group = subgroup(subparsers, "registries", "registries of discovered values: import, export, browse, density, health")

    p = group.add_parser("import", help="import a motion-registries export (JSON) into the store",
                         description="Import a motion-registries export. A malformed file imports nothing "
                         "and the error names the first bad path in it. Daily exports are cumulative: an "
                         "export imported before changes nothing, a later one adds only what grew. Prints "
                         "what was added, updated and skipped.")
    p.add_argument("export", metavar="EXPORT.json", help="the export file")
    p.add_argument("--source", help="where the export comes from (default: its file name without the date); "
                   "exports of one source are cumulative, so only their growth is added")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_import)

    p = group.add_parser("export", help="write the registries as an export (schema version 2)",
                         description="Write every registry as a motion-registries export, schema version 2.")
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the JSON")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_export)

    p = group.add_parser("list", help="list the entries of one registry aspect",
                         description="List entries (name, key, count) of one registry aspect.")
    p.add_argument("registry", help="pure, blended or semantic")
    p.add_argument("aspect", help="e.g. colour, sound, motion, genre")
    p.add_argument("--search", help="only names or keys containing this text")
    p.add_argument("--limit", type=int, default=50, help="at most this many entries (default 50)")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_list)

    p = group.add_parser("density", help="entries, coverage and growth per aspect; sparse and stagnant flagged",
                         description="Per registry and aspect: entries, coverage, growth since an older "
                         "export or a date; thresholds from registries.json.")
    p.add_argument("--compare", metavar="OLDER_EXPORT", help="an earlier export to measure growth against")
    p.add_argument("--since", metavar="DATE", help="measure growth as entries created since this date (YYYY-MM-DD)")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_density)

    p = group.add_parser("health", help="non-primitive tones and depths, duplicate and gibberish names, unsourced entries",
                         description="Check every entry: sound tones that are not primitive, depth breakdowns "
                         "naming non-primitives, duplicate names, gibberish names, entries without sources.")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_health)

    bf = subparsers.add_parser("backfill", help="replace gibberish and wrong names and cascade the new names everywhere",
                               description="Rename every registry name that is gibberish or does not say what its "
                               "value is ('Flax' on a slate blue), saying why for each, and rewrite every reference "
                               "to it (prompts, sources, interpretation and blend JSON) in one transaction. "
                               "Take prompts are never rewritten.")
    bf.add_argument("--dry-run", action="store_true", help="list each rename and its references; change nothing")
    bf.add_argument("--wait", type=float, default=5.0, metavar="SECONDS",
                    help="how long to wait for another backfill or writer to finish (default 5)")
    add_store(bf)
    add_json(bf)
    bf.set_defaults(func=_backfill)
    sub = bf.add_subparsers(dest="backfill_command", metavar="COMMAND")
    p = sub.add_parser("undo", help="revert one backfill run", description="Put back every cell a backfill run changed.")
    p.add_argument("run", type=int, metavar="RUN", help="the run number (see 'dailies backfill history')")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_undo)
    p = sub.add_parser("history", help="list backfill runs", description="List every backfill run with its renames.")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_history)

    p = subparsers.add_parser("diagnostics", help="jobs missing learning or discovery records; precision and discovery rate",
                              description="Jobs that succeeded without a learning or a discovery record, with "
                              "precision_pct and discovery_rate_pct computed from the records, and the same per loop worker.")
    p.add_argument("--last", type=int, metavar="N", help="only the last N jobs")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_diagnostics)


def _import(args) -> int:
    from engine.procedural.registries.importer import import_export

    with store_from(args, create=True) as store:
        report = import_export(store, args.export, source=args.source)

    def render(r) -> str:
        lines = [f"added {len(r.added)}, updated {len(r.updated)}, skipped {r.skipped_total} "
                 f"of {r.entries_in_file} entries in {r.file} (source {r.source})"]
        if r.already_imported:
            lines.append("this export was imported before: nothing in it is counted twice")
        lines += [f"  {k}: {v}" for k, v in sorted(r.imported.items())]
        lines.append(f"interpretations: added {r.interpretations_added}, updated {r.interpretations_updated}, "
                     f"skipped {r.interpretations - r.interpretations_added - r.interpretations_updated}")
        lines.append(f"linguistic rows: added {r.linguistic_added}, updated {r.linguistic_updated}, "
                     f"skipped {r.linguistic - r.linguistic_added - r.linguistic_updated}")
        reasons: dict[str, int] = {}
        for _path, why in r.unchanged:
            reasons[why.split(" (")[0]] = reasons.get(why.split(" (")[0], 0) + 1
        lines += [f"skipped {n}: {why}" for why, n in sorted(reasons.items())]
        if r.rekeyed:
            lines.append(f"re-keyed {len(r.rekeyed)} legacy keys (e.g. {r.rekeyed[0][1]} -> {r.rekeyed[0][2]})")
        if r.merged:
            lines.append(f"merged {len(r.merged)} entries into others with the same key")
        if r.renamed:
            lines.append(f"{len(r.renamed)} names already in use were replaced or kept from the store")
        for path, why in r.skipped:
            lines.append(f"skipped {path}: {why}")
        lines += r.notes[:1]
        return "\n".join(lines)

    emit(args, report, render)
    return 0


def _export(args) -> int:
    from engine.procedural.registries.exporter import export_registries

    with store_from(args) as store:
        path = export_registries(store, args.out)
    emit(args, {"written": str(path)}, f"wrote {path}")
    return 0


def _list(args) -> int:
    from engine.procedural.registries.query import entries, entry_total

    with store_from(args) as store, store.read() as s:
        rows = entries(s, args.registry, args.aspect, search=args.search, limit=args.limit, with_sources=False)
        total = entry_total(s, args.registry, args.aspect, search=args.search)
    emit(args, rows, lambda rows: table([[e.name, e.key, e.count] for e in rows], ["name", "key", "count"])
         + f"\n{len(rows)} of {total}")
    return 0


def _density(args) -> int:
    from engine.procedural.registries.density import density

    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since).replace(tzinfo=UTC)
        except ValueError:
            raise DailiesError(f"--since '{args.since}' is not a date (YYYY-MM-DD)") from None
    with store_from(args) as store:
        report = density(store, compare=args.compare, since=since)

    def render(r) -> str:
        rows = [[d.registry, d.aspect, d.entries, d.observed, d.observations,
                 "" if d.coverage_pct is None else f"{d.coverage_pct:.2f}%",
                 "" if d.growth is None else d.growth,
                 " ".join(f for f, on in (("sparse", d.sparse), ("stagnant", d.stagnant),
                                           ("not measured", not d.measured)) if on)]
                for d in r.rows]
        return table(rows, ["registry", "aspect", "entries", "observed", "observations", "coverage", "growth", "flags"])

    emit(args, report, render)
    return 0


def _health(args) -> int:
    from engine.procedural.registries.health import health

    with store_from(args) as store:
        report = health(store)

    def render(r) -> str:
        counts = r.by_check()
        head = f"{r.entries_checked} entries checked; " + (
            ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) if counts else "no findings")
        return "\n".join([head] + [f"{f.check}  {f.where}  {f.detail}" for f in r.findings[:200]])

    emit(args, report, render)
    return 0


def _progress_printer(args):
    if args.json or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, where: str) -> None:
        print(f"\r{done}/{total} rows ({where})   ", end="", file=sys.stderr, flush=True)

    return show


def _backfill(args) -> int:
    from engine.procedural.registries.backfill import backfill

    with store_from(args) as store:
        result = backfill(store, dry_run=args.dry_run, wait_seconds=args.wait, progress=_progress_printer(args))

    def render(r) -> str:
        verb = "would rename" if r.dry_run else "renamed"
        lines = [f"{verb} {len(r.renames)} names; {r.cells_changed} cells "
                 + ("would change" if r.dry_run else f"changed (run {r.run_id}; undo with 'dailies backfill undo {r.run_id}')")]
        for x in r.renames:
            refs = ", ".join(f"{k} {v}" for k, v in sorted(x.references.items())) or "no references"
            lines.append(f"  {x.old} -> {x.new}  [{x.registry}/{x.aspect}]  {refs}")
            lines.append(f"      why: {x.reason}")
        return "\n".join(lines)

    emit(args, result, render)
    return 0


def _undo(args) -> int:
    from engine.procedural.registries.backfill import undo_backfill

    with store_from(args) as store:
        cells = undo_backfill(store, args.run)
    emit(args, {"run": args.run, "cells_restored": cells}, f"undid backfill run {args.run}: {cells} cells restored")
    return 0


def _history(args) -> int:
    from engine.procedural.registries.backfill import backfill_history

    with store_from(args) as store:
        runs = backfill_history(store)
    emit(args, runs, lambda runs: table(
        [[r.id, r.started_at, len(r.renames), r.cells_changed, r.undone_at or ""] for r in runs],
        ["run", "started", "renames", "cells", "undone"]))
    return 0


def _diagnostics(args) -> int:
    from engine.procedural.registries.health import diagnostics
    from engine.workers.runs import diagnostics_by_worker

    with store_from(args) as store:
        d = diagnostics(store, last=args.last)
        by_worker = diagnostics_by_worker(store) if args.last is None else []

    def render(_) -> str:
        def pct(v):
            return "n/a" if v is None else f"{v:.1f}%"
        lines = [f"{d.jobs} jobs: precision {pct(d.precision_pct)} (learning {d.runs_with_learning}), "
                 f"discovery rate {pct(d.discovery_rate_pct)} (discovery {d.runs_with_discovery}); "
                 f"target {d.target_pct:.0f}%"]
        return "\n".join(lines + [w.line() for w in by_worker] + list(d.missing))

    emit(args, {**to_jsonable(d), "by_worker": by_worker}, render)
    return 0
