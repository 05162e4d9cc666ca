"""Creation, the discovery loop, interpretation and the prompt generator."""

from __future__ import annotations

from pathlib import Path

from engine.cli.common import add_json, add_store, emit, store_from, subgroup


def add_focus(parser) -> None:
    parser.add_argument(
        "--focus", choices=("frame", "window", "all"),
        help="what this worker grows (default: LOOP_EXTRACTION_FOCUS, unset means all)")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "create", help="render a procedural clip whose every choice comes from the registries",
        description="Render a clip (H.264 + AAC mp4) with a palette of 2-3 registry colours, a "
        "motion, gradient, camera, lighting and mixed registry sounds, each drawn favouring "
        "underused and recent values; a prompt's hints (colour names, 'slow pan', 'dark', "
        "'no red', 'for 5 seconds') are honoured. Records a creation job with its prompt.",
    )
    add_store(p)
    p.add_argument("--prompt", metavar="P", help="what to make; hints in it narrow the choices")
    p.add_argument("--seconds", type=float, metavar="N", help="clip length (default: the prompt's, else 3)")
    p.add_argument("--seed", type=int, metavar="N", help="seed for reproducible choices")
    p.add_argument("--out", type=Path, metavar="FILE", help="mp4 to write (default: the store's media folder)")
    add_json(p)
    p.set_defaults(func=_create)

    p = subparsers.add_parser(
        "loop", help="create, extract and record clips; report how diverse they were",
        description="Run the discovery loop: each run creates a clip from the registries, "
        "extracts its colours and sounds per frame and its camera, motion, gradient, lighting "
        "and composition per window (as LOOP_EXTRACTION_FOCUS allows: frame, window, unset for "
        "all), records them, and leaves a learning and a discovery record. Prints Growth [...] "
        "per run, Missing ... for a record that could not be written, and the diversity. "
        "Many loop workers (on one machine or many) may grow one store at once; each run is "
        "recorded whole, in one transaction. Ctrl+C or SIGTERM stops between runs.",
    )
    add_store(p)
    p.add_argument("--runs", type=int, required=True, metavar="N", help="how many runs")
    p.add_argument("--seed", type=int, metavar="N", help="seed for reproducible runs")
    p.add_argument("--seconds", type=float, default=3.0, metavar="N", help="clip length (default 3)")
    p.add_argument("--no-save", action="store_true", help="do not write the clips' mp4 files")
    add_focus(p)
    add_json(p)
    p.set_defaults(func=_loop)

    p = subparsers.add_parser(
        "interpret", help="resolve a prompt into a structured instruction and record it",
        description="Interpret a prompt: palette hints, motion, camera, lighting, mood, "
        "gradient, sounds, duration and negations, with slang, dialect (grey -> gray) and "
        "words of several senses resolved per domain. The interpretation is recorded and the "
        "linguistic registry grows.",
    )
    p.add_argument("prompt", metavar="PROMPT", help="the prompt, in quotes")
    p.add_argument("--explain", action="store_true",
                   help="show why: each mapping's words, rule, domain and value, and what was negated")
    p.add_argument("--flash", action="store_true",
                   help="with a Gemini key set, Flash reads the prompt too; the offline reading judges "
                   "its answer and is used when it is refused")
    add_store(p)
    add_json(p)
    p.set_defaults(func=_interpret)

    p = subparsers.add_parser(
        "interpret-loop", help="interpret queued and missing prompts and generated ones, in cycles",
        description="Each cycle interprets users' prompts waiting in creation jobs, backfills "
        "interpretations that are missing or of an older schema, interprets generated prompts "
        "and logs '[cycle] interpreted N', '[cycle] backfill N', '[cycle] generated N', "
        "'[cycle] linguistic growth N'. Several workers may share a store: one runs a cycle "
        "at a time, the others wait for it. Ctrl+C or SIGTERM stops between cycles.",
    )
    add_store(p)
    p.add_argument("--cycles", type=int, default=1, metavar="N", help="how many cycles (default 1)")
    p.add_argument("--generate", type=int, default=5, metavar="N", help="prompts generated per cycle (default 5)")
    p.add_argument("--seed", type=int, metavar="N", help="seed for the generated prompts")
    p.set_defaults(func=_interpret_loop)

    prompts = subgroup(subparsers, "prompts", "versioned Flash system prompts and generated prompts")
    p = prompts.add_parser(
        "generate", help="procedural prompts from the registries' meaningful names",
        description="Generate prompts from slot pools (colour, motion, lighting, gradient, "
        "camera, mood, sound) built from registry names that pass the semantic-name check, "
        "rejecting near-duplicates (80%% of words already in a recent prompt); prints a "
        "diversity figure.",
    )
    add_store(p)
    p.add_argument("-n", type=int, required=True, metavar="N", help="how many prompts")
    p.add_argument("--seed", type=int, metavar="N", help="seed for reproducible prompts")
    add_json(p)
    p.set_defaults(func=_generate)


