"""Procedural prompts from slot pools (colour, motion, lighting, gradient, camera, mood,
sound) filled from the registries' names, the linguistic registry's learned words and the
interpretation config's words, every one passing the semantic-name check (gibberish names
never reach a prompt). A prompt sharing 80% of its words with a recent one is rejected.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.creation.choice import weighted_choice_favor_underused
from engine.errors import DailiesError
from engine.interpretation.config import TEMPLATE_SLOTS, InterpretationConfig, load_config
from engine.interpretation.vocabulary import registry_names
from engine.registries.gibberish import is_gibberish
from engine.registries.models import Interpretation
from engine.registries.query import linguistic
from engine.store.db import Store

NEAR_DUPLICATE = 0.8
RECENT = 50
ATTEMPTS_PER_PROMPT = 40
_WORD = re.compile(r"[a-z']+")

# slot -> the registry aspects and interpretation domains that fill it
SLOT_SOURCES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "colour": ((("pure", "colour"),), ("palette",)),
    "motion": ((("blended", "motion"),), ("motion",)),
    "lighting": ((("blended", "lighting"),), ("lighting",)),
    "gradient": ((("blended", "gradient"),), ("gradient",)),
    "camera": ((("blended", "camera"),), ("camera",)),
    "mood": ((("semantic", "mood"),), ("mood",)),
    "sound": ((("pure", "sound"),), ("sound",)),
}


@dataclass(frozen=True)
class GeneratedPrompts:
    prompts: tuple[str, ...]
    rejected_near_duplicates: int
    distinct_word_ratio: float  # distinct words / all words over the prompts
    mean_pairwise_distance: float  # 1 - Jaccard overlap of word sets, averaged over pairs
    pool_sizes: dict[str, int]

    def diversity_line(self) -> str:
        return (
            f"Diversity: {len(self.prompts)} prompts, distinct-word ratio {self.distinct_word_ratio:.2f}, "
            f"mean pairwise word distance {self.mean_pairwise_distance:.2f}, "
            f"{self.rejected_near_duplicates} near-duplicates rejected"
        )


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _semantic(value: str) -> bool:
    """Every word of the value is a good name word (the registry's own gibberish check)."""
    return all(not is_gibberish(w.capitalize()) for w in value.split())


def slot_pools(session: Session, cfg: InterpretationConfig) -> dict[str, list[str]]:
    names = registry_names(session)
    learned = linguistic(session)
    pools: dict[str, list[str]] = {}
    for slot, (aspects, domains) in SLOT_SOURCES.items():
        values: list[str] = []
        values += [name.lower() for reg, aspect, _key, name in names if (reg, aspect) in aspects]
        for domain in domains:
            values += list(cfg.keywords.get(domain, {}))
            values += [span for span, senses in cfg.slang.items() if domain in senses]
            values += [span for span, senses in cfg.senses.items() if domain in senses]
            values += [r.span for r in learned if r.domain == domain]
        suffix = {"gradient": " gradient", "lighting": " lighting", "motion": " motion"}.get(slot)
        if suffix:  # the templates say "gradient", "lighting", "motion" themselves
            values = [v.removesuffix(suffix).removesuffix(" light") for v in values]
        seen = dict.fromkeys(v.strip() for v in values if v.strip())
        pools[slot] = [v for v in seen if _semantic(v)]
    return pools


def _recent(session: Session) -> list[str]:
    rows = session.scalars(select(Interpretation.prompt).order_by(Interpretation.updated_at.desc()).limit(RECENT))
    return list(rows)


def _fill(template: str, pools: dict[str, list[str]], used: Counter, rng: np.random.Generator) -> str:
    picked: dict[str, list[str]] = {}
    out = template
    for slot in TEMPLATE_SLOTS:
        token = "{" + slot + "}"
        while token in out:
            pool = [v for v in pools[slot] if v not in picked.get(slot, [])] or pools[slot]
            value = weighted_choice_favor_underused(pool, [used[v] for v in pool], rng)
            picked.setdefault(slot, []).append(value)
            out = out.replace(token, value, 1)
    return " ".join(out.split())


def is_near_duplicate(prompt: str, recent: list[set[str]], threshold: float = NEAR_DUPLICATE) -> bool:
    w = words(prompt)
    return bool(w) and any(len(w & r) / len(w) >= threshold for r in recent)


def generate_from_pools(
    pools: dict[str, list[str]], templates: tuple[str, ...], n: int, rng: np.random.Generator,
    recent_prompts: list[str] = (),
) -> GeneratedPrompts:
    if n < 1:
        raise DailiesError(f"-n must be at least 1, not {n}")
    empty = [s for s in TEMPLATE_SLOTS if not pools.get(s)]
    usable = [t for t in templates if not any("{" + s + "}" in t for s in empty)]
    if not usable:
        raise DailiesError(f"no prompt template can be filled: empty slot pools {', '.join(empty)}")
    recent = deque((words(p) for p in recent_prompts), maxlen=RECENT)
    used: Counter = Counter()
    out: list[str] = []
    rejected = 0
    for _ in range(n * ATTEMPTS_PER_PROMPT):
        if len(out) >= n:
            break
        prompt = _fill(usable[int(rng.integers(len(usable)))], pools, used, rng)
        if is_near_duplicate(prompt, list(recent)):
            rejected += 1
            continue
        out.append(prompt)
        recent.append(words(prompt))
        used.update(v for slot in pools for v in pools[slot] if v in prompt)
    all_words = [w for p in out for w in _WORD.findall(p.lower())]
    sets = [words(p) for p in out]
    pairs = list(combinations(sets, 2))
    distance = (sum(1 - len(a & b) / len(a | b) for a, b in pairs) / len(pairs)) if pairs else 1.0
    return GeneratedPrompts(
        tuple(out), rejected,
        len(set(all_words)) / len(all_words) if all_words else 0.0,
        distance, {k: len(v) for k, v in pools.items()},
    )


def generate_prompts(store: Store, n: int, *, seed: int | None = None) -> GeneratedPrompts:
    """`n` prompts from the store's registries, none a near-duplicate of a recent prompt."""
    cfg = load_config()
    with store.read() as s:
        pools = slot_pools(s, cfg)
        recent = _recent(s)
    return generate_from_pools(pools, cfg.prompt_templates, n, np.random.default_rng(seed), recent)
