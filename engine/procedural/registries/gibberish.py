"""Is a registry name gibberish? The one check the whole engine uses.

A good name is one or more real words or well-formed compounds (Slate, Mistlight, Golden
Hour). Rejected: digits (Violet3560, Novel47799), aspect prefixes and underscores
(theme_dawnure, sound_bloom), letters outside words, 'q' without 'u', long runs of
consonants or vowels, long strict consonant-vowel chains and repeated syllables
(Qitudaterara, Lokofacixofa, Dimalaqabela), and a known root glued to a made-up ending
(Dawnure, Vineine, Warmnel). `gibberish_reason` says which rule fired.
"""

from __future__ import annotations

import re
from functools import lru_cache

from engine.procedural.registries import wordlists as words

ASPECT_PREFIXES = (
    "theme", "themes", "sound", "plot", "plots", "setting", "settings", "scene", "genre",
    "mood", "style", "color", "colour", "motion", "camera", "gradient", "blend", "lighting",
    "composition", "audio", "novel", "entry",
)
_PREFIX_RE = re.compile(r"^({})[_\-:]".format("|".join(ASPECT_PREFIXES)), re.IGNORECASE)
_ALLOWED_RE = re.compile(r"^[A-Za-z]+(?:[ '\-][A-Za-z]+)*$")
_VOWELS = set("aeiouy")
_MADE_UP_ENDINGS = frozenset((
    "ure", "nel", "ine", "ow", "ber", "ar", "ver", "lyn", "ace", "ein", "in", "al", "wyn",
    "vet", "ix", "ish", "ora", "ton", "en", "or", "um", "tor",
))


def _single_words() -> set[str]:
    found = {w.lower() for w in words.ROOTS + words.BROWNS}
    for table in (words.NEUTRAL_BY_LIGHTNESS, words.MUTED_BY_HUE, words.VIVID_BY_HUE,
                  words.ASPECT_WORDS, words.COLOUR_MODIFIERS):
        for group in table.values():
            found.update(w.lower() for w in group)
    found.update(("lune", "lume", "vine", "sky", "pearl", "dew", "bloom", "soft", "deep"))
    return {w for w in found if len(w) >= 3}


_ROOTS = frozenset(_single_words())
KNOWN_WORDS = words.KNOWN_WORDS
_MAX_CONSONANT_RUN = 4
_MAX_VOWEL_RUN = 3
_VOWEL_RUN_RE = re.compile("[aeiou]{" + str(_MAX_VOWEL_RUN + 1) + ",}")


def _cv_syllables(word: str) -> list[str] | None:
    """The word split into consonant+vowel pairs, or None if it is not a strict CV chain."""
    if len(word) % 2:
        return None
    pairs = [word[i : i + 2] for i in range(0, len(word), 2)]
    for p in pairs:
        if p[0] in _VOWELS or p[1] not in _VOWELS:
            return None
    return pairs


@lru_cache(maxsize=65536)
def _word_reason(word: str) -> str | None:
    w = word.lower()
    if w in KNOWN_WORDS:
        return None
    if re.search(r"q(?!u)", w):
        return f"'{word}' has a q without u"
    run = 0
    for ch in w:
        run = run + 1 if ch not in _VOWELS else 0
        if run > _MAX_CONSONANT_RUN:
            return f"'{word}' has more than {_MAX_CONSONANT_RUN} consonants in a row"
    if _VOWEL_RUN_RE.search(w):
        return f"'{word}' has more than {_MAX_VOWEL_RUN} vowels in a row"
    if word[1:] != word[1:].lower():
        # A compound written in CamelCase (DarkLilac, CoolSilver) is as good as its parts.
        parts = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", word)
        if (len(parts) < 2 or "".join(parts) != word
                or any(len(p) < 3 and p.lower() not in KNOWN_WORDS for p in parts)):
            return f"'{word}' has a capital letter inside the word"
        for part in parts:
            reason = _word_reason(part.capitalize())
            if reason:
                return reason
        return None
    if re.search(r"(.)\1\1", w):
        return f"'{word}' repeats a letter three times"
    if re.search(r"([a-z]{3,})\1", w):
        return f"'{word}' repeats a part of itself"
    if len(w) > 2 and not any(ch in _VOWELS for ch in w):
        return f"'{word}' has no vowel"
    syllables = _cv_syllables(w)
    if syllables and len(syllables) >= 5:
        return f"'{word}' is a chain of {len(syllables)} made-up syllables"
    if syllables and len(syllables) >= 4 and len(set(syllables)) < len(syllables):
        return f"'{word}' repeats a syllable"
    if re.search(r"([a-z]{2})\1", w) and len(w) >= 8 and not re.search(r"([a-z]{2})\1$", w[:4]):
        doubled = re.search(r"([a-z]{2})\1", w)
        if doubled and doubled.group(1)[0] not in _VOWELS and doubled.group(1)[1] in _VOWELS:
            return f"'{word}' repeats the syllable '{doubled.group(1)}'"
    for size in (2, 3):
        ending = w[-size:]
        if ending in _MADE_UP_ENDINGS and w[:-size] in _ROOTS:
            return f"'{word}' is '{w[:-size]}' with the made-up ending '{ending}'"
    return None


@lru_cache(maxsize=65536)
def gibberish_reason(name: str) -> str | None:
    """Why `name` is not a good registry name, or None when it is fine."""
    if not isinstance(name, str) or not name.strip():
        return "the name is empty"
    if name != name.strip() or "  " in name:
        return f"'{name}' has stray spaces"
    if any(ch.isdigit() for ch in name):
        return f"'{name}' contains digits"
    if _PREFIX_RE.match(name):
        return f"'{name}' starts with an aspect prefix"
    if "_" in name:
        return f"'{name}' contains an underscore"
    if not _ALLOWED_RE.match(name):
        return f"'{name}' has characters that are not letters"
    if len(name) > 60:
        return f"'{name}' is longer than 60 characters"
    for word in re.split(r"[ '\-]", name):
        reason = _word_reason(word)
        if reason:
            return reason
    return None


def is_gibberish(name: str) -> bool:
    return gibberish_reason(name) is not None
