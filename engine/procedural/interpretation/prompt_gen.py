"""Procedural prompts that read as English, drawn from what the registries learned: colours,
sounds, motion, camera moves and audio (each said by its name when the name says the value,
else by the words of the value itself), and the semantic moods, settings and themes.

Every slot has one grammatical role in the templates (registries.json
"prompt_generator"): a colour or a setting modifies a noun ("a slate blue forest scene"), a
mood is an adjective, a sound, motion or camera move is a noun phrase. Articles are chosen
by the sound of the next word (inflect), no slot is left empty or filled twice with the same
value, no word is doubled ("lit light"), and every word is a real English word (wordfreq).
A prompt sharing 80% of its words with a recent one is rejected.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, islice

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import paths
from engine.core.errors import DailiesError
from engine.procedural.registries.catalog import EntryRecord
from engine.procedural.registries.choice import weighted_choice_favor_underused
from engine.procedural.registries.keys import (
    CAMERA_MOTIONS,
    CAMERA_SPEEDS,
    CAMERA_STEADINESS,
    camera_key,
)
from engine.procedural.registries.models import Interpretation
from engine.procedural.registries.name_check import name_problem
from engine.procedural.registries.names import candidates
from engine.procedural.registries.query import entries
from engine.procedural.registries.settings import (
    SLOT_ASPECTS,
    SLOT_PATTERN,
    SLOTS,
    load_registries_file,
)
from engine.store.db import Store

NEAR_DUPLICATE = 0.8
RECENT = 50
ATTEMPTS_PER_PROMPT = 40
_WORD = re.compile(r"[a-z']+")
_TOKEN = re.compile(r"[A-Za-z']+")
_ARTICLE = re.compile(r"\b([Aa]n?) ([A-Za-z][A-Za-z'-]*)")

# semantic values that say nothing in a sentence
EMPTY_VALUES = frozenset(("default", "general", "neutral", "none", "standard", "flat", "normal"))
MAX_PER_POOL = 400


@lru_cache(maxsize=65536)
def is_real_word(word: str) -> bool:
    """A word of English (it has a frequency in wordfreq's English lists)."""
    from wordfreq import zipf_frequency

    w = word.strip("'").lower()
    if w.endswith("'s"):
        w = w[:-2]
    return bool(w) and zipf_frequency(w, "en") > 0


def real_words_only(text: str) -> bool:
    return all(is_real_word(w) for w in _TOKEN.findall(text))


def made_up_words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(text) if not is_real_word(w)]


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def with_articles(text: str) -> str:
    """Every 'a'/'an' agreeing with the sound of the word after it ('an ominous scene')."""
    import inflect

    engine = _inflect_engine(inflect)

    def fix(m: re.Match) -> str:
        article = engine.a(m.group(2)).split(" ", 1)[0]
        if m.group(1)[0].isupper():
            article = article.capitalize()
        return f"{article} {m.group(2)}"

    return _ARTICLE.sub(fix, text)


@lru_cache(maxsize=1)
def _inflect_engine(module):
    return module.engine()


def phrase(e: EntryRecord) -> str | None:
    """How a prompt says an entry: a semantic value by its words, another entry by its name
    when the name says the value, else by the first name its value would get (words of the
    value itself: 'low rumble', 'slow steady pan'). None when it has no real-word phrase."""
    if e.registry == "semantic":
        text = e.key.replace("_", " ").replace("-", " ")
        if text in EMPTY_VALUES:
            return None
    elif name_problem(e.registry, e.aspect, e.key, e.name, is_origin=e.is_origin) is None:
        text = e.name.lower()
    else:
        text = next(iter(candidates(e.registry, e.aspect, e.key))).lower()
    return text if real_words_only(text) else None


def _camera_grid() -> list[str]:
    """Camera moves when none was learned yet: every move of the registry's own vocabulary."""
    out = []
    for move in CAMERA_MOTIONS:
        for speed in CAMERA_SPEEDS:
            for steady in CAMERA_STEADINESS[:2]:
                out.append(next(iter(candidates("blended", "camera", camera_key(move, speed, steady)))).lower())
    return out


_MOTION_FALLBACK = ("0.2_steady", "1.5_steady", "2.5_increasing", "4.0_steady", "5.0_decreasing", "7.0_pulsing")


