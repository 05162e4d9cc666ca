"""A prompt resolved into a structured instruction.

Steps: normalise (lower case, marks as spaces, the dialect table applied: grey -> gray,
colour -> color), take durations out ("for 5 seconds", "10s", "two minutes"), then match
phrases left to right, longest first, against the vocabulary. A phrase may mean something in
several domains ("dark": lighting noir, mood dark, palette night): each domain gets its own
sense, and a word that names one domain directly beats a multi-sense word. A camera speed
word counts only before a camera move ("slow pan"). A negation word (no, avoid, without...)
turns the next phrase, and phrases joined to it by "or", into negations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.interpretation.vocabulary import Meaning, Vocabulary, normalise_phrase
from engine.registries.keys import CAMERA_MOTIONS, CAMERA_SPEEDS

SCHEMA = 1
SINGLE_DOMAINS = ("motion", "lighting", "mood", "gradient")


@dataclass(frozen=True)
class Mapping:
    span: str  # the user's words
    domain: str
    canonical: str
    variant_type: str
    source: str  # keyword | registry | slang | sense | learned | dialect


@dataclass
class _Match:
    start: int
    span: str  # original words
    meanings: dict[str, Meaning]
    dialect: bool
    negated: bool = False


def _durations(text: str, vocab: Vocabulary) -> tuple[float | None, str]:
    cfg = vocab.config
    words = sorted(cfg.numbers, key=len, reverse=True)
    num = r"\d+(?:\.\d+)?" + "".join("|" + re.escape(w) for w in words)
    units = "|".join(re.escape(u) for u in sorted(cfg.duration_units, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:for\s+)?({num})\s?({units})\b")
    total = None
    for m in pattern.finditer(text):
        word = m.group(1)
        n = cfg.numbers[word] if word in cfg.numbers else float(word)
        total = (total or 0.0) + n * cfg.duration_units[m.group(2)]
    return total, pattern.sub(" ", text)


def _tokens(text: str, vocab: Vocabulary) -> tuple[list[str], list[str]]:
    """(tokens after the dialect table, the user's original tokens)."""
    original = text.split()
    return [vocab.config.dialect.get(t, t) for t in original], original


def _match(
    tokens: list[str], original: list[str], vocab: Vocabulary
) -> tuple[list[_Match], list[str], list[str]]:
    """(matched phrases, words nothing knows, negated words nothing knows)."""
    cfg = vocab.config
    matches: list[_Match] = []
    unmatched: list[str] = []
    negated_unknown: list[str] = []
    negating = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == ",":  # a clause ends: "no people, dark mood" negates only "people"
            negating = False
            i += 1
            continue
        found = None
        for n in range(min(vocab.longest, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + n])
            if phrase in vocab.phrases:
                found = (n, vocab.phrases[phrase])
                break
        if found:
            n, meanings = found
            span = " ".join(original[i : i + n])
            dialect = any(tokens[j] != original[j] for j in range(i, i + n))
            matches.append(_Match(i, span, dict(meanings), dialect, negated=negating))
            i += n
            negating = negating and i < len(tokens) and tokens[i] in cfg.negation_continuers
            if negating:
                i += 1
            continue
        if tok in cfg.negations:
            negating = True
        elif tok in cfg.stopwords or tok in cfg.negation_continuers or tok.replace(".", "").isdigit():
            pass
        elif negating:
            negated_unknown.append(original[i])  # "no people": still a negation
            negating = i + 1 < len(tokens) and tokens[i + 1] in cfg.negation_continuers
        else:
            unmatched.append(original[i])
        i += 1
    return matches, unmatched, negated_unknown


def _resolve_camera_speed(matches: list[_Match]) -> None:
    """A speed word is a camera speed only when a camera move follows it; else it is not."""
    for k, m in enumerate(matches):
        if "camera_speed" not in m.meanings:
            continue
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        if nxt is not None and "camera" in nxt.meanings and nxt.start == m.start + len(m.span.split()):
            m.meanings = {"camera_speed": m.meanings["camera_speed"]}
        else:
            m.meanings.pop("camera_speed")


def _mappings(matches: list[_Match]) -> list[Mapping]:
    out = []
    for m in matches:
        for domain, meaning in m.meanings.items():
            variant = "dialect" if m.dialect else meaning.variant_type
            out.append(Mapping(m.span, domain, meaning.canonical, variant, meaning.source))
    return out


def _camera_parts(meaning: Meaning) -> dict:
    if meaning.key:  # a registry camera entry: motion_speed_steadiness
        for speed in CAMERA_SPEEDS:
            head, sep, steady = meaning.key.rpartition(f"_{speed}_")
            if sep and head in CAMERA_MOTIONS:
                return {"motion": head, "speed": speed, "key": meaning.key}
    return {"motion": meaning.canonical}


def interpret_text(prompt: str, vocab: Vocabulary) -> dict:
    """The instruction for `prompt` (a JSON-ready dict); no store access."""
    text = normalise_phrase(prompt)
    duration, rest = _durations(text, vocab)
    tokens, original = _tokens(rest, vocab)
    matches, unmatched, negated_unknown = _match(tokens, original, vocab)
    _resolve_camera_speed(matches)
    matches = [m for m in matches if m.meanings]
    positive = [m for m in matches if not m.negated]
    out: dict = {
        "schema": SCHEMA,
        "prompt": prompt,
        "normalised": " ".join(tokens),
        "palette": [], "palette_keys": [], "sounds": [],
        "motion": None, "camera": None, "lighting": None, "mood": None, "gradient": None,
        "duration_s": duration,
        "negations": [],
        "mappings": [],
        "unmatched": unmatched,
    }
    # single-valued domains: a phrase naming one domain beats a multi-sense word, then order
    for domain in SINGLE_DOMAINS:
        cands = [m for m in positive if domain in m.meanings]
        cands.sort(key=lambda m: (len(m.meanings) > 1, m.start))
        if cands:
            out[domain] = cands[0].meanings[domain].canonical
    for m in positive:
        if "palette" in m.meanings:
            mn = m.meanings["palette"]
            if mn.canonical not in out["palette"]:
                out["palette"].append(mn.canonical)
            key = mn.key or vocab.colour_keys.get(mn.canonical)
            if key and key not in out["palette_keys"]:
                out["palette_keys"].append(key)
        if "sound" in m.meanings and m.meanings["sound"].canonical not in out["sounds"]:
            out["sounds"].append(m.meanings["sound"].canonical)
    cams = sorted((m for m in positive if "camera" in m.meanings), key=lambda m: (len(m.meanings) > 1, m.start))
    if cams:
        cam = _camera_parts(cams[0].meanings["camera"])
        k = matches.index(cams[0])
        if "speed" not in cam and k > 0 and "camera_speed" in matches[k - 1].meanings:
            cam["speed"] = matches[k - 1].meanings["camera_speed"].canonical
        out["camera"] = cam
    for m in matches:
        if m.negated:
            for domain, meaning in m.meanings.items():
                neg = {"domain": domain, "value": meaning.canonical, "span": m.span}
                if meaning.key:
                    neg["key"] = meaning.key
                elif domain == "palette" and meaning.canonical in vocab.colour_keys:
                    neg["key"] = vocab.colour_keys[meaning.canonical]
                out["negations"].append(neg)
    out["negations"] += [{"domain": "other", "value": word, "span": word} for word in negated_unknown]
    spelling = [
        Mapping(o, "spelling", t, "dialect", "dialect") for t, o in zip(tokens, original, strict=True) if t != o
    ]
    out["mappings"] = [vars(x) for x in spelling + _mappings(matches)]
    return out
