"""People in environment text: found by what the words are, removed clause by clause.

A word puts a person in the frame when it is a personal pronoun, an honorific, one of the
episode's character names, or a noun whose leading WordNet sense is a person or a group of
people (occupations and roles, kinship, demonyms, crowds and crews: engine.prompting.wordnet).
It does not when it is negated ("no people", "without a soul"), depicted ("a statue of a
sailor", "a portrait of the captain"), or a modifier of another noun ("a guard rail", "the
police station", "crew quarters").

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
from dataclasses import dataclass
from functools import lru_cache

from lemminflect import getAllLemmas, getAllLemmasOOV

from engine.prompting import wordnet

PRONOUNS = frozenset(
    "he she him himself herself they them themselves someone somebody anyone anybody everyone "
    "everybody whoever i me myself we us ourselves you yourself yourselves".split()
)
POSSESSIVE_PRONOUNS = frozenset("his her their my our your".split())
OWN_PRONOUNS = frozenset("hers theirs ours yours".split())
HONORIFICS = frozenset("mr mrs ms mx dr sir madam".split())
NEGATORS = frozenset("no without nobody never nor zero".split())
NEGATING_PHRASES = (("devoid", "of"), ("free", "of"), ("empty", "of"), ("absent", "of"),
                    ("not", "a"), ("not", "one"), ("not", "a", "single"), ("bare", "of"))
DETERMINERS = frozenset(
    "a an the this that these those some every each one two three four five several many few "
    "another any its".split()
)
ARTICLE_KEEP = frozenset("a an the this that these those some every each another".split())
PREPOSITIONS = frozenset(
    "of for by from to beside near behind among amongst around with at on in under over "
    "between toward towards against past beyond inside outside onto into upon across along "
    "about like via".split()
)
# Words that open a clause carrying its own subject or a situation: such a clause goes whole.
SUBORDINATORS = frozenset(
    "where while when whenever who whom whose which after before until till since because "
    "though although as if unless whereas".split()
)
COORDINATORS = frozenset("and but or yet so".split())
ADVERBS = frozenset("once still now just never always often all both long already also then "
                    "sometimes usually quietly slowly".split())
# Parts of the body that also name parts of places and things (the back of the room, the
# foot of the stairs, the mouth of the cave) are no sign of a person on their own.
BODY_LANDMARKS = frozenset(
    "back side front head foot feet mouth neck arm leg eye lip heart spine shoulder rib crown "
    "palm bone skull skeleton tooth teeth nose elbow knee tongue vein belly throat brow toe "
    "skin hair blood".split()
)
PARTICLES = frozenset("up down out away off in over back around about through".split())

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*(?:['’]s?)?|[^\sA-Za-z0-9]")
_BREAK = frozenset(",;:.!?()[]—–")


@dataclass
class _Tok:
    text: str
    low: str  # lower case, possessive ending removed
    possessive: bool
    start: int
    end: int

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        t = m.group(0)
        low = t.lower().replace("’", "'")
        poss = False
        if low.endswith("'s") and len(low) > 2:
            low, poss = low[:-2], True
        elif low.endswith("'") and len(low) > 1:
            low, poss = low[:-1], True
        out.append(_Tok(t, low, poss, m.start(), m.end()))
    return out


@lru_cache(maxsize=65536)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    return getAllLemmas(word)


@lru_cache(maxsize=65536)
def _noun_lemma(word: str) -> str:
    nouns = _lemmas(word).get("NOUN") or getAllLemmasOOV(word, "NOUN").get("NOUN") or ()
    for lemma in nouns:
        if wordnet.is_noun(lemma):
            return lemma
    return word


@lru_cache(maxsize=65536)
def people_noun(word: str, proper: bool = False) -> bool:
    """Whether a (lower-case) word names a person or people in its leading sense."""
    if word in PRONOUNS or word in HONORIFICS:
        return True
    if "-" in word:  # a compound is what its last part is: an ex-soldier, man-made
        head = word.rsplit("-", 1)[1]
        return wordnet.is_people_noun(word, proper) or (
            not wordnet.is_noun(word) and people_noun(head, proper) and len(head) > 2
        )
    lemma = _noun_lemma(word)
    return wordnet.is_people_noun(lemma, proper)


@lru_cache(maxsize=65536)
def _maybe_people(word: str) -> bool:
    return "-" not in word and wordnet.has_people_sense(_noun_lemma(word))


def _acts(toks: list[_Tok], i: int) -> bool:
    """Evidence that a word with a person among its other senses (an operator, the locals,
    medics, Norwegians) means people here: it owns something, it is a capitalised plural (a
    people, not a language), or, plural and not first a thing, it does something."""
    t = toks[i]
    plural = t.low != _noun_lemma(t.low)
    if plural and t.text[0].isupper():
        return True
    if i >= 2 and toks[i - 1].low == "of" and wordnet.first_lexfile(_noun_lemma(toks[i - 2].low)) == wordnet.GROUP_FILE:
        return True  # a crowd of commuters, a picket line of strikers
    first = wordnet.first_lexfile(_noun_lemma(t.low))
    if first in wordnet.THING_FILES | {5, 10, 20, 27}:
        return False  # a doll's house, the commuter trains: a thing first
    if t.possessive:
        return True
    if not plural:
        return False
    j = i + 1
    while j < len(toks) and toks[j].low in ADVERBS:
        j += 1
    if j >= len(toks) or not toks[j].word:
        return False
    nxt = toks[j]
    return nxt.low.endswith("ing") and _verbish(nxt) or (
        not nxt.low.endswith("ed") and "VERB" in _lemmas(nxt.low) and _lemmas(nxt.low)["VERB"][0] == nxt.low
        and not wordnet.is_noun(nxt.low))


def _verbish(tok: _Tok) -> bool:
    """An inflected verb form (works, gathered, unloading, sat)."""
    lem = _lemmas(tok.low)
    verbs = lem.get("VERB")
    if not verbs:
        return False
    if tok.low.endswith(("ing", "ed")) or verbs[0] != tok.low:
        return True
    return "NOUN" not in lem and "ADJ" not in lem


def _modifier(toks: list[_Tok], i: int) -> bool:
    """The person noun at i only modifies the noun after it (guard rail, crew quarters)."""
    if toks[i].possessive or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    if not nxt.word or nxt.low in PREPOSITIONS or nxt.low in DETERMINERS or people_noun(nxt.low):
        return False
    if not wordnet.is_noun(_noun_lemma(nxt.low)):
        return False
    if "ADJ" in _lemmas(toks[i].low) and not nxt.low.endswith("ing"):
        return True  # an adjective before its noun: "crisp white sheets", "a native plant"
    if toks[i].low != _noun_lemma(toks[i].low):  # a plural person noun is not a modifier
        return False
    if nxt.low.endswith(("ing", "ed")):
        return False
    verbs = _lemmas(nxt.low).get("VERB")
    if verbs and nxt.low.endswith("s"):
        # "the guard watches" (a verb after a determined noun) against "crew quarters"
        if i > 0 and toks[i - 1].word and toks[i - 1].low not in PREPOSITIONS:
            return False  # "the guard watches", "a ticket clerk yawns"
        return wordnet.noun_weight(_noun_lemma(nxt.low)) >= wordnet.verb_weight(verbs[0])
    if verbs and verbs[0] != nxt.low:  # "the teacher left", "a sentry sat"
        return False
    return True


def _depicted(toks: list[_Tok], i: int) -> bool:
    """The person at i is what a statue, portrait or photograph shows (its 'of' object)."""
    j = i - 1
    while j >= 0 and toks[j].word and toks[j].low not in PREPOSITIONS and j > i - 5:
        j -= 1
    if j < 1 or toks[j].low != "of":
        return False
    head = toks[j - 1]
    return head.word and wordnet.is_depiction(_noun_lemma(head.low))


def _negated(toks: list[_Tok], i: int) -> bool:
    back = [t.low for t in toks[max(0, i - 4) : i] if t.word]
    stop = 0
    for k in range(len(back) - 1, -1, -1):  # stop at the clause's start
        if back[k] in SUBORDINATORS:
            stop = k + 1
            break
    back = back[stop:]
    if any(w in NEGATORS for w in back):
        return True
    joined = " ".join(back)
    return any(" ".join(p) in joined for p in NEGATING_PHRASES)


def _person_at(toks: list[_Tok], i: int, names: frozenset[str]) -> bool:
    t = toks[i]
    if not t.word:
        return False
    if t.low in names:
        return True
    if t.low in POSSESSIVE_PRONOUNS or t.low in OWN_PRONOUNS:
        return True
    proper = t.text[0].isupper() and i > 0 and toks[i - 1].text not in ".!?"
    if not people_noun(t.low, proper):
        if _maybe_people(t.low) and _acts(toks, i) and not _modifier(toks, i):
            return not _depicted(toks, i)
        body = _noun_lemma(t.low)
        if body not in BODY_LANDMARKS and wordnet.is_body_part(body) and not _modifier(toks, i):
            return not (i + 1 < len(toks) and toks[i + 1].low == "of") and not (
                i > 0 and toks[i - 1].word and wordnet.is_noun(_noun_lemma(toks[i - 1].low))
                and toks[i - 1].low not in DETERMINERS and toks[i - 1].low not in POSSESSIVE_PRONOUNS
            )
        return False
    if t.low in PRONOUNS or t.low in HONORIFICS:
        # "washing lines between them": after a preposition, "them" is as often things
        return not (t.low == "them" and i > 0 and toks[i - 1].low in PREPOSITIONS)
    if i + 1 < len(toks) and toks[i + 1].low == "of" and wordnet.first_lexfile(_noun_lemma(t.low)) == wordnet.GROUP_FILE:
        return False  # a flock of starlings, a crowd of tourists: what it is of decides
    if i > 0 and toks[i - 1].word and wordnet.is_material_or_toy(_noun_lemma(toks[i - 1].low)):
        return False  # a toy soldier, a bronze sailor, a wax queen
    return not _modifier(toks, i) and not _depicted(toks, i)


def _names(names: Iterable[str]) -> frozenset[str]:
    if isinstance(names, tuple):
        return _names_of(names)
    return _names_of(tuple(names))


@lru_cache(maxsize=256)
def _names_of(names: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for name in names:
        for part in re.findall(r"[A-Za-z0-9][A-Za-z0-9'-]*", name):
            if len(part) > 1 and part[0].isupper():
                out.add(part.lower())
    return frozenset(out)


def _found(toks: list[_Tok], names: frozenset[str]) -> list[int]:
    return [i for i in range(len(toks)) if _person_at(toks, i, names) and not _negated(toks, i)]


# Parts of a body that machines, creatures and statues have too: no human trait on their own.
SHARED_PARTS = frozenset(
    "eye arm hand head leg foot feet finger joint back shoulder torso neck chest body side "
    "front spine heart tail wing claw limb chassis frame skeleton".split()
)


def noun_lemma(word: str) -> str:
    return _noun_lemma(word)


def human_traits(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Words that give a subject a human body (skin, hair, lips, freckles), not negated."""
    for phrase in allowed:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    toks = _tokens(text)
    out = []
    for i, t in enumerate(toks):
        if not t.word or _negated(toks, i):
            continue
        lemma = _noun_lemma(t.low)
        if lemma in SHARED_PARTS or not wordnet.is_body_part(lemma):
            continue
        out.append(t.text)
    return out


