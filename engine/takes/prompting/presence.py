"""People out of empty rooms: the people of a text are found by what the words are
(engine.takes.prompting.people_words) and removed clause by clause.

`strip_people` keeps the places and things: a person's possession loses its owner ("a nurse's
trolley" -> "a trolley", "his desk" -> "the desk"), a subordinate clause that carries a person
goes whole ("where a lone fisherman once worked"), a person after a preposition goes with it
("seats for the audience"), and a clause led by a person keeps what follows its verb
("dockers unloading crates on the quay" -> "crates on the quay"). A text without people comes
back unchanged. `people_in` lists the words that put people in a text (for checking answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from engine.takes.prompting import wordnet
from engine.takes.prompting.people_words import (
    ADVERBS,
    ARTICLE_KEEP,
    BREAK,
    COORDINATORS,
    DETERMINERS,
    PARTICLES,
    POSSESSIVE_PRONOUNS,
    PREPOSITIONS,
    SUBORDINATORS,
    Tok,
    found_people,
    human_traits,
    lemmas,
    name_set,
    noun_lemma,
    people_in,
    person_at,
    tokens,
    verbish,
)

__all__ = ["human_traits", "noun_lemma", "people_in", "strip_people"]


def _article(det: str, following: str) -> str:
    if det.lower() in ("a", "an"):
        det = "an" if following[:1].lower() in "aeiou" else "a"
    return det


def _possessor_start(toks: list[Tok], i: int) -> tuple[int, str]:
    """Where the possessor phrase ending at i begins, and the determiner it leaves."""
    j = i - 1
    while j >= 0 and j > i - 5 and toks[j].word:
        low = toks[j].low
        if low in ARTICLE_KEEP:
            return j, toks[j].text
        if low in DETERMINERS or low in PREPOSITIONS or low in SUBORDINATORS or low in COORDINATORS:
            break
        if verbish(toks[j]) and not low.endswith(("ed", "ing")):
            break
        j -= 1
    return j + 1, "the"


def _drop_owners(text: str, names: frozenset[str]) -> str:
    """Possessions lose their owners: "a nurse's trolley" -> "a trolley"."""
    while True:
        toks = tokens(text)
        for i in found_people(toks, names):
            t = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            owner = t.possessive or (
                t.low in POSSESSIVE_PRONOUNS and nxt is not None and nxt.word and nxt.low not in PREPOSITIONS
                and nxt.low not in COORDINATORS and nxt.low not in DETERMINERS
                and (t.low != "her" or nxt.low.endswith("ing") or not verbish(nxt)))
            if not owner or i + 1 >= len(toks) or not toks[i + 1].word:
                continue
            if t.low in POSSESSIVE_PRONOUNS:
                start, det = i, "the"
            else:
                start, det = _possessor_start(toks, i)
            if det.lower() in ("a", "an") and noun_lemma(toks[i + 1].low) != toks[i + 1].low:
                det = "the"  # "a typesetter's trays" -> "the trays"
            det = _article(det, toks[i + 1].text)
            if toks[start].text[:1].isupper():
                det = det[0].upper() + det[1:]
            text = text[: toks[start].start] + det + " " + text[toks[i + 1].start :]
            break
        else:
            return text


def _np_bounds(toks: list[Tok], i: int, lo: int, hi: int) -> tuple[int, int]:
    """The noun phrase around the person at i within [lo, hi): determiner and adjectives
    before it, 'and <another person>' after it."""
    a = i
    if i - 2 >= lo and toks[i - 1].low == "of" and \
            wordnet.first_lexfile(noun_lemma(toks[i - 2].low)) == wordnet.GROUP_FILE:
        a = i - 2  # "a crowd of commuters" is one phrase
    while a - 1 >= lo and toks[a - 1].word and toks[a - 1].low not in PREPOSITIONS and \
            toks[a - 1].low not in SUBORDINATORS and toks[a - 1].low not in COORDINATORS and \
            not verbish(toks[a - 1]) and i - a < 4:
        a -= 1
        if toks[a].low in DETERMINERS:
            break
    b = i + 1
    while b + 1 < hi and toks[b].low in ("and", "or"):  # "a trucker and a waitress"
        c = b + 1
        while c < hi and c < b + 4 and not person_at(toks, c, frozenset()) and toks[c].word and \
                (toks[c].low in DETERMINERS or not wordnet.is_noun(noun_lemma(toks[c].low))):
            c += 1
        if c < hi and person_at(toks, c, frozenset()):
            b = c + 1
        else:
            break
    return a, b


def _clauses(toks: list[Tok]) -> list[tuple[int, int]]:
    """Token ranges of clauses: split at punctuation and before subordinators and 'with'."""
    out, start = [], 0
    for k, t in enumerate(toks):
        if t.text in BREAK:
            out.append((start, k))
            start = k + 1
        elif k > start and (t.low in SUBORDINATORS or t.low == "with"):
            out.append((start, k))
            start = k
    out.append((start, len(toks)))
    return [(a, b) for a, b in out if b > a]


def _cut_clause(toks: list[Tok], a: int, b: int, names: frozenset[str]) -> tuple[int, int] | None:
    """The token range to remove from clause [a, b) for its people, or None if it has none."""
    hits = [i for i in found_people(toks, names) if a <= i < b]
    if not hits:
        return None
    lead = toks[a].low
    if lead == "with":
        na, _ = _np_bounds(toks, hits[0], a, b)
        if na - 1 > a + 1 and toks[na - 1].low in ("and", "or"):  # "with rows of beds and a patient"
            return na - 1, b
    if lead == "with" and a > 0 and toks[a - 1].word and (
            "ADJ" in lemmas(toks[a - 1].low) and "NOUN" not in lemmas(toks[a - 1].low)
            or toks[a - 1].low.endswith("ed")):
        return a - 1, b  # "a room crowded with guests"
    if lead in SUBORDINATORS or lead == "with" or lead in COORDINATORS and hits[0] == a + 1 or \
            lead in COORDINATORS and toks[a + 1].low in DETERMINERS and hits[0] <= a + 4:
        return a, b
    i = hits[0]
    na, nb = _np_bounds(toks, i, a, b)
    if na > a and toks[na - 1].low in PREPOSITIONS:  # "seats for the audience"
        before = toks[na - 2] if na - 2 > a else None
        if before is not None and before.word and (not wordnet.is_noun(noun_lemma(before.low))
                                                   or "ADJ" in lemmas(before.low) and "NOUN" not in lemmas(before.low)
                                                   or before.low.endswith("ed") and "VERB" in lemmas(before.low)):
            na -= 1  # "manned by two soldiers", "full of tourists", "packed with spectators"
        end = nb
        while end < b and toks[end].low in {"and", "or"} | DETERMINERS or (end < b and person_at(toks, end, names)):
            end += 1
        if end < b and verbish(toks[end]):
            end = b
        return na - 1, end
    if na > a and toks[na - 1].word and toks[na - 1].low not in DETERMINERS and \
            wordnet.is_noun(noun_lemma(toks[na - 1].low)) and not toks[na - 1].low.endswith(("ing", "ed")):
        return na, b  # "a single lamp the bosun left burning": the lamp stays
    if na == a:  # the clause is led by the person: keep what follows its verb
        k = nb
        while k + 1 < b and toks[k].low in ("in", "with") and toks[k + 1].low not in DETERMINERS:
            k += 2  # what the person wears or carries: "workers in overalls at the lathes"
            while k < b and toks[k].word and toks[k].low not in PREPOSITIONS and not verbish(toks[k]):
                k += 1
        while k < b and (toks[k].low in ADVERBS or toks[k].low in ("and", "of") or person_at(toks, k, names)
                         or toks[k].low in DETERMINERS and k + 1 < b and person_at(toks, k + 1, names)):
            k += 1
        if k < b and toks[k].low in PREPOSITIONS and toks[k].low not in ("of", "with"):
            k += 1  # "a crowd of tourists around the fountain" -> "the fountain"
            if k < b and not [j for j in found_people(toks, names) if k <= j < b]:
                return a, k
            return a, b
        if k < b and verbish(toks[k]):
            k += 1
            while k < b and (toks[k].low in PARTICLES or toks[k].low in ADVERBS):
                k += 1
            if k < b and toks[k].low in PREPOSITIONS and toks[k].low not in ("of", "with"):
                k += 1
            rest = [j for j in found_people(toks, names) if k <= j < b]
            if k < b and not rest:
                return a, k
        return a, _place_after(toks, nb, b, names)
    return a, _place_after(toks, nb, b, names)


def _place_after(toks: list[Tok], start: int, b: int, names: frozenset[str]) -> int:
    """Where the place of a clause led by a person begins, so the cut keeps it: after the
    first preposition past the person whose object holds no people ("a guard asleep in the
    booth" keeps "the booth"); `b` (cut it all) when there is none."""
    people = found_people(toks, names)
    for k in range(start, b - 1):
        if toks[k].low in PREPOSITIONS and toks[k].low not in ("of", "with") and \
                not [j for j in people if k < j < b]:
            return k + 1
    return b


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,;:.!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"([.!?])\s*[,;:]+", r"\1", text)
    text = re.sub(r"^[\s,;:]+", "", text)
    text = re.sub(r"(?:\s*\b(?:and|or|but|with|of|the|a|an)\b)+\s*([,;:.!?]|$)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"[,;:]\s*([.!?]|$)", r"\1", text)
    text = re.sub(r"^\s*(?:and|or|but)\b\s*", "", text, flags=re.IGNORECASE)
    text = text.strip()
    if text[:1].islower() and text[:1] != text[:1].upper():
        pass
    return text


def strip_people(text: str, names: Iterable[str] = ()) -> str:
    """The text without the people in it, keeping its places and things."""
    return _strip(text.strip(), name_set(names))


@lru_cache(maxsize=8192)
def _strip(text: str, known: frozenset[str]) -> str:
    """strip_people of one text (a location recurs across a scene's shots: cached)."""
    toks = tokens(text)
    if not found_people(toks, known):
        return text
    text = _drop_owners(text, known)
    for _ in range(12):
        toks = tokens(text)
        cut = None
        for a, b in _clauses(toks):
            cut = _cut_clause(toks, a, b, known)
            if cut is not None:
                break
        if cut is None:
            break
        a, b = cut
        end = toks[b - 1].end if b > a else toks[a].start
        text = text[: toks[a].start] + " " + text[end:]
    out = _tidy(text)
    if out and text[:1].isupper():
        out = out[0].upper() + out[1:]
    return out
