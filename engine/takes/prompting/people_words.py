"""Which words put a person in the frame: pronouns, honorifics, the episode's character
names, and nouns whose leading WordNet sense is a person or a group of people (occupations
and roles, kinship, demonyms, crowds and crews; engine.takes.prompting.wordnet), read in context:
negated ("no people"), depicted ("a statue of a sailor"), modifying another noun ("a guard
rail"), or an adjective ("crisp white sheets"), such a word puts nobody there. A word with a
person among other senses (an operator, medics) counts where the context says so: it owns
something, or, plural, it does something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lemminflect import getAllLemmas, getAllLemmasOOV

from engine.takes.prompting import wordnet
from engine.takes.prompting.presence_config import presence_words

PRONOUNS = frozenset(
    "he she him himself herself they them themselves someone somebody anyone anybody everyone "
    "everybody whoever i me myself we us ourselves you yourself yourselves".split()
)
POSSESSIVE_PRONOUNS = frozenset("his her their my our your".split())
OWN_PRONOUNS = frozenset("hers theirs ours yours".split())
HONORIFICS = frozenset("mr mrs ms mx dr sir madam".split())
# Words for a person seen but not made out; WordNet has them first as diagrams and outlines.
# "A silhouette of the hills" and "a wax figure" are still no one.
FIGURE_WORDS = frozenset("figure figures silhouette silhouettes".split())
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
BREAK = frozenset(",;:.!?()[]—–")


@dataclass
class Tok:
    text: str
    low: str  # lower case, possessive ending removed
    possessive: bool
    start: int
    end: int

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()


def tokens(text: str) -> list[Tok]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        t = m.group(0)
        low = t.lower().replace("’", "'")
        poss = False
        if low.endswith("'s") and len(low) > 2:
            low, poss = low[:-2], True
        elif low.endswith("'") and len(low) > 1:
            low, poss = low[:-1], True
        out.append(Tok(t, low, poss, m.start(), m.end()))
    return out


@lru_cache(maxsize=65536)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    return getAllLemmas(word)


@lru_cache(maxsize=65536)
def noun_lemma(word: str) -> str:
    nouns = lemmas(word).get("NOUN") or getAllLemmasOOV(word, "NOUN").get("NOUN") or ()
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
    lemma = noun_lemma(word)
    return wordnet.is_people_noun(lemma, proper)


@lru_cache(maxsize=65536)
def _maybe_people(word: str) -> bool:
    return "-" not in word and wordnet.has_people_sense(noun_lemma(word))


def _next_verb(toks: list[Tok], i: int) -> tuple[Tok | None, bool, bool]:
    """The word after the noun at i (past adverbs), and whether it is a participle or
    finite verb ("roaring", "dance", "cheered") and whether it is a bare base form."""
    j = i + 1
    while j < len(toks) and toks[j].low in ADVERBS:
        j += 1
    if j >= len(toks) or not toks[j].word:
        return None, False, False
    nxt = toks[j]
    lem = lemmas(nxt.low)
    base = not nxt.low.endswith("ed") and "VERB" in lem and lem["VERB"][0] == nxt.low
    acting = nxt.low.endswith(("ing", "ed")) and verbish(nxt) or base and not wordnet.is_noun(nxt.low)
    return nxt, acting, base


def _subject(toks: list[Tok], i: int) -> bool:
    """The noun at i opens its clause's noun phrase: a determiner, or nothing, before it."""
    return i == 0 or not toks[i - 1].word or toks[i - 1].low in DETERMINERS or toks[i - 1].low in SUBORDINATORS