def _create(args) -> int:
    from engine.procedural.discovery.loop import create_and_learn

    with store_from(args, create=True) as store:
        c = create_and_learn(store, prompt=args.prompt, seconds=args.seconds, seed=args.seed, out=args.out)
    plan, o = c.clip.plan, c.outcome
    data = {
        "job": o.ref, "path": str(c.path), "frames": len(c.clip.frames), "prompt": args.prompt,
        "plan": plan, "description": plan.describe(), "instruction": c.clip.instruction,
        "new_entries": o.new_entries, "missing": o.missing,
    }
    lines = [f"Created {c.path} ({len(c.clip.frames)} frames) as job {o.ref}", f"  {plan.describe()}"]
    if plan.honoured:
        lines.append(f"  honoured: {', '.join(plan.honoured)}")
    if plan.not_honoured:
        lines.append(f"  no registry value for: {', '.join(plan.not_honoured)}")
    lines += [f"  {o.growth_line}", *o.missing]
    emit(args, data, "\n".join(lines))
    return 1 if o.missing else 0


def _loop(args) -> int:
    from engine.procedural.discovery.focus import extraction_focus
    from engine.procedural.discovery.loop import run_loop
    from engine.workers.worker import as_worker

    quiet = getattr(args, "json", False)
    focus = args.focus or extraction_focus()
    with store_from(args, create=True) as store, as_worker(store, "loop", focus) as (worker, stop):
        summary = run_loop(
            store, args.runs, seed=args.seed, seconds=args.seconds, save=not args.no_save,
            progress=None if quiet else print, focus=focus, worker=worker, cancel=stop,
        )
    data = {k: v for k, v in summary.__dict__.items() if k != "outcomes"}
    emit(args, data, f"{summary.diversity_line()}\n"
         f"{summary.runs} runs in {summary.seconds:.1f} s; missing records: {len(summary.missing)}")
    return 1 if summary.missing else 0


def _interpret(args) -> int:
    from engine.procedural.interpretation.service import interpret_prompt

    with store_from(args) as store:
        flash = None
        if args.flash:
            from engine.takes.prompting.config import load_config as load_prompting_config

            flash = load_prompting_config().enrichment
        r = interpret_prompt(store, args.prompt, flash=flash)
    ins = r.instruction

    def text(_):
        cam = ins["camera"]
        rows = [
            ("palette", ", ".join(ins["palette"]) or "-"),
            ("motion", ins["motion"] or "-"),
            ("camera", " ".join(v for k, v in (cam or {}).items() if k != "key") or "-"),
            ("lighting", ins["lighting"] or "-"),
            ("mood", ins["mood"] or "-"),
            ("gradient", ins["gradient"] or "-"),
            ("sounds", ", ".join(ins["sounds"]) or "-"),
            ("duration", f"{ins['duration_s']:g} s" if ins["duration_s"] else "-"),
            ("negations", ", ".join(
                n["value"] if n["domain"] == "other" else f"{n['domain']} {n['value']}"
                for n in ins["negations"]) or "-"),
            ("unmatched", ", ".join(ins["unmatched"]) or "-"),
        ]
        if "interpreter" in ins:
            rows.append(("read by", ins["interpreter"]))
        spelling = ins["normalised"].replace(" ,", ",").rstrip(",")
        text = f"{r.id}: {spelling}\n" + "\n".join(f"  {k:<10} {v}" for k, v in rows)
        if getattr(args, "explain", False):
            from engine.procedural.interpretation.explain import explain_lines

            text += "\nwhy:\n" + "\n".join(explain_lines(ins))
        return text

    emit(args, {"id": r.id, "instruction": ins}, text)
    return 0


def _interpret_loop(args) -> int:
    from engine.procedural.interpretation.worker import interpret_worker
    from engine.workers.worker import as_worker

    with store_from(args) as store, as_worker(store, "interpret-loop", "interpret", what="cycle") as (worker, stop):
        interpret_worker(store, args.cycles, worker, generate=args.generate, seed=args.seed,
                         progress=print, cancel=stop)
    return 0


def _generate(args) -> int:
    from engine.procedural.interpretation.prompt_gen import generate_prompts

    with store_from(args) as store:
        g = generate_prompts(store, args.n, seed=args.seed)
    emit(args, g, "\n".join(g.prompts) + "\n" + g.diversity_line())
    return 0
