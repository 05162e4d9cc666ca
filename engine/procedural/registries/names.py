"""Names for registry entries: deterministic, unique across the store, saying what the value is.

The same value in the same store state always gets the same name: candidates come in a fixed
order derived from SHA-256 of (registry, aspect, key), never from a per-process hash, and the
first candidate that is free and passes the gibberish check wins. Every form carries the words
of its value (engine.procedural.registries.families): a colour its family's basic term after an evocative
word (Slate Blue), a sound its band and noises (Low Rumble, Low Hum with High Hiss), a motion
its speed and steadiness (Slow Steady Drift), a camera move the move (Slow Steady Pan), a
semantic value its own words (Golden Hour). The last tier appends number words (Two up to
Nine Hundred Ninety Nine Thousand ...), so a free name exists for any registry a store can
hold, and none contains a digit or a made-up word.

`NamePicker` gives the same names as `pick_name` for many entries at once (a backfill's plan):
it remembers, per base of the numbered tier, the first number still free, so naming the
thousandth 'Rapid Accelerating Wave' does not walk past the 999 before it.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from engine.core.errors import DailiesError
from engine.procedural.registries import families as F
from engine.procedural.registries import wordlists as words
from engine.procedural.registries.colour_words import BASIC, EVOCATIVE, WORD_FAMILIES
from engine.procedural.registries.gibberish import is_gibberish
from engine.procedural.registries.keys import (
    CAMERA_MOTIONS,
    CAMERA_SPEEDS,
    CAMERA_STEADINESS,
    RegistryKeyError,
    parse_colour_key,
    semantic_name,
    sound_parts,
)

SEMANTIC_WORD = {
    "genre": "Genre", "mood": "Mood", "style": "Style", "plots": "Plot",
    "settings": "Setting", "themes": "Theme", "scene_type": "Scene",
}
SAMPLES_PER_TIER = 8
MAX_NAME = 60
TONE_MODIFIERS: dict[str, tuple[str, ...]] = {
    "dark": ("Deep", "Dark", "Dusky", "Shadowed"),
    "light": ("Pale", "Light", "Soft", "Washed"),
    "vivid": ("Bright", "Vivid", "Bold", "Radiant"),
    "muted": ("Dusty", "Muted", "Faded", "Quiet"),
}
SHEER_MODIFIERS = ("Sheer", "Veiled", "Glassy", "Translucent", "Faint", "Clear")


def number_words(n: int) -> str:
    """1..999,999 in words: 21 -> 'Twenty One', 305 -> 'Three Hundred Five', 2005 -> 'Two
    Thousand Five'."""
    if n >= 1000:
        rest = n % 1000
        return f"{number_words(n // 1000)} Thousand" + (f" {number_words(rest)}" if rest else "")
    parts: list[str] = []
    if n >= 100:
        parts += [words.NUMBER_WORDS[n // 100 - 1], "Hundred"]
        n %= 100
    if n >= 20:
        parts.append(words.TENS_WORDS[n // 10])
        n %= 10
    if n:
        parts.append(words.NUMBER_WORDS[n - 1])
    return " ".join(parts)


class _Stream:
    """Deterministic picks seeded by SHA-256 of a text (an int seed gives the same sequence
    in every process; `hash()` would not)."""

    def __init__(self, seed: str):
        self._rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"))

    def pick(self, seq):
        return seq[self._rng.randrange(len(seq))]

    def rotated(self, seq) -> list:
        seq = list(seq)
        if not seq:
            return seq
        start = self._rng.randrange(len(seq))
        return seq[start:] + seq[:start]


LONGEST_NUMBER = len("Seven Hundred Seventy Seven")
LAST_NUMBER = 999_999


class NamesExhausted(DailiesError):
    """Every numbered name of a value's bases is in use (a registry far beyond any store)."""


def _numbered_bases(bases: list[str]) -> list[str]:
    """The bases that can carry a number within the length limit, each once, in order; the
    shortest is always among them. A long base (one that says more of its value) takes the
    numbers that fit it; the others go to the shorter ones."""
    kept = [b for b in dict.fromkeys(bases) if len(b) + len(" Two") <= MAX_NAME]
    return kept or [min(bases, key=len)]


def _number_name(base: str, n: int) -> str | None:
    name = f"{base} {number_words(n)}"
    return name if len(name) <= MAX_NAME else None


def _numbered(bases: list[str]) -> Iterator[str]:
    """The last tier: each base with Two, Three ... (real words, never digits), number by
    number, each name within the length limit; past Nine Hundred Ninety Nine the numbers go
    on in thousands, so the tier holds hundreds of thousands of distinct names per base."""
    bases = _numbered_bases(bases)
    for n in range(2, LAST_NUMBER + 1):
        for base in bases:
            name = _number_name(base, n)
            if name is not None:
                yield name


@dataclass(frozen=True)
class Tiers:
    """A value's name candidates: the forms that say it, best first, then the numbered tier
    over `bases`. Iterating gives every candidate in order."""

    forms: list[str]
    bases: list[str]

    def __iter__(self) -> Iterator[str]:
        yield from self.forms
        yield from _numbered(self.bases)


def colour_rgb_of(aspect: str, key: str) -> tuple[float, float, float, float] | None:
    """The RGB (and opacity) a colour entry's key holds: 'R,G,B_opacity', 'R,G,B', or a
    blend's JSON {"r":..,"g":..,"b":..}; None when the key is no colour."""
    try:
        return parse_colour_key(key)
    except RegistryKeyError:
        pass
    try:
        r, g, b = (float(p) for p in key.split(","))
        return r, g, b, 1.0
    except ValueError:
        pass
    if aspect == "blends" and key.startswith("{"):
        try:
            doc = json.loads(key)
            return float(doc["r"]), float(doc["g"]), float(doc["b"]), 1.0
        except (ValueError, KeyError, TypeError):
            return None
    return None


def colour_candidates(seed: str, r: float, g: float, b: float, opacity: float = 1.0) -> Tiers:
    """'Slate Blue', 'Grey Blue' (near the edge of two families), then with a tone word
    ('Dusty Slate Blue'); see-through colours start with a sheer word ('Sheer Slate Blue')."""
    stream = _Stream(seed)
    fam = F.colour_family(r, g, b)
    head = colour_head(r, g, b)
    # the words of the value's own tone (a dark blue is never 'Periwinkle'), then with tone
    # modifiers; the words of the family's other tones never name it
    evocative = [w for w in stream.rotated(EVOCATIVE[fam.family][fam.tone]) if w.lower() not in head.lower().split()]
    forms = ([head] if fam.near else []) + [f"{w} {head}" for w in evocative]
    mods = stream.rotated(TONE_MODIFIERS[fam.tone])
    if opacity < 1.0:
        forms = [f"{s} {f}" for s in stream.rotated(SHEER_MODIFIERS) for f in forms[:6]] + [
            f"{s} {m} {f}" for s in SHEER_MODIFIERS for m in mods for f in forms[:6]]
    else:
        pairs = [f"{a} {b} {head}" for a in evocative for b in evocative if a != b]
        forms += [f"{m} {f}" for m in mods for f in forms if not f.startswith(m)] + pairs
    return Tiers(forms, [f"Sheer {head}" if opacity < 1.0 else head] + forms[:3])


def colour_head(r: float, g: float, b: float) -> str:
    """The basic term(s) a colour's name ends with: 'Blue', or 'Grey Blue' near the edge of
    its family (at most two neighbours: 'Grey Pink Purple')."""
    fam = F.colour_family(r, g, b)
    return " ".join([BASIC[n] for n in fam.near[:2]] + [BASIC[fam.family]])


def completed_colour_name(aspect: str, key: str, name: str) -> str | None:
    """A colour name whose words are all of the value's family but which lacks the family's
    basic term, completed with it ('Slate' on a slate blue -> 'Slate Blue')."""
    rgb = colour_rgb_of(aspect, key)
    if rgb is None:
        return None
    fam = F.colour_family(*rgb[:3])
    said = [WORD_FAMILIES.get(w.lower(), frozenset()) for w in name.split()]
    if not said or not all(f and f & fam.families for f in said):
        return None
    return f"{name} {colour_head(*rgb[:3])}"


def _sound_phrase(amp: float, tone: str, timbre: str) -> str:
    noise = F.NOISE_WORDS[timbre][0]
    if timbre == "silence":
        return noise
    return f"{F.BAND_WORDS[tone][0]} {noise}"


def sound_candidates(seed: str, key: str) -> Tiers:
    """A sound by its band and noises: 'Low Rumble', 'Silence', 'Low Hum with High Hiss',
    'Low Hum with Mid Tone and High Hiss'; then with the loudness of its loudest part."""
    stream = _Stream(seed)
    parts = sound_parts(key)
    phrases = [_sound_phrase(*p) for p in parts[:3]]
    if len(phrases) == 1:
        base = phrases[0]
    elif len(phrases) == 2:
        base = f"{phrases[0]} with {phrases[1]}"
    else:
        base = f"{phrases[0]} with {phrases[1]} and {phrases[2]}"
    amp, tone, timbre = parts[0]
    if timbre == "silence":
        loud = ("Near", "Deep", "Still", "Hushed", "Total", "Quiet", "Calm", "Soft")
    else:
        loud = F.loudness_words(amp)
    forms = [base] + [f"{w} {base}" for w in loud]
    noises = [F.NOISE_WORDS[t][0] for _a, _tone, t in parts[:3]]
    if len(phrases) == 1:
        short = base
    else:
        # each part with its own loudness: 'Soft Low Hum with Faint High Hiss'
        louds = [F.loudness_words(a)[:6] for a, _tone, _t in parts[:3]]
        for l0 in louds[0]:
            for l1 in louds[1]:
                if len(phrases) == 2:
                    forms.append(f"{l0} {phrases[0]} with {l1} {phrases[1]}")
                else:
                    forms.append(f"{l0} {phrases[0]} with {l1} {phrases[1]} and {phrases[2]}")
        short = (f"{phrases[0]} with {noises[1]}" if len(phrases) == 2
                 else f"{phrases[0]} with {noises[1]} and {noises[2]}")
    forms = [f for f in forms if len(f) <= MAX_NAME]
    return Tiers(forms, [short] + stream.rotated(forms[:3]))


def motion_candidates(seed: str, key: str) -> Tiers | None:
    """A motion by its speed and steadiness: 'Slow Steady Drift', 'Fast Accelerating
    Vertical Pulse'; None when the key is no motion key."""
    m = F.parse_motion(key)
    if m is None:
        return None
    stream = _Stream(seed)
    head = [F.motion_speed(m.level)]
    if m.trend:
        head.append(F.TREND_WORDS[m.trend])
    if m.direction:
        head.append(F.DIRECTION_WORDS[m.direction])
    nouns = list(F.RHYTHM_NOUNS.get(m.rhythm or "even", F.RHYTHM_NOUNS["even"]))
    if m.level < 0.5:
        nouns = list(F.RHYTHM_NOUNS["still"])
    nouns = [n for n in nouns if n.lower() not in {h.lower() for h in head}]
    first = nouns[0]
    stem = " ".join(head)
    forms = [f"{stem} {first}"] + [f"{stem} {n}" for n in stream.rotated(nouns[1:])]
    forms += [f"{a} {f}" for a in stream.rotated(F.MOTION_NUANCES) for f in forms[: len(nouns)]]
    return _then_numbered(forms, " ".join(head[:2] + [first]))


def _then_numbered(forms: list[str], short: str | None = None) -> Tiers:
    forms = [f for f in forms if len(f) <= MAX_NAME]
    return Tiers(forms, forms[:4] + ([short] if short else []))


def _camera_parts(key: str) -> tuple[str, str | None, str | None] | None:
    for speed in CAMERA_SPEEDS:
        for steady in CAMERA_STEADINESS:
            suffix = f"_{speed}_{steady}"
            if key.endswith(suffix) and key[: -len(suffix)] in CAMERA_MOTIONS:
                return key[: -len(suffix)], speed, steady
    if key in CAMERA_MOTIONS:
        return key, None, None
    return None


def camera_candidates(seed: str, key: str) -> Tiers | None:
    """A camera move by the move: 'Slow Steady Pan', 'Fast Shaky Whip Pan'; a move stored
    without speed ('pan', from an import) is just 'Pan'. None when the key is no move."""
    parts = _camera_parts(key)
    if parts is None:
        return None
    stream = _Stream(seed)
    move, speed, steady = parts
    name = F.CAMERA_MOVE_NAMES[move]
    if speed is None:
        forms = [name, f"Camera {name}"] + [f"{a} {name}" for a in stream.rotated(F.CAMERA_NUANCES)]
    else:
        stem = f"{F.CAMERA_SPEED_WORDS[speed]} {F.CAMERA_STEADY_WORDS[steady]} {name}"
        forms = [stem] + [f"{a} {stem}" for a in stream.rotated(F.CAMERA_NUANCES)]
    return _then_numbered(forms)


# general modifiers that are no colour words ('Golden' would name a colour)
PLAIN_MODIFIERS = tuple(m for m in words.GENERAL_MODIFIERS if not WORD_FAMILIES.get(m.lower()))
ASPECT_NOUNS: dict[str, str] = {
    "lighting": "Light", "gradient": "Gradient", "composition": "Frame", "audio": "Sound",
}


def _strength_word(text: str) -> str | None:
    try:
        s = float(text)
    except ValueError:
        return None
    return "Soft" if s < 0.34 else "Even" if s < 0.67 else "Strong"


def _audio_stem(key: str) -> str | None:
    """'ambient_calm_slow' (presence, mood, tempo) -> 'Slow Calm Ambience'."""
    parts = key.split("_")
    if len(parts) != 3 or parts[0] not in F.AUDIO_PRESENCE or parts[2] not in F.AUDIO_TEMPO:
        return None
    mood = F.PART_WORDS.get(parts[1])
    if not mood:
        return None
    return f"{F.AUDIO_TEMPO[parts[2]]} {mood} {F.AUDIO_PRESENCE[parts[0]]}"


def parts_candidates(seed: str, aspect: str, key: str) -> Tiers | None:
    """Lighting, gradient, composition and audio keys said in words ('Dim Contrasty Muted
    Light', 'Strong Radial Gradient', 'Slow Calm Ambience'); None when a part has no word."""
    if aspect == "audio":
        stem = _audio_stem(key)
        if stem is None:
            return None
        return _then_numbered([stem] + [f"{a} {stem}" for a in _Stream(seed).rotated(PLAIN_MODIFIERS)])
    said: list[str] = []
    for part in key.replace("extreme_", "extreme ").split("_"):
        for p in part.split():
            word = F.PART_WORDS.get(p)
            if word is None:
                word = _strength_word(p) if aspect == "gradient" else None
            if word is None:
                return None
            if word:
                said.append(word)
    if aspect == "gradient" and len(said) == 2:
        said.reverse()  # the strength before the type: 'Soft Radial Gradient'
    stem = " ".join(dict.fromkeys(said + [ASPECT_NOUNS[aspect]]))
    stream = _Stream(seed)
    return _then_numbered([stem] + [f"{a} {stem}" for a in stream.rotated(PLAIN_MODIFIERS)])


def _thematic(stream: _Stream, family: tuple[str, ...], mods: tuple[str, ...]) -> Tiers:
    forms = stream.rotated(family)
    forms += [f"{stream.pick(family)} {stream.pick(words.PLACE_NOUNS)}" for _ in range(SAMPLES_PER_TIER)]
    forms += [f"{stream.pick(mods)} {stream.pick(family)} {stream.pick(words.PLACE_NOUNS)}"
              for _ in range(SAMPLES_PER_TIER * 2)]
    return Tiers(forms, [f"{stream.pick(family)} {stream.pick(words.PLACE_NOUNS)}" for _ in range(4)])


def candidates(registry: str, aspect: str, key: str) -> Iterator[str]:
    """Every name this entry could take, best first, in a fixed order."""
    return iter(candidate_tiers(registry, aspect, key))


def candidate_tiers(registry: str, aspect: str, key: str) -> Tiers:
    """The entry's name forms and the bases of its numbered tier."""
    seed = f"{registry}|{aspect}|{key}"
    stream = _Stream(seed)
    if registry == "semantic":
        base = semantic_name(key)
        if not is_gibberish(base):
            word = f"{base} {SEMANTIC_WORD.get(aspect, 'Entry')}"
            return Tiers([base, word], [word])
        # a value that is not made of words (only possible for imported text)
        return _thematic(stream, words.PLACE_NOUNS, PLAIN_MODIFIERS)
    if aspect in ("colour", "blends"):
        colour = colour_rgb_of(aspect, key)
        if colour is not None:
            return colour_candidates(seed, *colour)
    if registry == "pure" and aspect == "sound":
        try:
            return sound_candidates(seed, key)
        except RegistryKeyError:
            pass  # a key that is no sound key (only possible for imported text)
    tiers = None
    if aspect == "motion":
        tiers = motion_candidates(seed, key)
    elif aspect == "camera":
        tiers = camera_candidates(seed, key)
    elif aspect in ASPECT_NOUNS:
        tiers = parts_candidates(seed, aspect, key)
    if tiers is not None:
        return tiers
    family = words.ASPECT_WORDS.get(aspect, words.ASPECT_WORDS["blends"])
    return _thematic(stream, family, words.GENERAL_MODIFIERS)


def pick_name(registry: str, aspect: str, key: str, taken: Callable[[str], bool]) -> str:
    """The first candidate that is free (`taken` says no) and passes the gibberish check."""
    for name in candidates(registry, aspect, key):
        if not is_gibberish(name) and not taken(name):
            return name
    raise _exhausted(registry, aspect, key)


def _exhausted(registry: str, aspect: str, key: str) -> NamesExhausted:
    return NamesExhausted(f"every name for {registry} {aspect} '{key}' is in use, up to number {LAST_NUMBER:,}")


class NamePicker:
    """`pick_name` for many entries against one growing set of names in use: the same name
    for each entry as `pick_name` would give in turn, with each numbered base's first free
    number remembered (names are only ever added to `taken`, so it never goes back)."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken: set[str] = set(taken)
        self._next: dict[str, int] = {}

    def claim(self, name: str) -> str:
        self.taken.add(name)
        return name

    def _free(self, name: str | None) -> bool:
        return name is not None and name not in self.taken and not is_gibberish(name)

    def _first_number(self, base: str) -> int | None:
        n = self._next.get(base, 2)
        while n <= LAST_NUMBER and not self._free(_number_name(base, n)):
            n += 1
        self._next[base] = n
        return n if n <= LAST_NUMBER else None

    def pick(self, registry: str, aspect: str, key: str) -> str:
        """The entry's first free candidate, claimed."""
        tiers = candidate_tiers(registry, aspect, key)
        for name in tiers.forms:
            if self._free(name):
                return self.claim(name)
        best: tuple[int, int] | None = None
        for i, base in enumerate(_numbered_bases(tiers.bases)):
            n = self._first_number(base)
            if n is not None and (best is None or (n, i) < best):
                best = (n, i)
        if best is None:
            raise _exhausted(registry, aspect, key)
        return self.claim(f"{_numbered_bases(tiers.bases)[best[1]]} {number_words(best[0])}")


def pick_name_batched(
    registry: str, aspect: str, key: str, taken_among: Callable[[list[str]], Iterable[str]],
    *, batch: int = 24,
) -> str:
    """pick_name's answer, asking about candidates a batch at a time: `taken_among(names)`
    returns those of `names` already in use (one database query instead of one per name)."""
    stream = candidates(registry, aspect, key)
    size = batch
    while True:
        names = [n for n in islice(stream, size) if not is_gibberish(n)]
        if names:
            taken = set(taken_among(names))
            for n in names:
                if n not in taken:
                    return n
        size = min(size * 2, 500)
