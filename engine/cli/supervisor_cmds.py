"""The supervisor's commands: draft and release system-prompt versions, replay a week's
rejected takes against a version, and mark a sample for a second blind review. Each handler
calls one engine function."""

from __future__ import annotations

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table


def _draft(args) -> int:
    from engine.takes.prompting.drafts import draft

    d = draft(args.target, args.from_version)
    emit(args, d, lambda d: f"wrote the draft {d.target} {d.version} (from {d.from_version}) to {d.path}\n"
         f"edit it, replay it (dailies prompts replay {d.target} {d.version}), then release it "
         f"(dailies prompts release {d.target} {d.version})")
    return 0


def _release(args) -> int:
    from engine.takes.prompting.drafts import release

    sha = release(args.target, args.version)
    emit(args, {"target": args.target, "version": args.version, "sha256": sha},
         lambda d: f"released {d['target']} {d['version']} (SHA-256 {d['sha256'][:12]}); it is never "
         f"edited again. Takes use it once profiles.{d['target']}.version in models.json names it.")
    return 0


def _replay(args) -> int:
    from engine.takes.prompting.replay import replay
    from engine.takes.prompting.replay_export import replay_text
    from engine.takes.reports.weeks import parse_week

    with store_from(args) as store:
        result = replay(store, args.target, args.version, parse_week(args.week), tag=args.tag)
    emit(args, result, replay_text)
    return 0


def _replays(args) -> int:
    from engine.takes.prompting.replay_export import export_replay, replay_text
    from engine.takes.prompting.replay_store import list_replays, load_replay

    with store_from(args) as store:
        if args.open is None:
            rows = list_replays(store, target=args.target)
            emit(args, rows, lambda rs: table(
                [[r.id, r.made_at.strftime("%Y-%m-%d %H:%M"), r.target, r.version, r.week, r.tag or "",
                  r.takes, "yes" if r.writer_called else "offline"] for r in rs],
                ["ID", "MADE (UTC)", "TARGET", "VERSION", "WEEK", "TAG", "TAKES", "WRITER"]))
            return 0
        result = load_replay(store, args.open)
    if args.html:
        print(f"wrote replay {result.id} to {export_replay(result, args.html)}")
    else:
        emit(args, result, replay_text)
    return 0


def _sample(args) -> int:
    from engine.takes.reports.agreement import mark_sample
    from engine.takes.reports.weeks import parse_week

    with store_from(args) as store:
        result = mark_sample(store, parse_week(args.week), args.fraction, seed=args.seed, made_by=args.by or "")
    emit(args, result, lambda r: f"marked {len(r.take_ids)} of {r.population} takes reviewed in {r.week} "
         f"for a second blind review (sample {r.sample_id}, seed {r.seed}); the desk hides their first "
         "decision from other reviewers")
    return 0


def register(subparsers) -> None:
    prompts = subgroup(subparsers, "prompts", "versioned Flash system prompts and generated prompts")
    p = prompts.add_parser("draft", help="write the next system-prompt version as a draft",
                           description="Write the next version of TARGET's system prompt as a draft, starting "
                           "from the text of --from. A draft is a file in the prompts folder that the manifest "
                           "does not list: edit it freely; it never makes a take until it is released.")
    p.add_argument("target", metavar="TARGET", help="a models.json profile, e.g. nbp")
    p.add_argument("--from", dest="from_version", required=True, metavar="VERSION", help="the version to start from, e.g. v1.1")
    add_json(p)
    p.set_defaults(func=_draft)

    p = prompts.add_parser("release", help="freeze a draft in the manifest",
                           description="Release a draft: record its SHA-256 in the prompts folder's manifest.json. A released "
                           "file is never edited again; a released version cannot be released twice.")
    p.add_argument("target", metavar="TARGET", help="a models.json profile, e.g. nbp")
    p.add_argument("version", metavar="VERSION", help="the draft's version, e.g. v1.2")
    add_json(p)
    p.set_defaults(func=_release)

    p = prompts.add_parser("replay", help="what a version would write for a week's rejected takes",
                           description="Re-enrich the plans of TARGET's takes rejected in a week under other "
                           "versions with VERSION (a draft or released), and list per take the prompt sent then, "
                           "the prompt VERSION writes now, a word diff, the outcome, and the take's tags and "
                           "notes. The replay is saved in the store (see 'prompts replays'). Without an API key "
                           "the writer cannot be called and the builder's text is shown.")
    add_store(p)
    p.add_argument("target", metavar="TARGET", help="a models.json profile, e.g. nbp")
    p.add_argument("version", metavar="VERSION", help="the version to replay with, e.g. v1.2")
    p.add_argument("--week", metavar="YYYY-Www", help="ISO week of the rejections (default: the current week)")
    p.add_argument("--tag", metavar="TAG", help="only takes rejected with this tag")
    add_json(p)
    p.set_defaults(func=_replay)

    p = prompts.add_parser("replays", help="saved replays: list, open, export as HTML",
                           description="List the replays saved in the store, or open one again (--open ID), "
                           "as text, JSON or a self-contained HTML page (--html FILE).")
    add_store(p)
    p.add_argument("--target", metavar="TARGET", help="only replays of this target")
    p.add_argument("--open", type=int, metavar="ID", help="open the replay with this id")
    p.add_argument("--html", metavar="FILE", help="with --open: write the replay as an HTML page to FILE")
    add_json(p)
    p.set_defaults(func=_replays)

    review = subgroup(subparsers, "review", "record review decisions")
    p = review.add_parser("sample", help="mark a seeded sample of a week's reviewed takes for a second blind review",
                          description="Mark a seeded share of the takes reviewed in a week for a second review by "
                          "someone else; the desk hides their first decision. 'report weekly' then gives the "
                          "agreement (Cohen's kappa per tag) and lists the disagreements.")
    add_store(p)
    p.add_argument("--week", metavar="YYYY-Www", help="ISO week (default: the current week)")
    p.add_argument("--fraction", type=float, default=0.1, metavar="F", help="share of the week's reviewed takes (default: 0.1)")
    p.add_argument("--seed", type=int, metavar="N", help="seed of the draw (default: a random one, recorded)")
    p.add_argument("--by", metavar="NAME", help="who marked the sample")
    add_json(p)
    p.set_defaults(func=_sample)
