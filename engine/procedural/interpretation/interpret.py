"""A prompt resolved into a structured instruction, by reading its structure.

Steps: tokens (lower case, contractions expanded, the spelling table applied, lemmas), then
items left to right, longest first (idioms as units, phrases, grammar words, words of several
senses, durations: engine.procedural.interpretation.matching); each word of several senses gets the one
sense its attachment asks for, camera words count only where a camera move is meant
(engine.procedural.interpretation.senses); then negation scope and intensity (engine.procedural.interpretation.scope).

Every mapping keeps its span, its token range and the rule that made it; negations say which
words negated them; words that set nothing (idioms such as "once in a blue moon", shades)
are listed with why, so `dailies interpret --explain` can show the whole reading.
"""

from __future__ import annotations

from engine.procedural.interpretation.matching import Item, read_items
from engine.procedural.interpretation.scope import apply_scope
from engine.procedural.interpretation.senses import resolve_camera, resolve_senses
from engine.procedural.interpretation.tokens import tokenise
from engine.procedural.interpretation.vocabulary import Vocabulary
from engine.procedural.registries.keys import CAMERA_MOTIONS, CAMERA_SPEEDS

SCHEMA = 2
SINGLE_DOMAINS = ("motion", "lighting", "mood", "gradient")


def _camera_parts(meaning) -> dict:
    if meaning.key:  # a registry camera entry: motion_speed_steadiness
        for speed in CAMERA_SPEEDS:
            head, sep, _ = meaning.key.rpartition(f"_{speed}_")
            if sep and head in CAMERA_MOTIONS:
                return {"motion": head, "speed": speed, "key": meaning.key}
    return {"motion": meaning.canonical}


def _mapping(it: Item, domain: str, meaning, dialect: bool) -> dict:
    m = {"span": it.span, "domain": domain, "canonical": meaning.canonical,
         "variant_type": "dialect" if dialect and meaning.variant_type in ("exact", "synonym") else meaning.variant_type,
         "source": meaning.source, "rule": meaning.rule or it.rule, "start": it.start, "end": it.end,
         "negated": it.negated}
    if it.level:
        m["intensity"] = it.level
    return m


def _negation(it: Item, domain: str, meaning, vocab: Vocabulary) -> dict:
    neg = {"domain": domain, "value": meaning.canonical, "span": it.span, "rule": it.neg_rule}
    if meaning.key:
        neg["key"] = meaning.key
    elif domain == "palette" and meaning.canonical in vocab.colour_keys:
        neg["key"] = vocab.colour_keys[meaning.canonical]
    return neg


def _marked(it: Item, tokens: list, marks: frozenset[str]) -> bool:
    """Does the phrase end in, or come right before, its domain's noun ("wavy motion", "chill vibes")?"""
    return bool(tokens[it.end - 1].forms & marks) or (it.end < len(tokens) and bool(tokens[it.end].forms & marks))


def interpret_text(prompt: str, vocab: Vocabulary) -> dict:
    """The instruction for `prompt` (a JSON-ready dict); no store access."""
    cfg = vocab.config
    tokens = tokenise(prompt, cfg.dialect)
    items = read_items(tokens, vocab)
    shades = resolve_senses(items, tokens, vocab)
    resolve_camera(items, tokens, vocab)
    extra_negations = apply_scope(items, tokens, vocab)
    out: dict = {
        "schema": SCHEMA,
        "prompt": prompt,
        "normalised": " ".join(t.norm for t in tokens),
        "palette": [], "palette_keys": [], "sounds": [],
        "motion": None, "camera": None, "lighting": None, "mood": None, "gradient": None,
        "duration_s": None,
        "negations": [],
        "mappings": [],
        "shades": {},
        "ignored": [],
        "unmatched": [],
    }
    negated = {(d, m.canonical) for it in items if it.negated for d, m in it.meanings.items()}
    for it in items:  # what is negated anywhere is not asked for ("a rainy street minus the rain")
        if not it.negated:
            it.meanings = {d: m for d, m in it.meanings.items() if (d, m.canonical) not in negated}
    positive = [it for it in items if it.meanings and not it.negated]
    for it in items:
        if it.kind == "duration":
            out["duration_s"] = (out["duration_s"] or 0.0) + it.seconds
            out["ignored"].append({"span": it.span, "rule": it.rule, "note": f"{it.seconds:g} s"})
        elif it.kind == "unknown" and it.negated:
            out["negations"].append({"domain": "other", "value": it.span, "span": it.span, "rule": it.neg_rule})
        elif it.kind == "unknown":
            out["unmatched"].append(it.span)
        elif it.kind in ("idiom", "sense") and not it.meanings and it.note:
            out["ignored"].append({"span": it.span, "rule": it.rule, "note": it.note})
    if any(it.negated and it.kind == "unknown" and tokens[it.start].norm in cfg.grammar.silence_when_negated
           for it in items):
        out["sounds"].append("silence")  # "no sound", "without any audio": silence
    for domain in SINGLE_DOMAINS:  # the value that names the domain's own noun wins ("a bop, good vibes")
        marks = cfg.classes.get(f"marks_{domain}", frozenset())
        cands = sorted((it for it in positive if domain in it.meanings),
                       key=lambda it: (not _marked(it, tokens, marks), len(it.meanings) > 1, it.start))
        if cands:
            out[domain] = cands[0].meanings[domain].canonical
    for it in positive:
        if "palette" in it.meanings:
            mn = it.meanings["palette"]
            if mn.canonical not in out["palette"]:
                out["palette"].append(mn.canonical)
            if it.start in shades:
                out["shades"][mn.canonical] = shades[it.start]
            key = mn.key or vocab.colour_keys.get(mn.canonical)
            if key and key not in out["palette_keys"]:
                out["palette_keys"].append(key)
        if "sound" in it.meanings and it.meanings["sound"].canonical not in out["sounds"]:
            out["sounds"].append(it.meanings["sound"].canonical)
    cams = sorted((it for it in positive if "camera" in it.meanings), key=lambda it: (len(it.meanings) > 1, it.start))
    if cams:
        cam = _camera_parts(cams[0].meanings["camera"])
        speeds = [it for it in positive if "camera_speed" in it.meanings]
        if speeds:
            cam["speed"] = min(speeds, key=lambda it: abs(it.start - cams[0].start)).meanings["camera_speed"].canonical
        out["camera"] = cam
    for it in items:
        if it.negated:
            out["negations"] += [_negation(it, d, m, vocab) for d, m in it.meanings.items()]
    out["negations"] += extra_negations
    spelling = [{"span": t.text, "domain": "spelling", "canonical": t.norm, "variant_type": "dialect",
                 "source": "dialect", "rule": "spelling table", "start": t.i, "end": t.i + 1, "negated": False}
                for t in tokens if t.norm != t.text]
    mappings = []
    for it in items:
        dialect = any(tokens[j].norm != tokens[j].text for j in range(it.start, it.end))
        mappings += [_mapping(it, d, m, dialect) for d, m in it.meanings.items()]
    out["mappings"] = spelling + mappings
    return out
