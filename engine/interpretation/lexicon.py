"""The interpreter's word tables beside config/interpretation.json, validated at load:

- slang.json: slang, regional (dialect) words and film-set jargon; each entry says what it
  means per domain, what kind of word it is, a gloss, and the dictionary or usage it comes from;
- idioms.json: fixed expressions read as one unit ("saw red", "over the moon"), meaning a
  mood or nothing, never a colour; "*" in a pattern stands for up to three words;
- senses.json: words of several senses, each sense chosen by what the word attaches to, and
  the word classes those choices name;
- grammar.json: the words that negate, reduce, end a negation's scope, or set intensity.

A file that is missing, an entry without a source, a duplicate entry or a value its domain
does not know is a ConfigError naming the file and the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.errors import ConfigError

KINDS = ("slang", "dialect", "film", "jargon")
CONTEXTS = ("before", "head", "after", "near", "alone", "copula")
DYNAMIC_CLASSES = ("colour", "sound", "camera", "motion", "lighting", "mood")
GRAMMAR_KEYS = (
    "negate_before", "negate_after", "reduce", "breakers", "but_after", "skip", "continuers",
    "moderating", "excess", "intensity", "silence_when_negated", "camera_ambiguous",
    "camera_cues", "directions", "copulas", "shifts", "moderate", "single_scope", "except_words", "negated_all",
)
INTENSITY_LEVELS = ("strong", "weak", "moderate")


@dataclass(frozen=True)
class Entry:
    span: str
    means: dict[str, str]
    kind: str
    note: str
    source: str


@dataclass(frozen=True)
class Idiom:
    pattern: tuple[str, ...]
    means: dict[str, str]
    note: str
    source: str


@dataclass(frozen=True)
class Sense:
    when: str  # "<context>:<class>" or "alone" / "copula"
    means: dict[str, str]  # domain -> canonical; "shade" -> a colour's shade; {} = nothing


@dataclass(frozen=True)
class SenseWord:
    word: str
    senses: tuple[Sense, ...]
    default: dict[str, str]


@dataclass(frozen=True)
class Grammar:
    negate_before: tuple[str, ...]
    negate_after: tuple[str, ...]
    reduce: tuple[str, ...]
    breakers: tuple[str, ...]
    but_after: frozenset[str]
    skip: frozenset[str]
    continuers: frozenset[str]
    moderating: tuple[str, ...]
    excess: tuple[str, ...]
    intensity: dict[str, str]  # phrase -> strong | weak | moderate
    silence_when_negated: frozenset[str]
    camera_ambiguous: frozenset[str]
    camera_cues: frozenset[str]
    directions: frozenset[str]
    copulas: frozenset[str]
    shifts: dict[str, dict[str, dict[str, str]]]  # domain -> value -> intensity level -> value
    moderate: dict[str, str]  # domain -> its moderate value ("not too bright")
    single_scope: frozenset[str]  # negators that reach one thing, no list ("instead of green, teal")
    except_words: frozenset[str]  # after a negated "all" ("no colours except black") they mean "only"
    negated_all: frozenset[str]


def _no_duplicates(path: Path):
    def hook(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise ConfigError(f"{path}: {k}: appears twice")
            seen.add(k)
        return dict(pairs)
    return hook


def read_table(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the interpretation table ({exc.strerror})") from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates(path))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc


def _means(c, value: Any, key: str, known: dict[str, set[str]], shade_ok: bool = False) -> dict[str, str]:
    out = {}
    for domain, canonical in c.mapping(value, key).items():
        c.text(canonical, f"{key}.{domain}")
        if domain == "shade" and shade_ok:
            out[domain] = canonical
            continue
        if domain not in known:
            c.fail(f"{key}.{domain}", f"unknown domain (domains: {', '.join(known)})")
        if canonical not in known[domain]:
            c.fail(f"{key}.{domain}", f"'{canonical}' is not a {domain} value "
                   f"(known: {', '.join(sorted(known[domain]))})")
        out[domain] = canonical
    return out


def _sourced(c, raw: Any, key: str) -> tuple[str, str]:
    entry = c.mapping(raw, key)
    return c.text(entry.get("note"), f"{key}.note"), c.text(entry.get("source"), f"{key}.source")


def parse_slang(c, raw: Any, known, spell) -> dict[str, Entry]:
    out = {}
    for span, e in c.mapping(c.mapping(raw, "(top level)").get("entries"), "entries").items():
        key = f"entries.{span}"
        note, source = _sourced(c, e, key)
        kind = c.text(e.get("kind"), f"{key}.kind")
        if kind not in KINDS:
            c.fail(f"{key}.kind", f"'{kind}' is not one of {', '.join(KINDS)}")
        extra = set(e) - {"means", "kind", "note", "source", "region"}
        if extra:
            c.fail(f"{key}.{sorted(extra)[0]}", "unknown field (fields: means, kind, note, source, region)")
        words = " ".join(spell(span))
        if words in out:
            c.fail(key, "appears twice once spelt the same way")
        out[words] = Entry(words, _means(c, e.get("means"), f"{key}.means", known), kind, note, source)
    return out


def parse_idioms(c, raw: Any, known, spell) -> list[Idiom]:
    out = []
    for pattern, e in c.mapping(c.mapping(raw, "(top level)").get("entries"), "entries").items():
        key = f"entries.{pattern}"
        note, source = _sourced(c, e, key)
        words = tuple(w for part in pattern.split() for w in (["*"] if part == "*" else spell(part)))
        if not words or words[0] == "*" or words[-1] == "*":
            c.fail(key, "a pattern starts and ends with a word")
        out.append(Idiom(words, _means(c, e.get("means"), f"{key}.means", known), note, source))
    return sorted(out, key=lambda i: -len(i.pattern))


def parse_senses(c, raw: Any, known, spell) -> tuple[dict[str, SenseWord], dict[str, frozenset[str]]]:
    data = c.mapping(raw, "(top level)")
    classes = {name: frozenset(w for v in c.texts(words, f"classes.{name}") for w in spell(v))
               for name, words in c.mapping(data.get("classes"), "classes").items()}
    words: dict[str, SenseWord] = {}
    for word, spec in c.mapping(data.get("words"), "words").items():
        key = f"words.{word}"
        spec = c.mapping(spec, key)
        senses = []
        for i, s in enumerate(spec.get("senses", [])):
            skey = f"{key}.senses[{i}]"
            when = c.text(c.mapping(s, skey).get("when"), f"{skey}.when")
            context, _, cls = when.partition(":")
            if context not in CONTEXTS:
                c.fail(f"{skey}.when", f"unknown context '{context}' (contexts: {', '.join(CONTEXTS)})")
            if cls and cls not in classes and cls not in DYNAMIC_CLASSES:
                c.fail(f"{skey}.when", f"unknown word class '{cls}'")
            senses.append(Sense(when, _means(c, s.get("means"), f"{skey}.means", known, shade_ok=True)))
        default = _means(c, spec.get("default", {}), f"{key}.default", known, shade_ok=True)
        norm = spell(word)
        if len(norm) != 1:
            c.fail(key, "a word of several senses is one word")
        words[norm[0]] = SenseWord(norm[0], tuple(senses), default)
    return words, classes


def parse_grammar(c, raw: Any, known, spell) -> Grammar:
    data = c.keys(raw, GRAMMAR_KEYS)

    def phrases(key):
        return tuple(sorted({" ".join(spell(p)) for p in c.texts(data[key], key)}, key=lambda p: -len(p.split())))

    intensity = {}
    for level, ws in c.mapping(data["intensity"], "intensity").items():
        if level not in INTENSITY_LEVELS:
            c.fail(f"intensity.{level}", f"unknown level (levels: {', '.join(INTENSITY_LEVELS)})")
        for w in c.texts(ws, f"intensity.{level}"):
            intensity[" ".join(spell(w))] = level
    sets = {k: frozenset(phrases(k)) for k in (
        "but_after", "skip", "continuers", "silence_when_negated", "camera_ambiguous", "camera_cues",
        "directions", "copulas", "single_scope", "except_words", "negated_all")}
    shifts: dict[str, dict[str, dict[str, str]]] = {}
    for domain, table in c.mapping(data["shifts"], "shifts").items():
        for value, by_level in c.mapping(table, f"shifts.{domain}").items():
            _means(c, {domain: value}, f"shifts.{domain}", known)
            for level, new in c.mapping(by_level, f"shifts.{domain}.{value}").items():
                if level not in INTENSITY_LEVELS:
                    c.fail(f"shifts.{domain}.{value}.{level}", f"unknown level (levels: {', '.join(INTENSITY_LEVELS)})")
                _means(c, {domain: new}, f"shifts.{domain}.{value}.{level}", known)
                shifts.setdefault(domain, {}).setdefault(value, {})[level] = new
    moderate = _means(c, data["moderate"], "moderate", known)
    return Grammar(
        shifts=shifts, moderate=moderate, negate_before=phrases("negate_before"), negate_after=phrases("negate_after"),
        reduce=phrases("reduce"), breakers=phrases("breakers"), moderating=phrases("moderating"),
        excess=phrases("excess"), intensity=intensity, **sets,
    )
