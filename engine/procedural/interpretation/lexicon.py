"""The interpreter's word tables beside config/interpretation.json, validated at load:

- slang.json: slang, regional (dialect) words and film-set jargon; each entry says what it
  means per domain, what kind of word it is, a gloss, and the dictionary or usage it comes from;
- idioms.json: fixed expressions read as one unit ("saw red", "over the moon"), meaning a
  mood or nothing, never a colour; "*" in a pattern stands for up to three words;
- senses.json: words of several senses, each sense chosen by what the word attaches to, and
  the word classes those choices name;
- grammar.json: the words that negate, reduce, end a negation's scope, or set intensity.

Their shapes and rules are pydantic models in engine.procedural.interpretation.settings.interpretation_tables. A file
that is missing, an entry without a source, a duplicate entry or a value its domain does not
know is a ConfigError naming the file and the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.core.errors import ConfigError
from engine.core.json_files import check_strings
from engine.core.settings.loading import validate
from engine.procedural.interpretation.settings.interpretation_tables import (
    GrammarFile,
    IdiomsFile,
    SensesFile,
    SlangFile,
)

TABLE_MODELS = {"slang.json": SlangFile, "idioms.json": IdiomsFile, "senses.json": SensesFile,
                "grammar.json": GrammarFile}


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
                raise ConfigError(f"{path}: key '{k}': expected each key once, got it twice")
            seen.add(k)
        return dict(pairs)
    return hook


def read_table(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the interpretation table ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the interpretation table is not UTF-8 text ({exc.reason})") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates(path))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    except (ValueError, RecursionError) as exc:
        raise ConfigError(f"{path}: the interpretation table cannot be read ({type(exc).__name__})") from None
    check_strings(data, str(path))
    return data


def check_table(name: str, raw: Any, path: Path, known: dict[str, set[str]], spell):
    """The table `name` as its model, checked against what interpretation.json defines."""
    return validate(TABLE_MODELS[name], raw, path, context={"known": known, "spell": spell})


def parse_slang(table: SlangFile, spell) -> dict[str, Entry]:
    out = {}
    for span, e in table.entries.items():
        words = " ".join(spell(span))
        out[words] = Entry(words, dict(e.means), e.kind, e.note, e.source)
    return out


def parse_idioms(table: IdiomsFile, spell) -> list[Idiom]:
    out = []
    for pattern, e in table.entries.items():
        words = tuple(w for part in pattern.split() for w in (["*"] if part == "*" else spell(part)))
        out.append(Idiom(words, dict(e.means), e.note, e.source))
    return sorted(out, key=lambda i: -len(i.pattern))


def parse_senses(table: SensesFile, spell) -> tuple[dict[str, SenseWord], dict[str, frozenset[str]]]:
    classes = {name: frozenset(w for v in words for w in spell(v)) for name, words in table.classes.items()}
    words: dict[str, SenseWord] = {}
    for word, spec in table.words.items():
        senses = tuple(Sense(s.when, dict(s.means)) for s in spec.senses)
        norm = spell(word)[0]
        words[norm] = SenseWord(norm, senses, dict(spec.default))
    return words, classes


def parse_grammar(table: GrammarFile, spell) -> Grammar:
    def phrases(key):
        return tuple(sorted({" ".join(spell(p)) for p in getattr(table, key)}, key=lambda p: -len(p.split())))

    intensity = {" ".join(spell(w)): level for level, ws in table.intensity.items() for w in ws}
    sets = {k: frozenset(phrases(k)) for k in (
        "but_after", "skip", "continuers", "silence_when_negated", "camera_ambiguous", "camera_cues",
        "directions", "copulas", "single_scope", "except_words", "negated_all")}
    shifts = {domain: {value: dict(by_level) for value, by_level in by_value.items()}
              for domain, by_value in table.shifts.items()}
    return Grammar(
        shifts=shifts, moderate=dict(table.moderate), negate_before=phrases("negate_before"),
        negate_after=phrases("negate_after"), reduce=phrases("reduce"), breakers=phrases("breakers"),
        moderating=phrases("moderating"), excess=phrases("excess"), intensity=intensity, **sets,
    )
