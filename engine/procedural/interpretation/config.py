"""interpretation.json: spelling (grey -> gray), keywords per domain, stopwords,
number words, duration units, value filters and prompt templates; with the tables beside it
(slang.json, idioms.json, senses.json, grammar.json; see engine.procedural.interpretation.lexicon).

Loaded once per config folder and validated whole against the pydantic models of
engine.procedural.interpretation.settings.interpretation and engine.procedural.interpretation.settings.interpretation_tables: a missing, unknown
or wrong-typed key, or a canonical value its domain does not know, raises ConfigError naming
the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.core import paths
from engine.core.errors import ConfigError
from engine.core.json_files import read_json
from engine.core.settings.loading import validate
from engine.procedural.interpretation import lexicon
from engine.procedural.interpretation.settings.interpretation import (
    DOMAINS,
    InterpretationFile,
    known_values,
)
from engine.procedural.interpretation.tokens import normalise_text

FILE = "interpretation.json"
TABLES = ("slang.json", "idioms.json", "senses.json", "grammar.json")


@dataclass(frozen=True)
class InterpretationConfig:
    path: Path
    dialect: dict[str, str]
    keywords: dict[str, dict[str, str]]
    stopwords: frozenset[str]
    numbers: dict[str, float]
    duration_units: dict[str, float]
    filters: dict[str, dict[str, dict[str, Any]]]
    prompt_templates: tuple[str, ...]
    slang_entries: dict[str, lexicon.Entry] | None = None  # slang, dialect words and jargon
    idioms: tuple[lexicon.Idiom, ...] = ()
    sense_words: dict[str, lexicon.SenseWord] | None = None
    classes: dict[str, frozenset[str]] | None = None
    grammar: lexicon.Grammar | None = None

    @property
    def slang(self) -> dict[str, dict[str, str]]:
        """span -> {domain: canonical} of every slang, dialect and jargon entry."""
        return {span: dict(e.means) for span, e in (self.slang_entries or {}).items() if e.means}

    @property
    def senses(self) -> dict[str, dict[str, str]]:
        """word -> {domain: canonical}: every domain a word of several senses can mean."""
        out: dict[str, dict[str, str]] = {}
        for word, sw in (self.sense_words or {}).items():
            for means in [sw.default, *(s.means for s in sw.senses)]:
                for domain, value in means.items():
                    if domain in DOMAINS:
                        out.setdefault(word, {}).setdefault(domain, value)
        return out

    def spell(self, text: str) -> list[str]:
        """`text` as the interpreter's words: normalised, the spelling table applied."""
        return [self.dialect.get(w, w) for w in normalise_text(text).split()]

    def known_canonical(self, domain: str) -> set[str]:
        """The canonical values a domain accepts from config tables."""
        known = known_values(self.filters)
        if domain in known:
            return known[domain]
        raise ConfigError(f"unknown interpretation domain '{domain}'")


def parse_config(raw: Any, path: Path, tables: dict[str, Any] | None = None) -> InterpretationConfig:
    data = validate(InterpretationFile, raw, path)
    filters = raw["filters"]  # as the file has it: the readers take lists and numbers
    known = known_values(filters)
    dialect = {k.lower(): v.lower() for k, v in data.dialect.items()}
    spell = InterpretationConfig(path, dialect, {}, frozenset(), {}, {}, filters, ()).spell
    tables = tables if tables is not None else {
        name: lexicon.read_table(path.parent / name) for name in TABLES}
    checked = {name: lexicon.check_table(name, tables[name], path.parent / name, known, spell) for name in TABLES}
    sense_words, classes = lexicon.parse_senses(checked["senses.json"], spell)
    return InterpretationConfig(
        path=path,
        dialect=dialect,
        slang_entries=lexicon.parse_slang(checked["slang.json"], spell),
        idioms=tuple(lexicon.parse_idioms(checked["idioms.json"], spell)),
        sense_words=sense_words,
        classes=classes,
        grammar=lexicon.parse_grammar(checked["grammar.json"], spell),
        keywords={domain: {s.lower(): v for s, v in data.keywords.get(domain, {}).items()} for domain in DOMAINS},
        stopwords=frozenset(w.lower() for w in data.stopwords),
        numbers={k.lower(): float(v) for k, v in data.numbers.items()},
        duration_units={k.lower(): float(v) for k, v in data.duration_units.items()},
        filters=filters,
        prompt_templates=tuple(data.prompt_templates),
    )


@lru_cache(maxsize=8)
def _load(folder: str) -> InterpretationConfig:
    path = Path(folder) / FILE
    return parse_config(read_json(path, what="interpretation config file"), path)


def load_config() -> InterpretationConfig:
    """The validated interpretation config of the current config folder (cached)."""
    return _load(str(paths.config_dir()))


def clear_cache() -> None:
    _load.cache_clear()
