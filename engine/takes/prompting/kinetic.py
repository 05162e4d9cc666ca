"""The kinetic lexicon matched by word: inflected forms of whole words, used as verbs.

An action's words are reduced to their verb lemmas (ran, runs, running -> run) by lemminflect;
an entry matches where one of its verbs stands as a verb: not after an article, a possessive
or an adjective-making word ("feeds a duck", "his hold", "the bolt"), not before an object its
entry excludes ("bolts the door" is no sprint), and, for entries that need one, with a person
as its object ("holds her close", not "holds a pistol").
"""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas, getAllLemmasOOV

from engine.takes.prompting.config import KineticEntry, PromptConfig

_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
NOUN_MARKERS = frozenset(
    "a an the this that these those his her their its my our your some any every each no one's "
    "of".split()
)


@lru_cache(maxsize=65536)
def verb_lemmas(word: str) -> frozenset[str]:
    """The verb base forms a word can be an inflection of (ran -> run; Pacific -> none)."""
    found = getAllLemmas(word).get("VERB")
    if not found and word.endswith(("s", "ed", "ing")):
        found = getAllLemmasOOV(word, "VERB").get("VERB")
    out = set(found or ())
    return frozenset(out | {word})


def _object_is_person(words: list[str], at: int) -> bool:
    from engine.takes.prompting.presence import people_in

    return bool(people_in(" ".join(words[at : at + 4])))


def _matches(entry: KineticEntry, words: list[str], i: int) -> bool:
    for verb in entry.verbs:
        if verb[0] not in verb_lemmas(words[i]):
            continue
        tail = len(verb) - 1
        if tail and words[i + 1 : i + 1 + tail] != list(verb[1:]):
            continue
        if i > 0 and words[i - 1] in NOUN_MARKERS:
            continue  # "feeds a duck", "loses his hold"
        after = i + 1 + tail
        if after < len(words) and words[after] in entry.not_before:
            continue
        if entry.object == "person" and not _object_is_person(words, after):
            continue
        return True
    return False


def kinetic_entry(action: str, cfg: PromptConfig) -> KineticEntry | None:
    """The first lexicon entry whose verb the action uses, or None."""
    memo = _MEMO.get(id(cfg.kinetic))
    if memo is None or memo[0] is not cfg.kinetic:
        memo = _MEMO[id(cfg.kinetic)] = (cfg.kinetic, {})
    found = memo[1]
    if action not in found:
        if len(found) > 8192:
            found.clear()
        found[action] = _entry(action, cfg.kinetic)
    return found[action]


# id of a lexicon -> (the lexicon, action -> entry): an action is matched once per lexicon.
_MEMO: dict[int, tuple[tuple[KineticEntry, ...], dict[str, KineticEntry | None]]] = {}


def _entry(action: str, kinetic: tuple[KineticEntry, ...]) -> KineticEntry | None:
    words = _WORD_RE.findall(action.lower().replace("’", "'"))
    for entry in kinetic:
        for i in range(len(words)):
            if _matches(entry, words, i):
                return entry
    return None


def kinetic_descriptor(action: str, cfg: PromptConfig) -> str:
    """The descriptor of the entry the action matches, else the lexicon's fallback."""
    entry = kinetic_entry(action, cfg) if action else None
    return entry.descriptor if entry else cfg.kinetic_fallback
