"""`dailies store check`, `dailies shots ...`, `dailies import-legacy`."""

from __future__ import annotations

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table
from engine.core.errors import PlanError
from engine.core.json_files import read_json
from engine.core.plans import parse_plan
from engine.store.check import check_store
from engine.store.shots import add_shot, list_shots


def register(subparsers) -> None:
    store = subgroup(subparsers, "store", "inspect a store")
    p = store.add_parser(
        "check",
        help="integrity and migration state of a store",
        description="Check a store's integrity, schema revision and media files without changing it.",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--quick", action="store_true",
                   help="SQLite: the fast quick_check instead of the full integrity_check (misses index damage)")
    p.set_defaults(func=_check)

    shots = subgroup(subparsers, "shots", "list and add shots")
    p = shots.add_parser("list", help="the shots in filmstrip order", description="List shots in sequence order with their take counts.")
    add_store(p)
    add_json(p)
    p.add_argument("--episode", help="only this episode")
    p.set_defaults(func=_shots_list)

    p = shots.add_parser("add", help="add a shot with its plan", description="Add a shot at the end of its episode; its plan is validated.")
    add_store(p)
    add_json(p)
    p.add_argument("--episode", required=True)
    p.add_argument("--scene")
    p.add_argument("--code", required=True, help="the shot's id, unique in the store")
    p.add_argument("--plan", dest="plan_file", metavar="PLAN.json", help="the shot plan as a JSON file")
    p.set_defaults(func=_shots_add)

    p = subparsers.add_parser(
        "import-legacy",
        help="import an existing execution store (shots table with a takes JSON column)",
        description="Import shots and takes from an existing SQLite execution store. "
        "Nothing is written unless every row reads cleanly; a second import adds nothing.",
    )
    p.add_argument("path", help="the legacy SQLite file")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_import_legacy)


def _check(args) -> int:
    report = check_store(args.store, quick=args.quick)

    def text(_data) -> str:
        r = report
        lines = [f"store     {r.store}", f"revision  {r.revision} (head {r.head})"]
        lines += [f"{k:<20}{v}" for k, v in r.counts.items()]
        lines += [f"warning: {w}" for w in r.warnings]
        lines += [f"problem: {p}" for p in r.problems]
        lines.append("ok" if r.ok else f"{len(r.problems)} problem(s)")
        return "\n".join(lines)

    emit(args, {**report.__dict__, "ok": report.ok}, text)
    return 0 if report.ok else 1


def _shots_list(args) -> int:
    with store_from(args) as store, store.read() as s:
        shots = list_shots(s, args.episode)
    emit(
        args,
        shots,
        lambda rows: table(
            [[r.position, r.code, r.episode, r.scene or "", r.takes,
              (r.plan_fields or {}).get("target_model", "")] for r in rows],
            ["#", "shot", "episode", "scene", "takes", "target"],
        ),
    )
    return 0


def _shots_add(args) -> int:
    plan = None
    if args.plan_file:
        plan = parse_plan(read_json(args.plan_file, error=PlanError, what="plan file"), where=args.plan_file)
    with store_from(args, create=True) as store, store.write() as s:
        shot = add_shot(s, episode=args.episode, scene=args.scene, code=args.code, plan=plan)
        result = {"shot": shot.code, "position": shot.position}
    emit(args, result, f"added shot {result['shot']} at position {result['position']}")
    return 0


def _import_legacy(args) -> int:
    from engine.store.legacy import import_legacy  # only for this command

    with store_from(args, create=True) as store:
        report = import_legacy(store, args.path)
    emit(
        args,
        report,
        lambda r: (
            f"imported from {r.source}: {r.shots_added} new shot(s) of {r.shots_seen}, "
            f"{r.takes_added} new take(s) of {r.takes_seen} "
            f"({r.takes_already_present} already present), {r.decisions_added} decision(s)"
            + "".join(f"\n{note}" for note in r.notes)
        ),
    )
    return 0