def slot_pools(session: Session) -> dict[str, list[str]]:
    """Each slot's phrases, most observed first, at most MAX_PER_POOL."""
    pools: dict[str, list[str]] = {}
    for slot, aspects in SLOT_ASPECTS.items():
        found: list[tuple[int, str]] = []
        for reg, aspect in aspects:
            for e in entries(session, reg, aspect, with_sources=False):
                text = phrase(e)
                if text:
                    found.append((e.count, text))
        found.sort(key=lambda t: -t[0])
        values = list(dict.fromkeys(t for _c, t in found))[:MAX_PER_POOL]
        if not values and slot == "camera":
            values = [v for v in dict.fromkeys(_camera_grid()) if real_words_only(v)]
        if not values and slot == "motion":
            values = [next(iter(candidates("blended", "motion", k))).lower() for k in _MOTION_FALLBACK]
        pools[slot] = values
    return pools


def prompt_templates() -> tuple[str, ...]:
    """registries.json "prompt_generator.templates" (engine.procedural.registries.settings checks them:
    text naming known slots)."""
    return tuple(load_registries_file(paths.config_dir() / "registries.json").prompt_generator.templates)


def _recent(session: Session) -> list[str]:
    rows = session.scalars(select(Interpretation.prompt).order_by(Interpretation.updated_at.desc()).limit(RECENT))
    return list(rows)


def doubled_word(text: str) -> str | None:
    """Two words in a row that say the same thing: the same word, one the start of the other
    ('pan panning'), or short words of one stem ('lit light'). Such a prompt is not written."""
    toks = [w.lower() for w in _TOKEN.findall(text)]
    for a, b in zip(toks, toks[1:], strict=False):
        short, long_ = sorted((a, b), key=len)
        if a == b or (len(short) >= 3 and long_.startswith(short)) or (
                len(long_) <= 5 and len(short) >= 3 and a[:2] == b[:2] and a[-1] == b[-1]):
            return f"{a} {b}"
    return None


def _fill(template: str, pools: dict[str, list[str]], used: Counter, rng: np.random.Generator) -> str | None:
    picked: list[str] = []

    def value(m: re.Match) -> str:
        pool = [v for v in pools[m.group(1)] if v not in picked] or [""]
        choice = weighted_choice_favor_underused(pool, [used[v] for v in pool], rng)
        picked.append(choice)
        return choice

    text = SLOT_PATTERN.sub(value, template)
    if "" in picked:
        return None
    text = with_articles(" ".join(text.split()))
    if doubled_word(text) or not real_words_only(text):
        return None
    return text


def is_near_duplicate(prompt: str, recent: list[set[str]], threshold: float = NEAR_DUPLICATE) -> bool:
    w = words(prompt)
    return bool(w) and any(len(w & r) / len(w) >= threshold for r in recent)


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


def generate_from_pools(
    pools: dict[str, list[str]], templates: tuple[str, ...], n: int, rng: np.random.Generator,
    recent_prompts: list[str] = (),
) -> GeneratedPrompts:
    if n < 1:
        raise DailiesError(f"-n must be at least 1, not {n}")
    empty = {s for s in SLOTS if not pools.get(s)}
    usable = [t for t in templates if not set(SLOT_PATTERN.findall(t)) & empty]
    if not usable:
        raise DailiesError(f"no prompt template can be filled: empty slot pools {', '.join(sorted(empty))}")
    recent = deque((words(p) for p in recent_prompts), maxlen=RECENT)
    used: Counter = Counter()
    out: list[str] = []
    rejected = 0
    for _ in range(n * ATTEMPTS_PER_PROMPT):
        if len(out) >= n:
            break
        prompt = _fill(usable[int(rng.integers(len(usable)))], pools, used, rng)
        if prompt is None:
            continue
        if is_near_duplicate(prompt, list(recent)):
            rejected += 1
            continue
        out.append(prompt)
        recent.append(words(prompt))
        used.update(v for slot in pools for v in pools[slot] if v in prompt)
    all_words = [w for p in out for w in _WORD.findall(p.lower())]
    sets = [words(p) for p in out]
    pairs = list(islice(combinations(sets, 2), 50_000))
    distance = (sum(1 - len(a & b) / len(a | b) for a, b in pairs) / len(pairs)) if pairs else 1.0
    return GeneratedPrompts(
        tuple(out), rejected,
        len(set(all_words)) / len(all_words) if all_words else 0.0,
        distance, {k: len(v) for k, v in pools.items()},
    )


def generate_prompts(store: Store, n: int, *, seed: int | None = None) -> GeneratedPrompts:
    """`n` prompts from the store's registries, none a near-duplicate of a recent prompt."""
    with store.read() as s:
        pools = slot_pools(s)
        recent = _recent(s)
    return generate_from_pools(pools, prompt_templates(), n, np.random.default_rng(seed), recent)
