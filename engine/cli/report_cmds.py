"""`dailies report weekly`: the supervisor's weekly review of system-prompt versions."""

from __future__ import annotations

import argparse
import json
import sys

from engine.cli.common import add_store, store_from, subgroup, table


def register(subparsers) -> None:
    reports = subgroup(subparsers, "report", "reports for supervisors")
    p = reports.add_parser(
        "weekly",
        help="the weekly review of system-prompt versions (what was reviewed in a week)",
        description=(
            "Per target, model and system-prompt version: takes generated and reviewed in an ISO "
            "week, approved, rejected, rejection rate and rejections per tag; the newest two "
            "versions of each target and model compared with a 95% interval on the difference "
            "of their rejection rates; and the rejection rate over the weeks before. A take "
            "counts in the week it was reviewed."
        ),
    )
    add_store(p)
    p.add_argument(
        "--week",
        metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W47 (default: the latest week with reviews; weeks run Monday to Sunday UTC)",
    )
    p.add_argument(
        "--weeks", type=int, default=8, metavar="N",
        help="how many weeks the trend covers, ending with --week (default: 8)",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the report as JSON")
    out.add_argument("--html", metavar="FILE", help="write a self-contained HTML page to FILE")
    out.add_argument("--csv", metavar="FILE", help="write the per-version table as CSV to FILE")
    p.set_defaults(func=_weekly)


def _text(report) -> str:
    from engine.takes.reports.intervals import percent
    from engine.takes.reports.review_export import review_text

    lines = [f"Weekly prompt review {report.week}", report.basis, ""]
    if report.groups:
        rows = [
            [g.key.target or "-", g.key.model, g.key.version or "-", g.generated, g.failed,
             g.reviewed, g.approved, g.rejected, percent(g.rejection_rate),
             *[t.count for t in g.tags]]
            for g in report.groups
        ]
        headers = ["target", "model", "version", "generated", "failed", "reviewed", "approved",
                   "rejected", "rate", *report.tags]
        lines.append(table(rows, headers))
    else:
        lines.append("Nothing was generated or reviewed this week.")
    for c in report.comparisons:
        lines += ["", f"A: {c.a_label}  {c.a_rejected}/{c.a_reviewed} rejected",
                  f"B: {c.b_label}  {c.b_rejected}/{c.b_reviewed} rejected", c.sentence]
    lines += review_text(report)
    return "\n".join(lines)


def _weekly(args: argparse.Namespace) -> int:
    from engine.core.errors import DailiesError
    from engine.takes.reports.weekly import weekly_report
    from engine.takes.reports.weeks import default_week, parse_week

    week = parse_week(args.week) if args.week else None
    if args.weeks < 1:
        raise DailiesError(f"--weeks {args.weeks}: the trend needs at least 1 week")
    with store_from(args) as store:
        if week is None:
            with store.read() as s:
                week, said = default_week(s)
            # said on stderr when stdout carries JSON, else above the report
            print(said, file=sys.stderr if args.json else sys.stdout)
        report = weekly_report(store, week, trend_weeks=args.weeks)
        if args.html or args.csv:
            from engine.takes.reports.export import export_report

            path = export_report(store, report, args.html or args.csv, "html" if args.html else "csv")
            print(f"wrote the weekly review of {report.week} to {path}")
            return 0
    if args.json:
        from engine.takes.reports.export import report_dict

        json.dump(report_dict(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(_text(report))
    return 0
