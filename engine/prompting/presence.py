"""Human-presence language: detection patterns live here, display texts live in config.

ENV-only prompts must not mention people. `strip_people` drops every clause of a text that
speaks of a person; `people_in` finds such language in an answer, after removing the ENV
guard and negated phrases ("no people", "without figures") that are allowed to name them.
"""

from __future__ import annotations

import re

_HUMAN_WORDS = (
    r"people|persons?|humans?|man|men|woman|women|boys?|girls?|child|children|kids?|babies|baby"
    r"|crowds?|figures?|silhouettes?|pedestrians?|passers?-?by|someone|somebody|anyone|anybody"
    r"|everyone|he|she|his|her|hers|him|himself|herself|guards?|soldiers?|workers?|officers?"
    r"|characters?|actors?|actress|strangers?|villagers?|travell?ers?|riders?|drivers?"
    r"|faces?|hands?|fingers?|torsos?"
    r"|couple|family|families|audience|spectators?|visitors?|customers?|patrons?|tourists?"
)
HUMAN_RE = re.compile(rf"\b(?:{_HUMAN_WORDS})\b", re.IGNORECASE)
_NEGATED_RE = re.compile(
    rf"\b(?:no|without|devoid of|free of|empty of|absent of|never|not a single|zero)\s+"
    rf"(?:[a-z-]+\s+){{0,2}}?(?:{_HUMAN_WORDS})\b(?:\s*(?:,|or|and|nor)\s*(?:{_HUMAN_WORDS})\b)*",
    re.IGNORECASE,
)
_CLAUSE_RE = re.compile(r"[^,;.!?]+[,;.!?]*")


def strip_people(text: str) -> str:
    """The text without the clauses that mention a person (clause = between , ; . ! ?)."""
    if not HUMAN_RE.search(text):
        return text.strip()
    kept = [c for c in _CLAUSE_RE.findall(text) if c.strip() and not HUMAN_RE.search(c)]
    out = " ".join(c.strip() for c in kept).strip()
    return out.rstrip(",;") if out else ""


def people_in(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Words in `text` that put a person in the frame (guards in `allowed` and negations
    such as "no people" do not count)."""
    for phrase in allowed:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    text = _NEGATED_RE.sub(" ", text)
    return [m.group(0) for m in HUMAN_RE.finditer(text)]
