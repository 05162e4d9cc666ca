"""Why an instruction says what it says: one line per mapping (span, rule, domain, value),
per negation (what negated it) and per word that set nothing (an idiom, a shade, a duration)."""

from __future__ import annotations


def explain_lines(ins: dict) -> list[str]:
    rows = []
    for m in ins.get("mappings", []):
        if m["domain"] == "spelling":
            rows.append((m.get("start", 0), f"  '{m['span']}' -> '{m['canonical']}'  [spelling table]"))
            continue
        state = "NEGATED " if m.get("negated") else ""
        level = f" ({m['intensity']})" if m.get("intensity") else ""
        rows.append((m.get("start", 0), f"  '{m['span']}' -> {state}{m['domain']} {m['canonical']}{level}  [{m.get('rule', m['source'])}]"))
    for n in ins.get("negations", []):
        if n["domain"] == "other":
            rows.append((10**6, f"  negated '{n['span']}' (a word nothing knows)  [{n.get('rule', '')}]"))
        else:
            rows.append((10**6, f"  negation: {n['domain']} {n['value']} from '{n['span']}'  [{n.get('rule', '')}]"))
    for g in ins.get("ignored", []):
        rows.append((10**5, f"  '{g['span']}' sets nothing: {g['note']}  [{g['rule']}]"))
    for colour, shade in ins.get("shades", {}).items():
        rows.append((10**5, f"  shade: {colour} is {shade}"))
    if ins.get("unmatched"):
        rows.append((10**7, f"  not understood: {', '.join(ins['unmatched'])}"))
    return [line for _, line in sorted(rows, key=lambda r: r[0])]
