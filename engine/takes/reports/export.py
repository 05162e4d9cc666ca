"""The weekly review as a file: a self-contained HTML page (inline CSS and an inline SVG
trend chart, the rejected takes' prompts under each line) or a CSV table."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from html import escape
from pathlib import Path

from engine.core.errors import DailiesError
from engine.store.db import Store
from engine.takes.reports.intervals import RateVerdict, percent
from engine.takes.reports.note_frames import noted_frames
from engine.takes.reports.rejected import RejectedPage, rejected_first_pages
from engine.takes.reports.review_export import csv_cells, csv_headers, review_dict, review_html
from engine.takes.reports.weekly import GroupKey, WeeklyReport
from engine.takes.reports.weeks import parse_week

# One colour per trend line, shared with the desk's chart so both read the same.
SERIES_COLOURS = ("#2f6fde", "#e0662b", "#2a9d68", "#b8439a", "#c9a227", "#5b6b7c", "#d03a4b", "#1aa3b8")
MAX_SERIES = 8
EXPORT_KINDS = ("html", "csv", "json")
EXPORT_PAGE = 100  # rejected takes shown per line in the exported page


def trend_series(report: WeeklyReport, limit: int = MAX_SERIES) -> list[tuple[GroupKey, list[float | None]]]:
    """The groups drawn on the trend chart: the most reviewed over the trend weeks."""
    totals: dict[GroupKey, int] = {}
    for p in report.trend:
        totals[p.key] = totals.get(p.key, 0) + p.reviewed
    keys = sorted(totals, key=lambda k: (-totals[k], k.label))[:limit]
    keys.sort(key=lambda k: (k.target or "", k.model, k.version or ""))
    return [(k, report.series(k)) for k in keys]


def _key(key: GroupKey) -> dict:
    return {"target": key.target, "model": key.model, "system_prompt_version": key.version}


def report_dict(report: WeeklyReport) -> dict:
    """The report as plain JSON data, rates included."""
    return {
        "week": report.week,
        "starts": report.starts.isoformat(),
        "ends": report.ends.isoformat(),
        "basis": report.basis,
        "groups": [
            {
                **_key(g.key),
                "generated": g.generated,
                "failed": g.failed,
                "reviewed": g.reviewed,
                "approved": g.approved,
                "rejected": g.rejected,
                "rejection_rate": g.rejection_rate,
                "rejected_by_tag": {t.tag: t.count for t in g.tags},
            }
            for g in report.groups
        ],
        "comparisons": [asdict(c) for c in report.comparisons],
        "trend_weeks": list(report.trend_weeks),
        "trend": [
            {"week": p.week, **_key(p.key), "reviewed": p.reviewed, "rejected": p.rejected,
             "rejection_rate": p.rejection_rate}
            for p in report.trend
        ],
        "made_at": report.made_at.isoformat(),
        **review_dict(report),
    }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A cell a spreadsheet shows as text: a text cell starting like a formula (=HYPERLINK(...),
    +, -, @, a tab or a carriage return) gets a leading apostrophe; numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out):
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row) -> None:
        self._writer.writerow([csv_cell(c) for c in row])


def csv_text(report: WeeklyReport) -> str:
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(
        ["week", "target", "model", "system_prompt_version", "generated", "failed", "reviewed",
         "approved", "rejected", "rejection_rate", *[f"rejected_{t}" for t in report.tags], *csv_headers(report)]
    )
    for g in report.groups:
        rate = g.rejection_rate
        counts = {t.tag: t.count for t in g.tags}
        writer.writerow(
            [report.week, g.key.target or "", g.key.model, g.key.version or "", g.generated,
             g.failed, g.reviewed, g.approved, g.rejected, "" if rate is None else f"{rate:.4f}",
             *[counts.get(t, 0) for t in report.tags], *csv_cells(report, g)]
        )
    return out.getvalue()


def trend_svg(report: WeeklyReport, width: int = 760, height: int = 260) -> str:
    series = trend_series(report)
    left, right, top, bottom = 48, 16, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    rates = [r for _, values in series for r in values if r is not None]
    ceiling = max(0.1, min(1.0, (int(max(rates, default=0) * 10) + 1) / 10))
    n = len(report.trend_weeks)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(rate: float) -> float:
        return top + plot_h * (1 - rate / ceiling)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Rejection rate per week">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    steps = 5
    for s in range(steps + 1):
        rate = ceiling * s / steps
        parts.append(
            f'<line x1="{left}" y1="{y(rate):.1f}" x2="{width - right}" y2="{y(rate):.1f}" '
            f'stroke="#e3e6ea" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(rate) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#5b6470">{rate * 100:.0f}%</text>'
        )
    for i, week in enumerate(report.trend_weeks):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 18}" font-size="11" text-anchor="middle" '
            f'fill="#5b6470">{escape(week[5:])}</text>'
        )
    for index, (_, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        run: list[str] = []
        runs: list[list[str]] = []
        for i, rate in enumerate(values):
            if rate is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{x(i):.1f},{y(rate):.1f}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(rate):.1f}" r="3" fill="{colour}"/>')
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                parts.append(
                    f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font:14px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1d232b;
margin:32px auto;max-width:1100px;padding:0 20px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.basis{color:#4a5360;background:#f4f6f8;border-left:3px solid #2f6fde;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid #e3e6ea;text-align:right;white-space:nowrap}
th{background:#f4f6f8;font-weight:600}th.l,td.l{text-align:left}
.verdict{font-weight:600}.inconclusive{color:#8a6d00}.better{color:#1e7a4f}.worse{color:#b3261e}
.legend span{display:inline-block;margin-right:16px}.sw{display:inline-block;width:12px;height:12px;
border-radius:2px;margin-right:5px;vertical-align:-1px}
details{margin:6px 0;border:1px solid #e3e6ea;border-radius:4px;padding:6px 10px}
summary{cursor:pointer;font-weight:600}
pre{font:12px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace;background:#f7f8fa;padding:8px;
white-space:pre-wrap;word-break:break-word;margin:4px 0 12px;user-select:text}
.meta{color:#5b6470;font-size:12px}.muted{color:#8a929c}td.wide{color:#8a6d00}
img.take{display:block;max-width:360px;border-radius:4px;margin:0 0 12px}
"""


