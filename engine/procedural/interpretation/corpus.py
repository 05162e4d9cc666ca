"""A labelled prompt corpus and its check: what an instruction must hold and must not.

One case a line: `category | prompt | expectations`; `#` starts a comment. Expectations:
  field=a,b    each value is present (palette, sounds) or is the value (motion, camera...)
  field!=a,b   none of the values is present
  field=-      the field is empty or unset
  neg:D=a,b    each value is listed as a negation of domain D (other: a word nothing knows)
Fields: palette sounds motion camera speed lighting mood gradient duration.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from engine.core.errors import ConfigError

FIELDS = ("palette", "sounds", "motion", "camera", "speed", "lighting", "mood", "gradient", "duration")


@dataclass(frozen=True)
class Case:
    category: str
    prompt: str
    expect: tuple[str, ...]
    where: str  # file:line


def read_corpus(path: Path) -> list[Case]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts[:2]):
            raise ConfigError(f"{path}: line {n}: expected 'category | prompt | expectations'")
        case = Case(parts[0], parts[1], tuple(parts[2].split()), f"{path.name}:{n}")
        for e in case.expect:
            _parse(e, case.where)
        cases.append(case)
    return cases


def _parse(e: str, where: str) -> tuple[str, str, list[str]]:
    op = "!=" if "!=" in e else "="
    name, _, values = e.partition(op)
    if not name.startswith("neg:") and name not in FIELDS:
        raise ConfigError(f"{where}: unknown field '{name}' in '{e}'")
    return name, op, values.split(",") if values else []


def _value(ins: dict, name: str):
    if name == "speed":
        return (ins.get("camera") or {}).get("speed")
    if name == "camera":
        return (ins.get("camera") or {}).get("motion")
    if name == "duration":
        return ins.get("duration_s")
    return ins.get(name)


def failures(ins: dict, case: Case) -> list[str]:
    """The expectations `ins` breaks (empty: the case passes)."""
    bad = []
    for e in case.expect:
        name, op, values = _parse(e, case.where)
        if name.startswith("neg:"):
            domain = name[4:]
            negs = {n["value"] for n in ins.get("negations", []) if n["domain"] == domain}
            if not set(values) <= negs:
                bad.append(e)
            continue
        got = _value(ins, name)
        have = set(got) if isinstance(got, list) else ({got} if got is not None else set())
        if name == "duration":
            have = {f"{g:g}" for g in have}
        if values == ["-"]:
            ok = not have
        elif op == "=":
            ok = set(values) <= have
        else:
            ok = not (set(values) & have)
        if not ok:
            bad.append(e)
    return bad


def accuracy(results: list[tuple[Case, list[str]]]) -> dict[str, tuple[int, int]]:
    """category -> (passed, total), with "overall"."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case, bad in results:
        for key in (case.category, "overall"):
            out[key][0] += not bad
            out[key][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}
