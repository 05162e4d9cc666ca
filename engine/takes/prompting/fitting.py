"""Fit the builder's parts to a target's limits, keeping every locked term.

Used for the deterministic text (the fallback when enrichment is bypassed or fails), so that
even a fallback respects the target: parts without a locked term are dropped from the end
first, then the last such part is cut back to its last whole clause that fits; texts shorter than a minimum are padded
with the configured video padding sentences.
"""

from __future__ import annotations

import re
from functools import lru_cache

from engine.takes.prompting.config import Limits

_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case with runs of white space made one space (how locked terms are compared)."""
    return _SPACE_RE.sub(" ", text).strip().lower()


@lru_cache(maxsize=16384)
def word_count(text: str) -> int:
    return len(text.split())


_SENTENCE_RE = re.compile(r"[^.!?]*[.!?]+(?=\s|$)|[^.!?]+$")


@lru_cache(maxsize=16384)
def units(text: str, locked: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """`text` as sentences, (sentence, holds a locked term); sentences one locked term
    spans are merged into one unit so that it is kept or dropped whole."""
    spans = [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text) if m.group(0).strip()]
    if not spans:
        return ()
    low = text.lower()
    flags = [False] * len(spans)
    joins: set[int] = set()  # unit i is merged with unit i + 1
    for term in locked:
        needle = term.lower()
        at = low.find(needle)
        while at >= 0 and needle:
            end = at + len(needle)
            hit = [i for i, (a, b) in enumerate(spans) if a < end and b > at]
            for i in hit:
                flags[i] = True
            joins.update(hit[:-1])
            at = low.find(needle, end)
    out: list[tuple[str, bool]] = []
    current, flag = "", False
    for i, (a, b) in enumerate(spans):
        current = (current + " " + text[a:b].strip()).strip()
        flag = flag or flags[i]
        if i not in joins:
            out.append((current, flag))
            current, flag = "", False
    return tuple(out)


def _join(texts: list[str]) -> str:
    return " ".join(t for t in texts if t)


_CLAUSE_END_RE = re.compile(r"[,;:]")


def _clause_prefixes(text: str) -> list[str]:
    """The sentence cut after each of its clauses: "a, b, c." -> ["a.", "a, b."]."""
    body = text.rstrip().rstrip(".!?")
    return [body[: m.start()].rstrip() + "." for m in _CLAUSE_END_RE.finditer(body) if body[: m.start()].strip()]


def _cut_words(text: str, keep: int) -> str:
    """The longest run of whole clauses of `text` within `keep` words ("" when none fits):
    a cut never falls inside a phrase."""
    fitting = [p for p in _clause_prefixes(text) if word_count(p) <= keep and word_count(p) >= 3]
    return fitting[-1] if fitting else ""


def fit(texts: list[str], limits: Limits, locked: tuple[str, ...], padding: tuple[str, ...] = ()) -> str:
    """Join `texts` (already in priority order) into one text within `limits`."""
    texts = list(texts)
    if not (limits.max_words or limits.max_chars or limits.min_words):
        return _join(texts)
    if limits.min_words:
        for sentence in padding:
            if word_count(_join(texts)) >= limits.min_words:
                break
            texts.append(sentence)
    pieces = [u for t in texts for u in units(t, locked)]
    if limits.max_words:
        pieces = _shrink(pieces, limits.max_words, word_count, _cut_words, 0)
    if limits.max_chars:
        pieces = _shrink(pieces, limits.max_chars, len, _cut_chars, 1)
    return _join([t for t, _ in pieces])


def _cut_chars(text: str, keep: int) -> str:
    fitting = [p for p in _clause_prefixes(text) if len(p) <= keep and word_count(p) >= 3]
    return fitting[-1] if fitting else ""


def _shrink(pieces, limit, measure, cut, sep: int) -> list[tuple[str, bool]]:
    """Drop unlocked sentences from the end until the pieces fit `limit`; the last one dropped
    is cut to fit if it can be. Sizes add up piece by piece (`sep` per join)."""
    sizes = [measure(t) for t, _ in pieces]

    def total() -> int:
        kept = [n for n, (t, _) in zip(sizes, pieces, strict=True) if t]
        return sum(kept) + sep * max(0, len(kept) - 1)

    if total() <= limit:
        return list(pieces)
    pieces = list(pieces)
    droppable = [i for i, (_, locked) in enumerate(pieces) if not locked]
    while droppable and total() > limit:
        i = droppable.pop()
        text = pieces[i][0]
        pieces[i], sizes[i] = ("", False), 0
        room = limit - total() - sep
        if room > 0 and total() <= limit:
            cut_text = cut(text, room)
            pieces[i], sizes[i] = (cut_text, False), measure(cut_text)
            if total() > limit:
                pieces[i], sizes[i] = ("", False), 0
    return [p for p in pieces if p[0]]