def _verdict_class(verdict: RateVerdict) -> str:
    return {RateVerdict.B_REJECTS_LESS: "better", RateVerdict.B_REJECTS_MORE: "worse"}.get(verdict, "inconclusive")


def html_text(report: WeeklyReport, rejected: dict[GroupKey, RejectedPage] | None = None,
              pictures: dict[int, str] | None = None) -> str:
    """The page; `pictures`: data URIs of rejected takes' frames with their notes drawn."""
    e = escape
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Weekly prompt review {e(report.week)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Weekly prompt review: {e(report.week)}</h1>",
        f"<div class='meta'>Made {report.made_at:%Y-%m-%d %H:%M} UTC</div>",
        f"<div class='basis'>{e(report.basis)}</div>",
        "<h2>Per target, model and system-prompt version</h2>",
    ]
    if not report.groups:
        out.append("<p class='muted'>Nothing was generated or reviewed this week.</p>")
    else:
        head = "".join(f"<th>{e(label)}</th>" for label in report.tag_labels)
        out.append(
            "<table><tr><th class='l'>Target</th><th class='l'>Model</th><th class='l'>Version</th>"
            "<th>Generated</th><th>Failed</th><th>Reviewed</th><th>Approved</th><th>Rejected</th>"
            f"<th>Rejection rate</th>{head}</tr>"
        )
        for g in report.groups:
            tags = "".join(f"<td>{t.count}</td>" for t in g.tags)
            out.append(
                f"<tr><td class='l'>{e(g.key.target or '-')}</td><td class='l'>{e(g.key.model)}</td>"
                f"<td class='l'>{e(g.key.version or '-')}</td><td>{g.generated}</td><td>{g.failed}</td>"
                f"<td>{g.reviewed}</td><td>{g.approved}</td><td>{g.rejected}</td>"
                f"<td><b>{percent(g.rejection_rate)}</b></td>{tags}</tr>"
            )
        out.append("</table>")
    out.append(review_html(report))
    out.append("<h2>Version against version</h2>")
    if not report.comparisons:
        out.append("<p class='muted'>No target and model was reviewed under two versions this week.</p>")
    for c in report.comparisons:
        out.append(
            f"<p><b>A</b> {e(c.a_label)}: {c.a_rejected} of {c.a_reviewed} rejected "
            f"({percent(c.a_rejected / c.a_reviewed if c.a_reviewed else None)})<br>"
            f"<b>B</b> {e(c.b_label)}: {c.b_rejected} of {c.b_reviewed} rejected "
            f"({percent(c.b_rejected / c.b_reviewed if c.b_reviewed else None)})<br>"
            f"<span class='verdict {_verdict_class(c.verdict)}'>{e(c.sentence)}</span></p>"
        )
    out.append(f"<h2>Rejection rate, week by week ({e(report.trend_weeks[0])} to {e(report.trend_weeks[-1])})</h2>")
    series = trend_series(report)
    if series:
        out.append(trend_svg(report))
        out.append("<div class='legend'>")
        for i, (key, _) in enumerate(series):
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            out.append(f"<span><i class='sw' style='background:{colour}'></i>{e(key.label)}</span>")
        out.append("</div>")
    else:
        out.append("<p class='muted'>Nothing was reviewed in these weeks.</p>")
    if rejected:
        out.append("<h2>Rejected takes and their prompts</h2>")
        for g in report.groups:
            page = rejected.get(g.key)
            if not page or not page.total:
                continue
            shown = f"first {len(page.takes)} of {page.total}" if len(page.takes) < page.total else str(page.total)
            out.append(f"<details><summary>{e(g.key.label)}: {shown} rejected</summary>")
            for t in page.takes:
                tags = ", ".join(t.tags) or "no tag"
                extra = f"; conflicts with {e(t.conflicts_with)}" if t.conflicts_with else ""
                note = f"; note: {e(t.note)}" if t.note else ""
                out.append(
                    f"<div class='meta'><b>{e(t.ref)}</b> seed {t.seed if t.seed is not None else '-'}"
                    f"; rejected by {e(t.reviewer)} {t.rejected_at:%a %d %b %H:%M}; {e(tags)}{extra}{note}</div>"
                    f"<pre>{e(t.prompt or '(no prompt recorded)')}</pre>"
                )
                if (pictures or {}).get(t.take_id):
                    out.append(f"<img class='take' src='{pictures[t.take_id]}' alt='{e(t.ref)} with its notes'>")
            out.append("</details>")
    out.append("</body></html>")
    return "\n".join(out)


def export_report(store: Store, report: WeeklyReport, path: str | Path, kind: str | None = None) -> Path:
    """Write the report to `path` as html, csv or json (by `kind`, else by the file's suffix).
    The HTML page carries each line's rejected takes (first page) with their prompts."""
    path = Path(path)
    kind = (kind or path.suffix.lstrip(".")).lower()
    if kind not in EXPORT_KINDS:
        raise DailiesError(f"cannot export the weekly review as '{kind or path.name}': use .html, .csv or .json")
    if kind == "html":
        week = parse_week(report.week)
        pages = rejected_first_pages(store, week, limit=EXPORT_PAGE)
        shown = [t.take_id for page in pages.values() for t in page.takes]
        text = html_text(report, pages, noted_frames(store, shown))
    elif kind == "csv":
        text = csv_text(report)
    else:
        text = json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DailiesError(f"cannot write the weekly review to {path}: {exc.strerror}") from None
    return path
