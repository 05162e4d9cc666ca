"""config/interpretation.json: spelling (grey -> gray), keywords per domain, stopwords,
number words, duration units, value filters and prompt templates; with the tables beside it
(slang.json, idioms.json, senses.json, grammar.json; see engine.interpretation.lexicon).

Loaded once per config folder and validated whole: a missing, unknown or wrong-typed key, or
a canonical value its domain does not know, raises ConfigError naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine import paths
from engine.errors import ConfigError
from engine.interpretation import lexicon
from engine.interpretation.tokens import normalise_text
from engine.json_files import read_json
from engine.registries.keys import (
    CAMERA_MOTIONS,
    CAMERA_SPEEDS,
    COLOUR_ORIGINS,
    GRADIENT_TYPES,
    LIGHTING_BRIGHTNESS,
    LIGHTING_CONTRAST,
    LIGHTING_SATURATION,
    MOTION_RHYTHMS,
    SEMANTIC_ORIGINS,
    SOUND_ORIGINS,
)

FILE = "interpretation.json"
DOMAINS = ("palette", "motion", "camera", "camera_speed", "lighting", "mood", "gradient", "sound")
TOP_KEYS = ("dialect", "keywords", "stopwords", "numbers", "duration_units", "filters", "prompt_templates")
TABLES = ("slang.json", "idioms.json", "senses.json", "grammar.json")
TEMPLATE_SLOTS = ("colour", "motion", "lighting", "gradient", "camera", "mood", "sound")
LIGHTING_PARTS = {
    "brightness": LIGHTING_BRIGHTNESS, "contrast": LIGHTING_CONTRAST, "saturation": LIGHTING_SATURATION,
}


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
        if domain == "palette":
            return set(COLOUR_ORIGINS) | set(self.filters["palette"])
        if domain in ("motion", "lighting"):
            return set(self.filters[domain])
        if domain == "camera":
            return set(CAMERA_MOTIONS)
        if domain == "camera_speed":
            return set(CAMERA_SPEEDS)
        if domain == "gradient":
            return set(GRADIENT_TYPES)
        if domain == "mood":
            return set(SEMANTIC_ORIGINS["mood"])
        if domain == "sound":
            return set(SOUND_ORIGINS)
        raise ConfigError(f"unknown interpretation domain '{domain}'")


class _Checker:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, msg: str):
        raise ConfigError(f"{self.path}: {key}: {msg}")

    def mapping(self, value: Any, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"expected an object, got {type(value).__name__}")
        return value

    def keys(self, raw: Any, allowed: tuple[str, ...]) -> dict:
        """The top-level object, with exactly the keys `allowed`."""
        data = self.mapping(raw, "(top level)")
        for key in allowed:
            if key not in data:
                self.fail(key, "missing")
        for key in data:
            if key not in allowed:
                self.fail(key, f"unknown key (keys: {', '.join(allowed)})")
        return data

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"expected non-empty text, got {value!r}")
        return value

    def texts(self, value: Any, key: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(key, f"expected a list of texts, got {type(value).__name__}")
        return [self.text(v, f"{key}[{i}]") for i, v in enumerate(value)]

    def number(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self.fail(key, f"expected a positive number, got {value!r}")
        return float(value)

    def range2(self, value: Any, key: str, lo: float, hi: float) -> list[float]:
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
                or not lo <= value[0] <= value[1] <= hi):
            self.fail(key, f"expected [low, high] within {lo}-{hi}, got {value!r}")
        return [float(v) for v in value]


def _filters(c: _Checker, raw: Any) -> dict:
    filters = c.mapping(raw, "filters")
    for domain in ("palette", "lighting", "motion"):
        if domain not in filters:
            c.fail(f"filters.{domain}", "missing")
    unknown = set(filters) - {"palette", "lighting", "motion"}
    if unknown:
        c.fail(f"filters.{sorted(unknown)[0]}", "unknown domain (filters: palette, lighting, motion)")
    for name, f in c.mapping(filters["palette"], "filters.palette").items():
        for part, v in c.mapping(f, f"filters.palette.{name}").items():
            key = f"filters.palette.{name}.{part}"
            if part in ("lightness", "saturation"):
                c.range2(v, key, 0.0, 1.0)
            elif part == "hue":
                if not isinstance(v, list) or not v:
                    c.fail(key, "expected a list of [low, high] hue ranges in degrees")
                for i, r in enumerate(v):
                    c.range2(r, f"{key}[{i}]", 0.0, 360.0)
            else:
                c.fail(key, "unknown part (palette filters: lightness, saturation, hue)")
    for name, f in c.mapping(filters["lighting"], "filters.lighting").items():
        for part, v in c.mapping(f, f"filters.lighting.{name}").items():
            key = f"filters.lighting.{name}.{part}"
            if part not in LIGHTING_PARTS:
                c.fail(key, f"unknown part (lighting filters: {', '.join(LIGHTING_PARTS)})")
            for i, band in enumerate(c.texts(v, key)):
                if band not in LIGHTING_PARTS[part]:
                    c.fail(f"{key}[{i}]", f"'{band}' is not one of {', '.join(LIGHTING_PARTS[part])}")
    for name, f in c.mapping(filters["motion"], "filters.motion").items():
        for part, v in c.mapping(f, f"filters.motion.{name}").items():
            key = f"filters.motion.{name}.{part}"
            if part == "level":
                c.range2(v, key, 0.0, 10.0)
            elif part == "rhythm":
                for i, r in enumerate(c.texts(v, key)):
                    if r not in MOTION_RHYTHMS:
                        c.fail(f"{key}[{i}]", f"'{r}' is not one of {', '.join(MOTION_RHYTHMS)}")
            else:
                c.fail(key, "unknown part (motion filters: level, rhythm)")
    return filters


def parse_config(raw: Any, path: Path, tables: dict[str, Any] | None = None) -> InterpretationConfig:
    c = _Checker(path)
    data = c.keys(raw, TOP_KEYS)
    filters = _filters(c, data["filters"])
    probe = InterpretationConfig(path, {}, {}, frozenset(), {}, {}, filters, ())
    known = {d: probe.known_canonical(d) for d in DOMAINS}
    dialect = {c.text(k, "dialect").lower(): c.text(v, f"dialect.{k}").lower()
               for k, v in c.mapping(data["dialect"], "dialect").items()}
    probe = InterpretationConfig(path, dialect, {}, frozenset(), {}, {}, filters, ())
    keywords: dict[str, dict[str, str]] = {}
    kw = c.mapping(data["keywords"], "keywords")
    for domain in kw:
        if domain not in DOMAINS:
            c.fail(f"keywords.{domain}", f"unknown domain (domains: {', '.join(DOMAINS)})")
    for domain in DOMAINS:
        table = c.mapping(kw.get(domain, {}), f"keywords.{domain}")
        for span, canonical in table.items():
            c.text(canonical, f"keywords.{domain}.{span}")
            if canonical not in known[domain]:
                c.fail(f"keywords.{domain}.{span}", f"'{canonical}' is not a {domain} value "
                       f"(known: {', '.join(sorted(known[domain]))})")
        keywords[domain] = {s.lower(): v for s, v in table.items()}
    templates = tuple(c.texts(data["prompt_templates"], "prompt_templates"))
    for i, t in enumerate(templates):
        try:
            t.format(**{s: "x" for s in TEMPLATE_SLOTS})
        except (KeyError, IndexError, ValueError) as exc:
            c.fail(f"prompt_templates[{i}]", f"unknown or malformed slot {exc} (slots: {', '.join(TEMPLATE_SLOTS)})")
    numbers = {k.lower(): c.number(v, f"numbers.{k}") for k, v in c.mapping(data["numbers"], "numbers").items()}
    units = {k.lower(): c.number(v, f"duration_units.{k}")
             for k, v in c.mapping(data["duration_units"], "duration_units").items()}
    tables = tables if tables is not None else {
        name: lexicon.read_table(path.parent / name) for name in TABLES}
    spell = probe.spell
    checkers = {name: _Checker(path.parent / name) for name in TABLES}
    sense_words, classes = lexicon.parse_senses(checkers["senses.json"], tables["senses.json"], known, spell)
    return InterpretationConfig(
        path=path,
        dialect=dialect,
        slang_entries=lexicon.parse_slang(checkers["slang.json"], tables["slang.json"], known, spell),
        idioms=tuple(lexicon.parse_idioms(checkers["idioms.json"], tables["idioms.json"], known, spell)),
        sense_words=sense_words,
        classes=classes,
        grammar=lexicon.parse_grammar(checkers["grammar.json"], tables["grammar.json"], known, spell),
        keywords=keywords,
        stopwords=frozenset(w.lower() for w in c.texts(data["stopwords"], "stopwords")),
        numbers=numbers,
        duration_units=units,
        filters=filters,
        prompt_templates=templates,
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
