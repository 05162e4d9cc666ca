"""The per-tag figures and reviewer agreement of the weekly review as JSON data, CSV columns,
HTML sections and plain text; export.py and the report command put them beside the rest."""

from __future__ import annotations

from dataclasses import asdict
from html import escape


def pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def rate_text(r) -> str:
    """A TagRate as "12.5% (6.1-23.7%)", with "!" where the interval is too wide to read."""
    if r.rate is None:
        return "-"
    return f"{pct(r.rate)} ({r.low * 100:.1f}-{r.high * 100:.1f}%)" + (" !" if r.too_wide else "")


def money(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def review_dict(report) -> dict:
    """JSON data of the per-tag rates, per-tag comparisons and agreement."""
    return {
        "tag_rates": [asdict(v) for v in report.tag_rates],
        "tag_comparisons": [asdict(c) for c in report.tag_comparisons],
        "agreement": asdict(report.agreement) if report.agreement is not None else None,
    }


def csv_headers(report) -> list[str]:
    heads = ["landed_cost", "cost_per_approved", "rate_low", "rate_high"]
    for t in report.tags:
        heads += [f"rate_{t}", f"rate_{t}_low", f"rate_{t}_high"]
    return heads


def csv_cells(report, group) -> list:
    v = next((r for r in report.tag_rates if r.label == group.key.label), None)
    if v is None:
        return [""] * len(csv_headers(report))

    def num(x):
        return "" if x is None else f"{x:.4f}"

    cells = [f"{v.landed_cost:.6f}", "" if v.cost_per_approved is None else f"{v.cost_per_approved:.6f}",
             num(v.overall.low), num(v.overall.high)]
    for t in report.tags:
        r = v.tag(t)
        cells += [num(r.rate), num(r.low), num(r.high)] if r else ["", "", ""]
    return cells


def _kappa_text(k) -> str:
    return k.note if k.kappa is None else f"{k.kappa:.2f} ({k.low:.2f} to {k.high:.2f})"


def _verdict(v) -> str:
    what = "approved" if v.action == "approve" else "rejected: " + (", ".join(v.tags) or "no tag")
    return f"{v.reviewer} {what}" + (f" (note: {v.note})" if v.note else "")


def review_html(report) -> str:
    e = escape
    out = []
    if report.tag_rates:
        out.append("<h2>Rejection rate per tag (95% Wilson interval)</h2>")
        head = "".join(f"<th>{e(lab)}</th>" for lab in report.tag_labels)
        out.append("<table><tr><th class='l'>Version</th><th>Reviewed</th><th>All rejections</th>"
                   f"{head}<th>Landed cost</th><th>Cost per approved</th></tr>")
        for v in report.tag_rates:
            cells = "".join(f"<td{_warn(r)}>{e(rate_text(r))}</td>" for r in v.tags)
            out.append(f"<tr><td class='l'>{e(v.label)}</td><td>{v.reviewed}</td><td{_warn(v.overall)}>"
                       f"{e(rate_text(v.overall))}</td>{cells}<td>{money(v.landed_cost)}</td>"
                       f"<td>{money(v.cost_per_approved)}</td></tr>")
        out.append("</table><p class='meta'>! the interval is too wide to read: too few takes were "
                   "reviewed for that figure.</p>")
    for c in report.tag_comparisons:
        out.append(f"<h2>Per tag: {e(c.b_label)} (B) against {e(c.a_label)} (A)</h2><table>"
                   "<tr><th class='l'>Tag</th><th>A</th><th>B</th><th>Difference (95%)</th>"
                   "<th class='l'>Verdict</th></tr>")
        for _, label, d in (("", "all rejections", c.overall), *c.tags):
            out.append(f"<tr><td class='l'>{e(label)}</td><td>{d.a_rejected}/{d.a_reviewed}</td>"
                       f"<td>{d.b_rejected}/{d.b_reviewed}</td><td>{e(_difference(d))}</td>"
                       f"<td class='l'>{e(d.verdict)}</td></tr>")
        out.append("</table>")
    a = report.agreement
    if a is not None:
        out.append("<h2>Do the reviewers agree? (second blind review)</h2>")
        out.append(f"<p>{a.second_reviewed} of {a.sampled} sampled takes had their second review. "
                   f"Approve or reject: kappa {e(_kappa_text(a.overall))}.</p>")
        out.append("<table><tr><th class='l'>Tag</th><th>Takes</th><th>Agreed</th><th>Kappa (95%)</th></tr>")
        for _, label, k in a.tags:
            out.append(f"<tr><td class='l'>{e(label)}</td><td>{k.n}</td><td>{k.agreed}</td>"
                       f"<td>{e(_kappa_text(k))}</td></tr>")
        out.append("</table>")
        if a.disagreements:
            out.append("<h2>Disagreements</h2><table><tr><th class='l'>Take</th><th class='l'>First</th>"
                       "<th class='l'>Second</th></tr>")
            for d in a.disagreements:
                out.append(f"<tr><td class='l'>{e(d.take)}</td><td class='l'>{e(_verdict(d.first))}</td>"
                           f"<td class='l'>{e(_verdict(d.second))}</td></tr>")
            out.append("</table>")
    return "\n".join(out)


def _warn(r) -> str:
    return f" class='wide' title='{escape(r.warning)}'" if r.too_wide else ""


def _difference(d) -> str:
    if d.difference is None:
        return "no data"
    return f"{d.difference * 100:+.1f} ({d.low * 100:+.1f} to {d.high * 100:+.1f})"


def review_text(report) -> list[str]:
    """Plain-text lines for `dailies report weekly`."""
    lines = []
    for v in report.tag_rates:
        lines += ["", f"{v.label}: {v.reviewed} reviewed, all rejections {rate_text(v.overall)}, "
                  f"landed cost {money(v.landed_cost)}, per approved take {money(v.cost_per_approved)}"]
        lines += [f"  {r.label}: {r.rejected}/{r.reviewed} {rate_text(r)}"
                  + (f"  ({r.warning})" if r.warning else "") for r in v.tags]
    for c in report.tag_comparisons:
        lines += ["", f"Per tag, B {c.b_label} against A {c.a_label}:"]
        lines += [f"  {label}: {_difference(d)} points, {d.verdict}" for _, label, d in (("", "all", c.overall), *c.tags)]
    a = report.agreement
    if a is not None:
        lines += ["", f"Second blind review: {a.second_reviewed} of {a.sampled} sampled takes reviewed again; "
                  f"approve/reject kappa {_kappa_text(a.overall)}"]
        lines += [f"  {label}: kappa {_kappa_text(k)}" for _, label, k in a.tags]
        lines += [f"  disagree on {d.take}: {_verdict(d.first)} / {_verdict(d.second)}" for d in a.disagreements]
    return lines
