"""The interpreter's word tables beside interpretation.json: slang.json, idioms.json,
senses.json and grammar.json (see engine.procedural.interpretation.lexicon for what each means).

Every entry names its meaning per domain with values the domain knows, and slang and idioms
name the dictionary or usage they come from. Validating needs what interpretation.json
defines: pass the context `{"known": {domain: values}, "spell": function}`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ValidationInfo, model_validator

from engine.core.settings.common import Text
from engine.core.settings.loading import ConfigModel, expected
from engine.procedural.interpretation.settings.interpretation import check_value

KINDS = ("slang", "dialect", "film", "jargon")
CONTEXTS = ("before", "head", "after", "near", "alone", "copula")
DYNAMIC_CLASSES = ("colour", "sound", "camera", "motion", "lighting", "mood")
INTENSITY_LEVELS = ("strong", "weak", "moderate")
Level = Literal[INTENSITY_LEVELS]


def _known(info: ValidationInfo) -> dict[str, set[str]]:
    return (info.context or {})["known"]


def _spell(info: ValidationInfo):
    return (info.context or {})["spell"]


def _means(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    for domain, canonical in value.items():
        check_value(_known(info), domain, canonical, at=domain)
    return value


def _sense_means(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    """As `_means`, and "shade" names a colour's shade."""
    _means({d: v for d, v in value.items() if d != "shade"}, info)
    return value


Means = Annotated[dict[str, Text], AfterValidator(_means)]
SenseMeans = Annotated[dict[str, Text], AfterValidator(_sense_means)]


class SlangEntry(ConfigModel):
    means: Means
    kind: Literal[KINDS]
    note: Text
    source: Text
    region: Text | None = None


class SlangFile(ConfigModel):
    entries: dict[str, SlangEntry]

    @model_validator(mode="after")
    def _spelt_once(self, info: ValidationInfo) -> SlangFile:
        seen: set[str] = set()
        for span in self.entries:
            words = " ".join(_spell(info)(span))
            if words in seen:
                raise expected("an entry no other entry spells the same way", span, at=f"entries.{span}")
            seen.add(words)
        return self


class IdiomEntry(ConfigModel):
    means: Means
    note: Text
    source: Text


class IdiomsFile(ConfigModel):
    entries: dict[str, IdiomEntry]

    @model_validator(mode="after")
    def _patterns(self) -> IdiomsFile:
        for pattern in self.entries:
            parts = pattern.split()
            if not parts or parts[0] == "*" or parts[-1] == "*":
                raise expected("a pattern that starts and ends with a word", pattern, at=f"entries.{pattern}")
        return self


class SenseSpec(ConfigModel):
    when: Text  # "<context>:<class>" or "alone" / "copula"
    means: SenseMeans


class SenseWordSpec(ConfigModel):
    senses: list[SenseSpec] = []
    default: SenseMeans = {}


class SensesFile(ConfigModel):
    classes: dict[str, list[Text]]
    words: dict[str, SenseWordSpec]

    @model_validator(mode="after")
    def _contexts_and_words(self, info: ValidationInfo) -> SensesFile:
        for word, spec in self.words.items():
            for i, sense in enumerate(spec.senses):
                context, _, cls = sense.when.partition(":")
                at = f"words.{word}.senses[{i}].when"
                if context not in CONTEXTS:
                    raise expected(f"a context ({', '.join(CONTEXTS)}), then :class", sense.when, at=at)
                if cls and cls not in self.classes and cls not in DYNAMIC_CLASSES:
                    raise expected("a word class of 'classes' or "
                                   f"{', '.join(DYNAMIC_CLASSES)}", cls, at=at)
            if len(_spell(info)(word)) != 1:
                raise expected("one word (a word of several senses is one word)", word, at=f"words.{word}")
        return self


Phrases = list[Text]


class GrammarFile(ConfigModel):
    negate_before: Phrases
    negate_after: Phrases
    reduce: Phrases
    breakers: Phrases
    but_after: Phrases
    skip: Phrases
    continuers: Phrases
    moderating: Phrases
    excess: Phrases
    intensity: dict[Level, Phrases]
    silence_when_negated: Phrases
    camera_ambiguous: Phrases
    camera_cues: Phrases
    directions: Phrases
    copulas: Phrases
    shifts: dict[str, dict[str, dict[Level, Text]]]  # domain -> value -> intensity level -> value
    moderate: Means  # domain -> its moderate value ("not too bright")
    single_scope: Phrases
    except_words: Phrases
    negated_all: Phrases

    @model_validator(mode="after")
    def _shifts_known(self, info: ValidationInfo) -> GrammarFile:
        known = _known(info)
        for domain, table in self.shifts.items():
            for value, by_level in table.items():
                check_value(known, domain, value, at=f"shifts.{domain}.{value}")
                for level, new in by_level.items():
                    check_value(known, domain, new, at=f"shifts.{domain}.{value}.{level}")
        return self
