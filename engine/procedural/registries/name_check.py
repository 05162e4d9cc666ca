"""Does a name say what its value is? The one check backfill, health and the benches use.

A colour's name must carry a word of its value's family and no word of another family
('Flax' names a yellow, the value is a greyish blue); a sound's name the words of its noises
and its band; a motion's name its speed and steadiness; a camera move's name the move; a
semantic value's name its own words. `meaning_problem` says what is wrong, in a sentence,
or None. Gibberish is checked first (engine.procedural.registries.gibberish).
"""

from __future__ import annotations

import re

from engine.procedural.registries import families as F
from engine.procedural.registries.colour_words import BASIC
from engine.procedural.registries.gibberish import gibberish_reason
from engine.procedural.registries.keys import RegistryKeyError, semantic_name, sound_parts
from engine.procedural.registries.names import (
    ASPECT_NOUNS,
    _camera_parts,
    colour_rgb_of,
    parts_candidates,
)

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# the aspects whose names are checked against their value (others: gibberish only)
CHECKED = ("colour", "sound", "motion", "camera")
# the basic colour terms a colour's name must carry (a plain 'Plum' leaves a reader guessing)
BASIC_WORDS = {**{w.lower(): fam for fam, w in BASIC.items()}, "gray": "grey"}


def name_words(name: str) -> list[str]:
    """The words of a name, lower-cased; CamelCase compounds split (DarkLilac: dark, lilac)."""
    return [w.lower() for w in _WORDS.findall(name.replace("'s", ""))]


def _article(text: str) -> str:
    return f"an {text}" if text[:1] in "aeiou" else f"a {text}"


def colour_problem(name: str, r: float, g: float, b: float) -> str | None:
    fam = F.colour_family(r, g, b)
    value = fam.describe()
    said = [(w, F.families_of_word(w)) for w in name_words(name)]
    said = [(w, fams) for w, fams in said if fams]
    right = [w for w, fams in said if fams & fam.families]
    wrong = [(w, fams) for w, fams in said if not fams & fam.families]
    if wrong:
        word, fams = wrong[0]
        other = " or ".join(sorted(fams))
        return f"'{name}' names {_article(other)}" + (f" ('{word}')" if len(said) > 1 else "") + f", the value is {value}"
    if not right:
        return f"'{name}' names no colour, the value is {value}"
    if not any(w in BASIC_WORDS and BASIC_WORDS[w] in fam.families for w, _f in said):
        return f"'{name}' does not say {fam.family}, the value is {value}"
    return None


def _has(words: set[str], options) -> bool:
    return any(o.lower() in words for o in options)


def sound_problem(name: str, key: str) -> str | None:
    try:
        parts = sound_parts(key)
    except RegistryKeyError:
        return None
    words = set(name_words(name))
    what = _article(" and ".join("silence" if t == "silence" else f"{tone} {t}" for _a, tone, t in parts[:3]))
    missing = [t for _a, _tone, t in parts[:3] if not _has(words, F.NOISE_WORDS[t])]
    if missing:
        return f"'{name}' does not say {', '.join(missing)}, the sound is {what}"
    for _a, tone, timbre in parts[:1]:
        if timbre != "silence" and not _has(words, F.BAND_WORDS[tone]):
            return f"'{name}' does not say its band ({tone}), the sound is {what}"
    return None


def motion_problem(name: str, key: str) -> str | None:
    m = F.parse_motion(key)
    if m is None:
        return None
    words = set(name_words(name))
    speed = F.motion_speed(m.level).lower()
    what = f"a {speed}" + (f" {F.TREND_WORDS[m.trend].lower()}" if m.trend else "") + f" motion (level {m.level:g})"
    other_speeds = (words & F.SPEED_WORDS) - {speed}
    if speed not in words:
        if other_speeds:
            return f"'{name}' says {sorted(other_speeds)[0]}, the value is {what}"
        return f"'{name}' does not say its speed, the value is {what}"
    if m.trend and F.TREND_WORDS[m.trend].lower() not in words:
        return f"'{name}' does not say its steadiness, the value is {what}"
    return None


def camera_problem(name: str, key: str) -> str | None:
    parts = _camera_parts(key)
    if parts is None:
        return None
    move = parts[0]
    if not _has(set(name_words(name)), F.CAMERA_MOVE_WORDS[move]):
        return f"'{name}' does not name the move, the value is a {move.replace('_', ' ')} camera move"
    return None


def parts_problem(name: str, aspect: str, key: str) -> str | None:
    """Lighting, gradient, composition and audio: the name says each part of the key."""
    forms = parts_candidates("", aspect, key)
    if forms is None:
        return None
    wanted = [w for w in name_words(next(iter(forms))) if w != ASPECT_NOUNS[aspect].lower()]
    have = set(name_words(name))
    missing = [w for w in wanted if w not in have]
    if missing:
        return f"'{name}' does not say {', '.join(missing)}, the value is {aspect} '{key}'"
    return None


def semantic_problem(name: str, aspect: str, key: str) -> str | None:
    wanted = name_words(semantic_name(key))
    have = set(name_words(name))
    if wanted and not all(w in have for w in wanted):
        return f"'{name}' does not say the {aspect.replace('_', ' ')} '{key}'"
    return None


def meaning_problem(registry: str, aspect: str, key: str, name: str) -> str | None:
    """Why `name` does not say what the value of (registry, aspect, key) is, or None."""
    if aspect in ("colour", "blends"):
        rgb = colour_rgb_of(aspect, key)
        if rgb is not None:
            return colour_problem(name, *rgb[:3])
        return None
    if registry == "pure" and aspect == "sound":
        return sound_problem(name, key)
    if aspect == "motion":
        return motion_problem(name, key)
    if aspect == "camera":
        return camera_problem(name, key)
    if registry == "semantic":
        return semantic_problem(name, aspect, key)
    if aspect in ASPECT_NOUNS:
        return parts_problem(name, aspect, key)
    return None


def name_problem(registry: str, aspect: str, key: str, name: str, *, is_origin: bool = False) -> str | None:
    """Gibberish first, then meaning (an origin keeps its own name)."""
    reason = gibberish_reason(name)
    if reason is not None or is_origin:
        return reason
    return meaning_problem(registry, aspect, key, name)
