"""`dailies workers status`: the workers growing this store, from their heartbeats."""

from __future__ import annotations

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table


def register(subparsers) -> None:
    workers = subgroup(subparsers, "workers", "the loop workers growing this store")
    p = workers.add_parser(
        "status", help="live workers: host, pid, command, focus, runs per minute, last heartbeat",
        description="List the workers (dailies loop, sound-loop, interpret-loop processes on any "
        "machine sharing this store) whose heartbeat is recent: their host and pid, command, "
        "focus, runs recorded, runs per minute and seconds since their last heartbeat, and the "
        "work they hold claimed. --all also lists workers that stopped or went silent.",
    )
    add_store(p)
    p.add_argument("--all", action="store_true", help="also workers that stopped or went silent")
    add_json(p)
    p.set_defaults(func=_status)


def _status(args) -> int:
    from engine.workers.claims import claims
    from engine.workers.heartbeat import worker_status

    with store_from(args) as store:
        workers = worker_status(store, include_gone=args.all)
        held = [c for c in claims(store) if c.holder]

    def render(_) -> str:
        if not workers:
            head = "no live workers" if not args.all else "no workers have run on this store"
        else:
            head = table(
                [[w.id, w.command, w.focus, w.runs, f"{w.runs_per_minute:.2f}",
                  f"{w.heartbeat_age_s:.0f} s ago", "live" if w.live else ("stopped" if w.stopped_at else "silent")]
                 for w in workers],
                ["worker", "command", "focus", "runs", "runs/min", "heartbeat", "state"])
        lines = [head] + [f"claim {c.name}: held by {c.holder} until {c.expires_at:%Y-%m-%d %H:%M:%S}" for c in held]
        return "\n".join(lines)

    emit(args, {"workers": workers, "claims": held}, render)
    return 0