def people_in(text: str, allowed: tuple[str, ...] = (), names: Iterable[str] = ()) -> list[str]:
    """Words in `text` that put a person in the frame; phrases in `allowed` (the ENV guard)
    and negations ("no people") do not count."""
    for phrase in allowed:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    toks = _tokens(text)
    return [toks[i].text for i in _found(toks, _names(names))]


def _article(det: str, following: str) -> str:
    if det.lower() in ("a", "an"):
        det = "an" if following[:1].lower() in "aeiou" else "a"
    return det


def _possessor_start(toks: list[_Tok], i: int) -> tuple[int, str]:
    """Where the possessor phrase ending at i begins, and the determiner it leaves."""
    j = i - 1
    while j >= 0 and j > i - 5 and toks[j].word:
        low = toks[j].low
        if low in ARTICLE_KEEP:
            return j, toks[j].text
        if low in DETERMINERS or low in PREPOSITIONS or low in SUBORDINATORS or low in COORDINATORS:
            break
        if _verbish(toks[j]) and not low.endswith(("ed", "ing")):
            break
        j -= 1
    return j + 1, "the"


def _drop_owners(text: str, names: frozenset[str]) -> str:
    """Possessions lose their owners: "a nurse's trolley" -> "a trolley"."""
    while True:
        toks = _tokens(text)
        for i in _found(toks, names):
            t = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            owner = t.possessive or (
                t.low in POSSESSIVE_PRONOUNS and nxt is not None and nxt.word and nxt.low not in PREPOSITIONS
                and nxt.low not in COORDINATORS and nxt.low not in DETERMINERS
                and (t.low != "her" or nxt.low.endswith("ing") or not _verbish(nxt)))
            if not owner or i + 1 >= len(toks) or not toks[i + 1].word:
                continue
            if t.low in POSSESSIVE_PRONOUNS:
                start, det = i, "the"
            else:
                start, det = _possessor_start(toks, i)
            det = _article(det, toks[i + 1].text)
            if toks[start].text[:1].isupper():
                det = det[0].upper() + det[1:]
            text = text[: toks[start].start] + det + " " + text[toks[i + 1].start :]
            break
        else:
            return text


