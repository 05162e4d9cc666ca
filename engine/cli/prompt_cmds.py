"""Prompt commands: build, enrich, system-prompt versions and diffs, generate, find a take by
its file, and costs. Each handler calls one engine function."""

from __future__ import annotations

import argparse

from engine.cli.common import add_json, add_store, emit, store_from, subgroup, table
from engine.core.errors import PlanError
from engine.core.json_files import read_json
from engine.core.plans import ShotPlan, parse_plan


def _plans(path: str) -> list[ShotPlan]:
    """A plan file holds one shot (an object) or a list of them."""
    data = read_json(path, error=PlanError, what="plan file")
    items = data if isinstance(data, list) else [data]
    return [parse_plan(item, where=f"{path} [{i}]" if isinstance(data, list) else path) for i, item in enumerate(items)]


def _build(args) -> int:
    from engine.takes.prompting.batch import episode_names
    from engine.takes.prompting.builder import build_prompt

    plans = _plans(args.plan_file)
    built = [build_prompt(p, names=episode_names(plans)) for p in plans]
    data = [{"target": b.target, "parts": dict(b.parts), "text": b.text, "locked_terms": list(b.locked_terms)} for b in built]

    def text(rows):
        out = []
        for b in rows:
            out.append(f"== {b['target']}")
            out += [f"[{name}] {value}" for name, value in b["parts"].items()]
            out.append(f"final: {b['text']}")
            out.append("locked: " + " | ".join(b["locked_terms"]))
        return "\n".join(out)

    emit(args, data if len(data) > 1 else data[0], lambda d: text(d if isinstance(d, list) else [d]))
    return 0


def _enrich(args) -> int:
    from engine.takes.prompting.batch import enrich_plans
    from engine.takes.prompting.enrichment import Options

    options = Options(skip=args.skip_enrichment, offline=args.offline)
    results = enrich_plans(_plans(args.plan_file), options, target=args.model)
    data = [
        {
            "target": r.built.target,
            "final": r.text,
            "outcome": r.outcome,
            "reason": r.reason,
            "version": r.version,
            "attempts": [
                {"temperature": a.temperature, "check": a.check or "passed", "input_tokens": a.input_tokens,
                 "output_tokens": a.output_tokens, "cost": a.cost}
                for a in r.attempts
            ],
        }
        for r in results
    ]

    def text(rows):
        out = []
        for r in rows:
            out.append(f"== {r['target']} ({r['outcome']}{', ' + r['reason'] if r['reason'] else ''}; system prompt {r['version'] or '-'})")
            for i, a in enumerate(r["attempts"], 1):
                out.append(f"attempt {i} at temperature {a['temperature']}: {a['check']}")
            out.append(r["final"])
        return "\n".join(out)

    emit(args, data if len(data) > 1 else data[0], lambda d: text(d if isinstance(d, list) else [d]))
    return 0


def _versions(args) -> int:
    from engine.takes.prompting.system_prompts import prompt_versions

    rows = prompt_versions(args.target)
    emit(
        args,
        rows,
        lambda rs: table(
            [[r.target, r.version, "current" if r.current else "", "released" if r.released else "new", r.sha256[:12], r.path.name] for r in rs],
            ["TARGET", "VERSION", "", "STATE", "SHA256 OF FILE", "FILE"],
        ),
    )
    return 0


def _diff(args) -> int:
    from engine.takes.prompting.system_prompts import prompt_diff

    diff = prompt_diff(args.target, args.old, args.new)
    emit(args, {"target": args.target, "old": args.old, "new": args.new, "diff": diff}, diff or "(no change)")
    return 0


def _take_dict(t) -> dict:
    return {
        "take": t.ref, "prompt": t.prompt, "seed": t.seed, "model": t.model, "target": t.target,
        "system_prompt_version": t.system_prompt_version, "enrichment_outcome": t.enrichment_outcome,
        "enrichment_reason": t.enrichment_reason, "output_path": t.output_path, "failed": t.status == "failed",
    }