def _acts(toks: list[Tok], i: int) -> bool:
    """Evidence that a word with a person among its other senses (an operator, a nanny,
    medics, Norwegians) means people here: it owns something, it is a capitalised plural (a
    people, not a language), or it is the subject of a verb ("a model posing", "the fans
    roaring"); a word that is first a thing (a fan, a plant) only as a plural doing what
    people do."""
    t = toks[i]
    plural = t.low != noun_lemma(t.low)
    if plural and t.text[0].isupper():
        return True
    if i >= 2 and toks[i - 1].low == "of" and wordnet.first_lexfile(noun_lemma(toks[i - 2].low)) == wordnet.GROUP_FILE:
        return True  # a crowd of commuters, a picket line of strikers
    thing_first = wordnet.first_lexfile(noun_lemma(t.low)) in wordnet.THING_FILES | {5, 10, 20, 27}
    if t.possessive and not thing_first:  # not a doll's house
        return True
    nxt, acting, base = _next_verb(toks, i)
    if nxt is None:
        return False
    if not plural:  # "a nanny rocking the cradle", "the faithful kneeling"; not "a gallery lined"
        return not thing_first and acting and not nxt.low.endswith("ed") and _subject(toks, i)
    if not thing_first:
        return acting
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and prev.word and prev.low not in FUNCTION_WORDS and not prev.possessive \
            and wordnet.is_noun(noun_lemma(prev.low)) and "ADJ" not in lemmas(prev.low):
        return False  # a noun before it makes it a thing: "ceiling fans humming"
    if not (acting or base):
        return False
    # first a thing (commuter trains, the plant medic): people only if they think, eat, compete
    # or deal with each other ("commuters reading", "medics sort bandages", "fans roaring")
    verb = lemmas(nxt.low).get("VERB", (nxt.low,))[0]
    return wordnet.verb_file(verb) in wordnet.HUMAN_VERB_FILES


def _nominal_adjective(toks: list[Tok], i: int) -> bool:
    """An adjective standing for people: "the locals dancing", "a local haggling"."""
    t = toks[i]
    lemma = noun_lemma(t.low)
    if "ADJ" not in lemmas(lemma) or wordnet.has_people_sense(lemma) or not wordnet.adjective_first(lemma):
        return False
    plural = t.low != lemma
    if not plural and not (i > 0 and (toks[i - 1].low in ("a", "an") and "NOUN" in lemmas(t.low)
                                      or toks[i - 1].low == "the" and not wordnet.is_noun(lemma))):
        return False  # "a local haggling", "the devout praying at the shrine"
    if t.possessive:
        return plural
    nxt, acting, base = _next_verb(toks, i)
    if nxt is not None and (not plural and acting or plural and base):
        # "a local haggling over", "the locals dance around"; not "a level crossing",
        # "a single flickering tube", "the singles bar sign"
        k = toks.index(nxt) + 1
        acting = k < len(toks) and toks[k].low != "of" and (toks[k].low in PREPOSITIONS or toks[k].low in DETERMINERS)
    return acting and _subject(toks, i)


def verbish(tok: Tok) -> bool:
    """An inflected verb form (works, gathered, unloading, sat)."""
    lem = lemmas(tok.low)
    verbs = lem.get("VERB")
    if not verbs:
        return False
    if tok.low.endswith(("ing", "ed")) or verbs[0] != tok.low:
        return True
    return "NOUN" not in lem and "ADJ" not in lem


def _modifier(toks: list[Tok], i: int) -> bool:
    """The person noun at i only modifies the noun after it (guard rail, crew quarters)."""
    if toks[i].possessive or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    if not nxt.word or nxt.low in PREPOSITIONS or nxt.low in DETERMINERS or people_noun(nxt.low):
        return False
    if not wordnet.is_noun(noun_lemma(nxt.low)):
        return False
    if "ADJ" in lemmas(toks[i].low) and not nxt.low.endswith("ing"):
        return True  # an adjective before its noun: "crisp white sheets", "a native plant"
    if toks[i].low != noun_lemma(toks[i].low):  # a plural person noun is not a modifier
        return False
    if nxt.low.endswith(("ing", "ed")):
        return False
    verbs = lemmas(nxt.low).get("VERB")
    if verbs and nxt.low.endswith("s"):
        # "the guard watches" (a verb after a determined noun) against "crew quarters"
        if i > 0 and toks[i - 1].word and toks[i - 1].low not in PREPOSITIONS:
            return False  # "the guard watches", "a ticket clerk yawns"
        return wordnet.noun_weight(noun_lemma(nxt.low)) >= wordnet.verb_weight(verbs[0])
    if verbs and verbs[0] != nxt.low:  # "the teacher left", "a sentry sat"
        return False
    return True


