"""Names for registry entries: deterministic, unique across the store, meaningful.

The same value in the same store state always gets the same name: candidates come in a fixed
order derived from SHA-256 of (registry, aspect, key), never from a per-process hash, and the
first candidate that is free and passes the gibberish check wins. Colours are named from their
colour family (a grey-blue: Slate, Flint, Steel...), semantic values by their own words in
Title Case, other aspects from thematic words, compounds (Mistlight) and short phrases. The
last tier appends number words, so a free name always exists and none contains a digit.
"""

from __future__ import annotations

import colorsys
import hashlib
import random
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from engine.registries import wordlists as words
from engine.registries.gibberish import is_gibberish
from engine.registries.keys import (
    COMPOSITE_SEPARATOR,
    RegistryKeyError,
    parse_colour_key,
    parse_composite_sound_key,
    semantic_name,
)

SEMANTIC_WORD = {
    "genre": "Genre", "mood": "Mood", "style": "Style", "plots": "Plot",
    "settings": "Setting", "themes": "Theme", "scene_type": "Scene",
}
SAMPLES_PER_TIER = 8


def colour_family(r: float, g: float, b: float, opacity: float = 1.0) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(family words, modifiers) for an RGB colour: neutrals by lightness, hues by
    saturation, dark oranges as browns; see-through colours get sheer modifiers."""
    h, lightness, s = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    spread = max(r, g, b) - min(r, g, b)
    if opacity < 1.0:
        mods = words.COLOUR_MODIFIERS["sheer"]
    elif lightness < 0.3:
        mods = words.COLOUR_MODIFIERS["dark"]
    elif lightness > 0.75:
        mods = words.COLOUR_MODIFIERS["light"]
    elif s < 0.35:
        mods = words.COLOUR_MODIFIERS["muted"]
    else:
        mods = words.COLOUR_MODIFIERS["vivid"]
    if spread < 20 or s < 0.12:
        band = ("dark" if lightness < 0.2 else "middark" if lightness < 0.45
                else "midlight" if lightness < 0.8 else "light")
        return words.NEUTRAL_BY_LIGHTNESS[band], mods
    deg = h * 360
    hue = ("red" if deg < 15 or deg >= 345 else "orange" if deg < 45 else "yellow" if deg < 70
           else "green" if deg < 160 else "cyan" if deg < 200 else "blue" if deg < 255
           else "purple" if deg < 290 else "pink")
    if hue in ("orange", "red", "yellow") and lightness < 0.4 and s < 0.8:
        return words.BROWNS, mods
    table = words.MUTED_BY_HUE if s < 0.35 else words.VIVID_BY_HUE
    return table[hue], mods


def _colour_of(key: str) -> tuple[float, float, float, float] | None:
    try:
        return parse_colour_key(key)
    except RegistryKeyError:
        pass
    try:
        r, g, b = (float(p) for p in key.split(","))
        return r, g, b, 1.0
    except ValueError:
        return None


def number_words(n: int) -> str:
    """1..999 in words: 21 -> 'Twenty One', 305 -> 'Three Hundred Five'."""
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


def _loudness_words(amplitude: float) -> tuple[str, ...]:
    for upper, mods in words.LOUDNESS_MODIFIERS:
        if amplitude < upper:
            return mods
    return words.LOUDNESS_MODIFIERS[-1][1]


def composite_candidates(key: str) -> Iterator[str]:
    """Names for a mixture of sounds: a compound of its parts' feel, loudest first
    (Drone-Whisper), then with the loudness of its loudest part (Soft Drone-Whisper), then
    with a place noun, then numbered; at most three parts are named (a fourth and later are
    quieter than all three). Every candidate stays under the 60-character limit."""
    stream = _Stream(f"pure|sound|{key}")
    parts = parse_composite_sound_key(key)
    feels = [words.SOUND_FEEL[timbre] for _a, _tone, timbre in parts[:3]]
    mods = _loudness_words(parts[0][0])

    def compound() -> str:
        return "-".join(stream.pick(f) for f in feels)

    combos = [""]
    for f in feels:
        combos = [f"{c}-{w}" if c else w for c in combos for w in f]
    start = stream.pick(range(len(combos)))
    yield from combos[start:] + combos[:start]
    for _ in range(SAMPLES_PER_TIER * 2):
        yield f"{stream.pick(mods)} {compound()}"
    for _ in range(SAMPLES_PER_TIER * 2):
        yield f"{compound()} {stream.pick(words.PLACE_NOUNS)}"
    for _ in range(SAMPLES_PER_TIER * 2):
        yield f"{stream.pick(mods)} {compound()} {stream.pick(words.PLACE_NOUNS)}"
    base = "-".join(stream.pick(f) for f in feels[:2])
    n = 2
    while True:
        if n > 999:
            base, n = "-".join(stream.pick(f) for f in feels[:2]), 2
        yield f"{base} {number_words(n)}"
        n += 1


def candidates(registry: str, aspect: str, key: str) -> Iterator[str]:
    """Every name this entry could take, best first, in a fixed order (infinite)."""
    if registry == "pure" and aspect == "sound" and COMPOSITE_SEPARATOR in key:
        try:
            yield from composite_candidates(key)
            return
        except RegistryKeyError:
            pass  # not a valid mixture (only possible for imported text): named as any sound
    stream = _Stream(f"{registry}|{aspect}|{key}")
    nouns = words.PLACE_NOUNS
    colour = _colour_of(key) if aspect == "colour" else None
    if registry == "semantic":
        base = semantic_name(key)
        yield base
        yield f"{base} {SEMANTIC_WORD.get(aspect, 'Entry')}"
        family, mods = nouns, words.GENERAL_MODIFIERS
    elif colour is not None:
        family, mods = colour_family(*colour)
    else:
        family = words.ASPECT_WORDS.get(aspect, words.ASPECT_WORDS["blends"])
        mods = words.GENERAL_MODIFIERS
    start = stream.pick(range(len(family)))
    yield from family[start:] + family[:start]
    for _ in range(SAMPLES_PER_TIER):
        if colour is not None:
            yield f"{stream.pick(mods)} {stream.pick(family)}"
        else:
            yield (stream.pick(words.ROOTS) + stream.pick(words.ENDINGS)).capitalize()
    for _ in range(SAMPLES_PER_TIER):
        yield f"{stream.pick(family)} {stream.pick(nouns)}"
    for _ in range(SAMPLES_PER_TIER * 2):
        yield f"{stream.pick(mods)} {stream.pick(family)} {stream.pick(nouns)}"
    base = f"{stream.pick(family)} {stream.pick(nouns)}"
    n = 2
    while True:
        if n > 999:
            base, n = f"{stream.pick(family)} {stream.pick(nouns)}", 2
        yield f"{base} {number_words(n)}"
        n += 1


def pick_name(registry: str, aspect: str, key: str, taken: Callable[[str], bool]) -> str:
    """The first candidate that is free (`taken` says no) and passes the gibberish check."""
    for name in candidates(registry, aspect, key):
        if not is_gibberish(name) and not taken(name):
            return name
    raise AssertionError("unreachable: the candidate stream is infinite")


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
