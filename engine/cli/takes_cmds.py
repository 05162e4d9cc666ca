"""`dailies takes ...` and `dailies review ...`."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table
from engine.core.errors import DailiesError
from engine.store.reviews import add_decision, history, retract_latest
from engine.store.takes import export_takes, list_takes


def register(subparsers) -> None:
    takes = subgroup(subparsers, "takes", "list, add and export takes")
    p = takes.add_parser("list", help="every take of a shot with every field", description="List a shot's takes, oldest first, with every recorded field.")
    add_store(p)
    add_json(p)
    p.add_argument("--shot", required=True, help="shot id")
    p.set_defaults(func=_list)

    p = takes.add_parser(
        "add",
        help="record a take made by another pipeline",
        description="Record an image or clip made elsewhere, with the exact prompt, seed, "
        "model and system-prompt version it was made with. The file is checked first.",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--shot", required=True, help="shot id")
    p.add_argument("--output", required=True, metavar="FILE", help="the image or clip")
    p.add_argument("--prompt", required=True, help="the exact prompt sent to the model")
    p.add_argument("--seed", type=int)
    p.add_argument("--model", required=True)
    p.add_argument("--version", dest="system_prompt_version", help="system-prompt version, e.g. v1.0")
    p.add_argument("--system-prompt-file", metavar="FILE", help="the exact system-prompt text used")
    p.add_argument("--pipeline", default="external")
    p.add_argument("--target", help="target profile (nbp, kling_t2v, ...)")
    p.add_argument("--cost", type=float, default=0.0)
    p.add_argument("--allow-unknown-model", action="store_true",
                   help="record a model config/models.json does not know")
    p.set_defaults(func=_add)

    p = takes.add_parser("export", help="a shot's takes as execution-store JSON", description="Print a shot's takes as JSON objects (take_id, timestamp, prompt, seed, system_prompt_version, model, cost, output_path, status).")
    add_store(p)
    p.add_argument("--shot", required=True, help="shot id")
    p.set_defaults(func=_export)

    p = takes.add_parser(
        "find",
        help="the take that made an image or clip, or any copy of it",
        description="Find the take of FILE by its embedded Dailies metadata or content hash; "
        "for a copy (re-encoded, resized, converted, lightly graded), by its picture: the "
        "take whose perceptual hash is nearest, confirmed by a closer look.",
    )
    add_store(p)
    p.add_argument("file", metavar="FILE", help="an image or clip file")
    add_json(p)
    p.set_defaults(func=_find)

    p = takes.add_parser(
        "hash",
        help="hash the pictures of takes that have no perceptual hash yet",
        description="Hash the file of every take without a perceptual hash (takes imported in "
        "bulk, or recorded before hashes were kept); 'takes find' does this by itself when "
        "it meets such takes. --retry also tries files that could not be read before.",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--missing", action="store_true", required=True,
                   help="only takes without a hash (the only mode: hashes never change)")
    p.add_argument("--retry", action="store_true", help="also files that could not be read before")
    p.set_defaults(func=_hash)

    p = takes.add_parser(
        "display-copies",
        help="make the display copies of still takes that have none",
        description="Make the display-size copy (1920 px long edge) of every still take larger "
        "than that which has none yet: takes recorded before copies were kept. The desk paints "
        "a take's copy first and the full frame after it; without one it decodes the full "
        "frame and makes the copy in the background.",
    )
    add_store(p)
    add_json(p)
    p.set_defaults(func=_display_copies)

    review = subgroup(subparsers, "review", "record review decisions")
    p = review.add_parser(
        "add",
        help="approve or reject a take",
        description="Record a decision on a take. Rejections carry tags from the taxonomy; a "
        "continuity rejection may name the take it conflicts with (--ref).",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--take", required=True, help="SHOT/take_001 or a take's store id")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true")
    verdict.add_argument("--reject", action="store_true")
    p.add_argument("--tag", action="append", default=[], help="rejection tag (repeatable), one of the taxonomy in review.json")
    p.add_argument("--ref", help="for continuity_error: the take it conflicts with")
    p.add_argument("--note", default="", help="free text")
    p.add_argument("--reviewer", default=None, help="reviewer name (default: your user name)")
    p.set_defaults(func=_review_add)

    p = review.add_parser(
        "undo",
        help="withdraw your latest decision on a take",
        description="Append a retraction of the reviewer's own latest standing decision on the "
        "take; the history stays. Withdrawing another reviewer's decision needs them named "
        "with --of.",
    )
    add_store(p)
    add_json(p)
    p.add_argument("--take", required=True)
    p.add_argument("--reviewer", default=None, help="who is undoing (default: your user name)")
    p.add_argument("--of", metavar="REVIEWER", help="withdraw this reviewer's decision instead of your own")
    p.set_defaults(func=_review_undo)

    p = review.add_parser("history", help="every decision on a take", description="List every decision on a take, retractions included.")
    add_store(p)
    add_json(p)
    p.add_argument("--take", required=True)
    p.set_defaults(func=_review_history)


def _reviewer(args) -> str:
    return args.reviewer or getpass.getuser()


def _list(args) -> int:
    with store_from(args) as store, store.read() as s:
        takes = list_takes(s, args.shot)

    def text(rows) -> str:
        out = []
        for t in rows:
            out.append(f"{t.ref}  {t.status}  {t.created_at:%Y-%m-%d %H:%M}")
            for label, value in (
                ("model", t.model), ("pipeline", t.pipeline), ("target", t.target),
                ("seed", t.seed), ("version", t.system_prompt_version),
                ("enrichment", f"{t.enrichment_outcome or '-'}"
                 + (f" ({t.enrichment_reason})" if t.enrichment_reason else "")),
                ("cost", f"{t.cost:.4f}"), ("output", f"{t.output_path} [{t.media_kind}]"),
                ("prompt", t.prompt),
            ):
                out.append(f"    {label:<11}{'' if value is None else value}")
        return "\n".join(out) if out else f"shot {args.shot} has no takes"

    emit(args, takes, text)
    return 0


def _add(args) -> int:
    from engine.takes.intake import record_external_take  # Pillow: only for this command

    text = None
    if args.system_prompt_file:
        try:
            text = Path(args.system_prompt_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise DailiesError(f"cannot read system prompt {args.system_prompt_file}: {exc.strerror}") from None
    with store_from(args) as store:
        take = record_external_take(
            store,
            shot=args.shot,
            output=args.output,
            prompt=args.prompt,
            seed=args.seed,
            model=args.model,
            system_prompt_version=args.system_prompt_version,
            system_prompt_text=text,
            pipeline=args.pipeline,
            target=args.target,
            cost=args.cost,
            allow_unknown_model=args.allow_unknown_model,
        )
    emit(args, take, f"recorded {take.ref} ({take.media_kind})")
    return 0


def _export(args) -> int:
    with store_from(args) as store, store.read() as s:
        data = export_takes(s, args.shot)
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _find(args) -> int:
    from engine.takes.take_finder import find_take

    with store_from(args) as store:
        match = find_take(store, Path(args.file))
    t = match.take
    data = {
        "take": t.ref, "prompt": t.prompt, "seed": t.seed, "model": t.model, "target": t.target,
        "system_prompt_version": t.system_prompt_version, "output_path": t.output_path,
        "match": match.how, "distance": match.distance, "difference": match.difference,
    }
    emit(args, data, lambda d: f"{d['take']} (seed {d['seed']}, {d['model']}, system prompt "
         f"{d['system_prompt_version'] or '-'})\n{match.summary}\n{d['prompt']}")
    return 0


def _hash(args) -> int:
    from engine.takes.perceptual_hashes import hash_missing

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rhashing takes: {done}/{total}", end="", file=sys.stderr, flush=True)

    with store_from(args) as store:
        run = hash_missing(store, retry=args.retry, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    emit(args, run, lambda r: "\n".join([f"hashed {r.hashed} take(s); {r.without_file} without a file; "
                                        f"{len(r.unreadable)} unreadable", *r.unreadable]))
    return 0


def _display_copies(args) -> int:
    from engine.takes.display_copies import make_store_display_copies

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rdisplay copies: {done}/{total}", end="", file=sys.stderr, flush=True)

    with store_from(args) as store:
        run = make_store_display_copies(store, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    emit(args, run, lambda r: "\n".join([f"made {r.made} display cop{'y' if r.made == 1 else 'ies'}; "
                                        f"{r.reused} already made; {r.not_needed} need none; "
                                        f"{len(r.failed)} unreadable", *r.failed]))
    return 0


def _review_add(args) -> int:
    with store_from(args) as store, store.write() as s:
        decision = add_decision(
            s, args.take, reviewer=_reviewer(args), approve=args.approve,
            tags=args.tag, note=args.note, conflicts_with=args.ref,
        )
    emit(args, decision, f"{decision.action} recorded for {args.take}"
         + (f" [{', '.join(decision.tags)}]" if decision.tags else "")
         + (f"; {decision.effect}" if decision.effect else ""))
    return 0


def _review_undo(args) -> int:
    with store_from(args) as store, store.write() as s:
        decision = retract_latest(s, args.take, reviewer=_reviewer(args), of=args.of)
    emit(args, decision, f"withdrew {decision.withdrew} (decision {decision.retracts_id}) on {args.take}")
    return 0


def _review_history(args) -> int:
    with store_from(args) as store, store.read() as s:
        decisions = history(s, args.take)
    emit(args, decisions, lambda rows: table(
        [[d.id, f"{d.created_at:%Y-%m-%d %H:%M}", d.reviewer, d.action, ",".join(d.tags),
          d.conflicts_with or "", d.effect, d.note] for d in rows],
        ["id", "time", "reviewer", "action", "tags", "conflicts with", "effect", "note"],
    ))
    return 0