def _np_bounds(toks: list[_Tok], i: int, lo: int, hi: int) -> tuple[int, int]:
    """The noun phrase around the person at i within [lo, hi): determiner and adjectives
    before it, 'and <another person>' after it."""
    a = i
    if i - 2 >= lo and toks[i - 1].low == "of" and \
            wordnet.first_lexfile(_noun_lemma(toks[i - 2].low)) == wordnet.GROUP_FILE:
        a = i - 2  # "a crowd of commuters" is one phrase
    while a - 1 >= lo and toks[a - 1].word and toks[a - 1].low not in PREPOSITIONS and \
            toks[a - 1].low not in SUBORDINATORS and toks[a - 1].low not in COORDINATORS and \
            not _verbish(toks[a - 1]) and i - a < 4:
        a -= 1
        if toks[a].low in DETERMINERS:
            break
    b = i + 1
    while b + 1 < hi and toks[b].low in ("and", "or"):  # "a trucker and a waitress"
        c = b + 1
        while c < hi and c < b + 4 and not _person_at(toks, c, frozenset()) and toks[c].word and \
                (toks[c].low in DETERMINERS or not wordnet.is_noun(_noun_lemma(toks[c].low))):
            c += 1
        if c < hi and _person_at(toks, c, frozenset()):
            b = c + 1
        else:
            break
    return a, b