FUNCTION_WORDS = PREPOSITIONS | DETERMINERS | COORDINATORS | SUBORDINATORS | frozenset("i in is it be".split())


def _made_as(tok: Tok) -> bool:
    """A material or a toy (stone, bronze, wax, toy), not a function word that WordNet also
    lists as a chemical element (at, in, i)."""
    return tok.word and tok.low not in FUNCTION_WORDS and wordnet.is_material_or_toy(noun_lemma(tok.low))


def _worn_as_a_thing(tok: Tok) -> bool:
    """A participle of what only happens to things (rusted, corroded, rotted)."""
    if not tok.word or not tok.low.endswith(("ed", "en")):
        return False
    verbs = lemmas(tok.low).get("VERB")
    return bool(verbs) and verbs[0] != tok.low and wordnet.things_only_verb(verbs[0])


def _among_likenesses(toks: list[Tok], i: int) -> bool:
    """Figures in a clause that speaks of wax, bronze, statues or portraits are likenesses."""
    a = i
    while a > 0 and toks[a - 1].text not in BREAK:
        a -= 1
    b = i
    while b < len(toks) and toks[b].text not in BREAK:
        b += 1
    for t in toks[a:b]:
        if t.word and t is not toks[i]:
            if _made_as(t) or t.low not in FUNCTION_WORDS and _depiction(t.low):
                return True
    return False


def _depicted(toks: list[Tok], i: int) -> bool:
    """The person at i is what a statue, portrait or photograph shows (its 'of' object)."""
    j = i - 1
    while j >= 0 and toks[j].word and toks[j].low not in PREPOSITIONS and j > i - 5:
        j -= 1
    if j < 1 or toks[j].low != "of":
        return False
    head = toks[j - 1]
    return head.word and _depiction(head.low)


def _depiction(word: str) -> bool:
    lemma = noun_lemma(word)
    return lemma in presence_words().depiction_nouns or wordnet.is_depiction(lemma)


def _in_record(toks: list[Tok], i: int) -> bool:
    """Figures in or on a written record are numbers: "figures in the ledger"."""
    if i + 1 >= len(toks) or toks[i + 1].low not in ("in", "on", "across", "from"):
        return False
    for t in toks[i + 2 : i + 5]:
        if not t.word:
            return False
        if t.low in DETERMINERS or t.low in POSSESSIVE_PRONOUNS:
            continue
        lemma = noun_lemma(t.low)
        if wordnet.is_noun(lemma) and "ADJ" not in lemmas(t.low):
            return wordnet.first_lexfile(lemma) in presence_words().record_lexfiles
    return False


def _negated(toks: list[Tok], i: int) -> bool:
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


