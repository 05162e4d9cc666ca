"""A replay as text (the CLI) and as a self-contained HTML page to keep beside the weekly
review: each rejected take with the prompt sent then and the prompt the version writes now
side by side, the word diff, the outcome, the tags and the notes."""

from __future__ import annotations

from html import escape
from pathlib import Path

from engine.core.errors import DailiesError
from engine.takes.prompting.replay import Replay


def heading(r: Replay) -> str:
    state = "released" if r.released else "draft"
    tag = f", rejected for {r.tag}" if r.tag else ""
    return (f"Replay {r.id}: {r.target} {r.version} ({state}) on the takes rejected in {r.week}{tag} "
            f"under other versions; {len(r.items)} takes, made {r.made_at:%Y-%m-%d %H:%M} UTC")


def outcome_text(item) -> str:
    return item.outcome.replace("_", " ") + (f" ({item.reason})" if item.reason else "")


def replay_text(r: Replay) -> str:
    lines = [heading(r)]
    if r.note:
        lines.append(r.note)
    if not r.items:
        lines.append("No take of this target was rejected in that week under another version.")
    for it in r.items:
        lines += [
            "",
            f"== {it.take_ref} rejected by {it.reviewer}: {', '.join(it.tags) or 'no tag'}"
            + (f"; note: {it.note}" if it.note else ""),
            f"sent with {it.sent_version or '-'}: {it.sent_prompt or '(not recorded)'}",
            f"{r.version} writes: {it.new_prompt or '(nothing)'}",
            f"outcome: {outcome_text(it)}",
            f"diff: {it.diff.unified() if it.diff.available else it.diff.reason}",
        ]
    return "\n".join(lines)


_CSS = """body{font:14px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1d232b;
margin:32px auto;max-width:1200px;padding:0 20px}h1{font-size:20px}
.take{border:1px solid #e3e6ea;border-radius:4px;margin:14px 0;padding:8px 12px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:12px}
pre{font:12px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace;background:#f7f8fa;padding:8px;
white-space:pre-wrap;word-break:break-word;margin:4px 0}
del{background:#fbe3e1;color:#8c1d18}ins{background:#dff3e7;color:#145c38;text-decoration:none}
.meta{color:#5b6470;font-size:12px}.note{background:#fff6d6;padding:6px 10px}"""


def _diff_html(item) -> str:
    d = item.diff
    if not d.available:
        return escape(d.reason)
    tag = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
    return "".join(tag[p.op].format(escape(p.text)) for p in d.parts)


def replay_html(r: Replay) -> str:
    e = escape
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           f"<title>Replay {r.id}: {e(r.target)} {e(r.version)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(heading(r))}</h1>"]
    if r.note:
        out.append(f"<p class='note'>{e(r.note)}</p>")
    for it in r.items:
        out.append(
            f"<div class='take'><b>{e(it.take_ref)}</b> <span class='meta'>rejected by {e(it.reviewer)}: "
            f"{e(', '.join(it.tags) or 'no tag')}{'; note: ' + e(it.note) if it.note else ''}; "
            f"outcome: {e(outcome_text(it))}</span><div class='cols'>"
            f"<div><div class='meta'>Sent then ({e(it.sent_version or '-')})</div>"
            f"<pre>{e(it.sent_prompt or '(not recorded)')}</pre></div>"
            f"<div><div class='meta'>{e(r.version)} writes now</div><pre>{e(it.new_prompt or '(nothing)')}</pre></div>"
            f"</div><div class='meta'>Word diff</div><pre>{_diff_html(it)}</pre></div>"
        )
    out.append("</body></html>")
    return "\n".join(out)


def export_replay(r: Replay, path: str | Path) -> Path:
    path = Path(path)
    try:
        path.write_text(replay_html(r), encoding="utf-8")
    except OSError as exc:
        raise DailiesError(f"cannot write replay {r.id} to {path}: {exc.strerror}") from None
    return path