def _generate(args) -> int:
    from engine.takes.generation import generate
    from engine.takes.prompting.enrichment import Options

    store = store_from(args)
    try:
        result = generate(store, args.shot, seed=args.seed, options=Options(skip=args.skip_enrichment, offline=args.offline))
    finally:
        store.close()
    data = _take_dict(result.take) | {"error": result.error}
    emit(
        args,
        data,
        lambda d: f"{d['take']}: {d['enrichment_outcome']}"
        + (f" ({d['enrichment_reason']})" if d["enrichment_reason"] else "")
        + f", seed {d['seed']}, system prompt {d['system_prompt_version'] or '-'}\n"
        + (f"FAILED: {d['error']}\n" if d["error"] else f"saved {d['output_path']}\n")
        + d["prompt"],
    )
    return 1 if result.error else 0


def _costs(args) -> int:
    from engine.store.costs import cost_summary

    store = store_from(args)
    try:
        with store.read() as s:
            summary = cost_summary(s, shot=args.shot, episode=args.episode)
    finally:
        store.close()
    emit(
        args,
        summary,
        lambda c: f"{c.scope}\n"
        + table([[k, f"{v:.6f}", c.tokens.get(k, 0)] for k, v in c.by_pass.items()], ["PASS", "AMOUNT", "TOKENS"])
        + f"\nlanded: {c.landed:.6f}",
    )
    return 0


def _enrich_switches(p: argparse.ArgumentParser) -> None:
    p.add_argument("--offline", action="store_true", help="make no enrichment call (the builder's text is used)")
    p.add_argument("--skip-enrichment", action="store_true", help="turn Flash enrichment off for this run (skip_flash_enrichment)")


def register(subparsers) -> None:
    prompt = subgroup(subparsers, "prompt", "build and enrich shot prompts")
    p = prompt.add_parser("build", help="the builder's parts, final text and locked terms",
                          description="Build the deterministic prompt of each plan in PLAN.json (one plan or a list).")
    p.add_argument("plan_file", metavar="PLAN.json", help="a plan file: one shot plan or a list of them")
    add_json(p)
    p.set_defaults(func=_build)

    p = prompt.add_parser("enrich", help="enrich plans through Flash and show each attempt",
                          description="Build and enrich each plan in PLAN.json: final prompt, outcome, reason, "
                          "system-prompt version and every attempt. The API key comes from GOOGLE_API_KEY or GEMINI_API_KEY.")
    p.add_argument("plan_file", metavar="PLAN.json", help="a plan file: one shot plan or a list of them")
    p.add_argument("--model", metavar="M", help="target profile of models.json to write for (default: the plan's target_model)")
    _enrich_switches(p)
    add_json(p)
    p.set_defaults(func=_enrich)

    prompts = subgroup(subparsers, "prompts", "versioned Flash system prompts and generated prompts")
    p = prompts.add_parser("versions", help="every system-prompt version per target",
                           description="List every system-prompt version file per target, the current one, and whether it is released.")
    p.add_argument("--target", help="only this target")
    add_json(p)
    p.set_defaults(func=_versions)
    p = prompts.add_parser("diff", help="what changed between two versions",
                           description="Show a unified diff between two versions of a target's system prompt.")
    p.add_argument("target", metavar="TARGET", help="a models.json profile, e.g. nbp")
    p.add_argument("old", metavar="V1", help="e.g. v1.0")
    p.add_argument("new", metavar="V2", help="e.g. v1.1")
    add_json(p)
    p.set_defaults(func=_diff)

    p = subparsers.add_parser("generate", help="generate a shot's keyframe and record the take",
                              description="Build, enrich and generate a shot's image with its target model, save it "
                              "under the store's media folder with provenance, and append the take.")
    add_store(p)
    p.add_argument("--shot", required=True, metavar="ID", help="shot code")
    p.add_argument("--seed", type=int, metavar="N", help="generation seed (default: a random one, recorded)")
    _enrich_switches(p)
    add_json(p)
    p.set_defaults(func=_generate)

    p = subparsers.add_parser("costs", help="cost by pass type and landed cost",
                              description="Cost by pass type (generation, prompt_enrichment, ...) and the landed cost of a shot, an episode or the store.")
    add_store(p)
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--shot", metavar="ID", help="one shot")
    scope.add_argument("--episode", metavar="E", help="one episode")
    add_json(p)
    p.set_defaults(func=_costs)