def _clauses(toks: list[_Tok]) -> list[tuple[int, int]]:
    """Token ranges of clauses: split at punctuation and before subordinators and 'with'."""
    out, start = [], 0
    for k, t in enumerate(toks):
        if t.text in _BREAK:
            out.append((start, k))
            start = k + 1
        elif k > start and (t.low in SUBORDINATORS or t.low == "with"):
            out.append((start, k))
            start = k
    out.append((start, len(toks)))
    return [(a, b) for a, b in out if b > a]


def _cut_clause(toks: list[_Tok], a: int, b: int, names: frozenset[str]) -> tuple[int, int] | None:
    """The token range to remove from clause [a, b) for its people, or None if it has none."""
    hits = [i for i in _found(toks, names) if a <= i < b]
    if not hits:
        return None
    lead = toks[a].low
    if lead == "with":
        na, _ = _np_bounds(toks, hits[0], a, b)
        if na - 1 > a + 1 and toks[na - 1].low in ("and", "or"):  # "with rows of beds and a patient"
            return na - 1, b
    if lead == "with" and a > 0 and toks[a - 1].word and (
            "ADJ" in _lemmas(toks[a - 1].low) and "NOUN" not in _lemmas(toks[a - 1].low)
            or toks[a - 1].low.endswith("ed")):
        return a - 1, b  # "a room crowded with guests"
    if lead in SUBORDINATORS or lead == "with" or lead in COORDINATORS and hits[0] == a + 1 or \
            lead in COORDINATORS and toks[a + 1].low in DETERMINERS and hits[0] <= a + 4:
        return a, b
    i = hits[0]
    na, nb = _np_bounds(toks, i, a, b)
    if na > a and toks[na - 1].low in PREPOSITIONS:  # "seats for the audience"
        before = toks[na - 2] if na - 2 > a else None
        if before is not None and before.word and (not wordnet.is_noun(_noun_lemma(before.low))
                                                   or "ADJ" in _lemmas(before.low) and "NOUN" not in _lemmas(before.low)
                                                   or before.low.endswith("ed") and "VERB" in _lemmas(before.low)):
            na -= 1  # "manned by two soldiers", "full of tourists", "packed with spectators"
        end = nb
        while end < b and toks[end].low in {"and", "or"} | DETERMINERS or (end < b and _person_at(toks, end, names)):
            end += 1
        if end < b and _verbish(toks[end]):
            end = b
        return na - 1, end
    if na > a and toks[na - 1].word and toks[na - 1].low not in DETERMINERS and \
            wordnet.is_noun(_noun_lemma(toks[na - 1].low)) and not toks[na - 1].low.endswith(("ing", "ed")):
        return na, b  # "a single lamp the bosun left burning": the lamp stays
    if na == a:  # the clause is led by the person: keep what follows its verb
        k = nb
        while k + 1 < b and toks[k].low in ("in", "with") and toks[k + 1].low not in DETERMINERS:
            k += 2  # what the person wears or carries: "workers in overalls at the lathes"
            while k < b and toks[k].word and toks[k].low not in PREPOSITIONS and not _verbish(toks[k]):
                k += 1
        while k < b and (toks[k].low in ADVERBS or toks[k].low in ("and", "of") or _person_at(toks, k, names)
                         or toks[k].low in DETERMINERS and k + 1 < b and _person_at(toks, k + 1, names)):
            k += 1
        if k < b and toks[k].low in PREPOSITIONS and toks[k].low not in ("of", "with"):
            k += 1  # "a crowd of tourists around the fountain" -> "the fountain"
            if k < b and not [j for j in _found(toks, names) if k <= j < b]:
                return a, k
            return a, b
        if k < b and _verbish(toks[k]):
            k += 1
            while k < b and (toks[k].low in PARTICLES or toks[k].low in ADVERBS):
                k += 1
            if k < b and toks[k].low in PREPOSITIONS and toks[k].low not in ("of", "with"):
                k += 1
            rest = [j for j in _found(toks, names) if k <= j < b]
            if k < b and not rest:
                return a, k
        return a, b
    return a, b


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
    return _strip(text.strip(), _names(names))


@lru_cache(maxsize=8192)
def _strip(text: str, known: frozenset[str]) -> str:
    """strip_people of one text (a location recurs across a scene's shots: cached)."""
    toks = _tokens(text)
    if not _found(toks, known):
        return text
    text = _drop_owners(text, known)
    for _ in range(12):
        toks = _tokens(text)
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