def person_at(toks: list[Tok], i: int, names: frozenset[str]) -> bool:
    t = toks[i]
    if not t.word:
        return False
    if t.low in names:
        return True
    if t.low in NEGATORS:  # "where nobody has slept"
        return False
    if t.low in FIGURE_WORDS:
        after_of = i + 1 < len(toks) and toks[i + 1].low == "of"
        made = i > 0 and toks[i - 1].word and (_made_as(toks[i - 1])
                                               or wordnet.is_noun(noun_lemma(toks[i - 1].low))
                                               and toks[i - 1].low not in DETERMINERS)
        return not after_of and not made and not _depicted(toks, i) and not _among_likenesses(toks, i) \
            and not _in_record(toks, i)
    if t.low in POSSESSIVE_PRONOUNS or t.low in OWN_PRONOUNS:
        return True
    if t.text[0].isupper() and t.low not in HONORIFICS and (
            i + 1 < len(toks) and toks[i + 1].word and toks[i + 1].text[0].isupper()
            or i > 0 and toks[i - 1].low in ("st", "saint")):
        return False  # part of a proper name: St Paul's Cathedral, Kings Cross, Queen Mary
    if t.text[0].isupper() and i > 0 and toks[i - 1].word and toks[i - 1].text[0].isupper() \
            and toks[i - 1].low not in FUNCTION_WORDS and toks[i - 1].low not in HONORIFICS:
        return False  # the end of a name: the Pilgrim Fathers memorial, plaques to the Founding Fathers
    proper = t.text[0].isupper() and i > 0 and toks[i - 1].text not in ".!?"
    if not people_noun(t.low, proper):
        if (_maybe_people(t.low) and _acts(toks, i) or _nominal_adjective(toks, i)) and not _modifier(toks, i):
            return not _depicted(toks, i)
        body = noun_lemma(t.low)
        if body not in BODY_LANDMARKS and wordnet.is_body_part(body) and not _modifier(toks, i):
            return not (i + 1 < len(toks) and toks[i + 1].low == "of") and not (
                i > 0 and toks[i - 1].word and wordnet.is_noun(noun_lemma(toks[i - 1].low))
                and toks[i - 1].low not in DETERMINERS and toks[i - 1].low not in POSSESSIVE_PRONOUNS
            )
        return False
    if t.low in PRONOUNS or t.low in HONORIFICS:
        # "washing lines between them": after a preposition, "them" is as often things
        return not (t.low == "them" and i > 0 and toks[i - 1].low in PREPOSITIONS)
    if i + 1 < len(toks) and toks[i + 1].low == "of" and wordnet.first_lexfile(noun_lemma(t.low)) == wordnet.GROUP_FILE:
        return False  # a flock of starlings, a crowd of tourists: what it is of decides
    if i > 0 and _made_as(toks[i - 1]):
        return False  # a toy soldier, a bronze sailor, a wax queen
    if i > 0 and toks[i - 1].word and toks[i - 1].low not in FUNCTION_WORDS and wordnet.is_imaginary(noun_lemma(t.low)) \
            and wordnet.is_noun(noun_lemma(toks[i - 1].low)) and "ADJ" not in lemmas(toks[i - 1].low):
        return False  # garden gnomes, a resin angel: figurines
    if i > 0 and _worn_as_a_thing(toks[i - 1]):
        return False  # a rusted rover, a corroded knight
    return not _modifier(toks, i) and not _depicted(toks, i)


def name_set(names: Iterable[str]) -> frozenset[str]:
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


def found_people(toks: list[Tok], names: frozenset[str]) -> list[int]:
    return [i for i in range(len(toks)) if person_at(toks, i, names) and not _negated(toks, i)]


# Parts of a body that machines, creatures and statues have too: no human trait on their own.
SHARED_PARTS = frozenset(
    "eye arm hand head leg foot feet finger joint back shoulder torso neck chest body side "
    "front spine heart tail wing claw limb chassis frame skeleton".split()
)


def human_traits(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Words that give a subject a human body (skin, hair, lips, freckles), not negated."""
    for phrase in allowed:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    toks = tokens(text)
    out = []
    for i, t in enumerate(toks):
        if not t.word or _negated(toks, i):
            continue
        lemma = noun_lemma(t.low)
        if lemma in SHARED_PARTS or not wordnet.is_body_part(lemma):
            continue
        out.append(t.text)
    return out


def people_in(text: str, allowed: tuple[str, ...] = (), names: Iterable[str] = ()) -> list[str]:
    """Words in `text` that put a person in the frame; phrases in `allowed` (the ENV guard)
    and negations ("no people") do not count."""
    for phrase in allowed:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    toks = tokens(text)
    return [toks[i].text for i in found_people(toks, name_set(names))]
