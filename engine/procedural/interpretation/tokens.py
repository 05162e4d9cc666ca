"""A prompt as tokens: lower case, contractions expanded ("don't" -> "do not"), hyphens and
marks split off, the spelling table applied (grey -> gray), and every lemma a word may have
("hums" -> hum, "saw" -> see or saw, "darker" -> dark), from lemminflect's English tables.

Each token keeps its place and its original text so that every mapping can name its span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lemminflect

_CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "can not"), (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"), (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\b(\w+)'(re|ve|ll|d|m)\b"), r"\1 '\2"),
    (re.compile(r"\b(it|that|there|here|what|who|he|she|this)'s\b"), r"\1 is"),
)
_NUMBER_UNIT = re.compile(r"\b(\d+(?:\.\d+)?)([a-z]+)\b")  # "10s" -> "10 s"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?(?:\.[0-9]+)?|[,;.!?:]")
CLAUSE_ENDS = frozenset({".", ";", "!", "?", ":"})
PUNCT = CLAUSE_ENDS | {","}


@dataclass(frozen=True)
class Token:
    i: int
    text: str  # as the user wrote it, lower case
    norm: str  # after the spelling table
    lemmas: frozenset[str]
    pos: frozenset[str]  # parts of speech the word may be (empty: unknown word)

    @property
    def forms(self) -> frozenset[str]:
        return self.lemmas | {self.text, self.norm}

    @property
    def punct(self) -> bool:
        return self.text in PUNCT


@lru_cache(maxsize=20000)
def _lemmas(word: str) -> tuple[frozenset[str], frozenset[str]]:
    base = word[:-2] if word.endswith("'s") else word  # "telly's": the telly
    if not base.isalpha():
        return frozenset({word}), frozenset()
    found = lemminflect.getAllLemmas(base)
    lemmas = {lemma.lower() for forms in found.values() for lemma in forms}
    return frozenset(lemmas | {word, base}), frozenset(found)


def normalise_text(text: str) -> str:
    """Lower case, curly quotes straightened, contractions expanded, marks split off."""
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    for pattern, repl in _CONTRACTIONS:
        t = pattern.sub(repl, t)
    t = _NUMBER_UNIT.sub(r"\1 \2", t)
    return " ".join(_WORD.findall(t))


def tokenise(text: str, spelling: dict[str, str]) -> list[Token]:
    out = []
    for i, word in enumerate(normalise_text(text).split()):
        norm = spelling.get(word, word)
        lemmas, pos = _lemmas(norm)
        out.append(Token(i, word, norm, lemmas | {norm}, pos))
    return out


