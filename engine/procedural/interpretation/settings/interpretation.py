"""interpretation.json: spelling, keywords per domain, stopwords, number words, duration
units, value filters and prompt templates (see engine.procedural.interpretation.config).

A keyword's canonical value must be one its domain knows: the registry key tables, or for
palette, motion and lighting also the filters of the same file (`known_values`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from engine.core.settings.common import Text
from engine.core.settings.loading import ConfigModel, expected
from engine.procedural.registries.keys import (
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

DOMAINS = ("palette", "motion", "camera", "camera_speed", "lighting", "mood", "gradient", "sound")
TEMPLATE_SLOTS = ("colour", "motion", "lighting", "gradient", "camera", "mood", "sound")


def _within(lo: float, hi: float) -> AfterValidator:
    def check(value: list[float]) -> list[float]:
        if len(value) != 2 or not lo <= value[0] <= value[1] <= hi:
            raise expected(f"[low, high] within {lo}-{hi}")
        return value
    return AfterValidator(check)


def one_of(choices) -> AfterValidator:
    def check(value: str) -> str:
        if value not in choices:
            raise expected(f"one of {', '.join(choices)}")
        return value
    return AfterValidator(check)


def _template(text: str) -> str:
    try:
        text.format(**{s: "x" for s in TEMPLATE_SLOTS})
    except (KeyError, IndexError, ValueError) as exc:
        raise expected(f"a template whose slots are {', '.join(TEMPLATE_SLOTS)} (not {exc})") from None
    return text


Positive = Annotated[float, Field(gt=0)]


class PaletteFilter(ConfigModel):
    lightness: Annotated[list[float], _within(0.0, 1.0)] | None = None
    saturation: Annotated[list[float], _within(0.0, 1.0)] | None = None
    hue: Annotated[list[Annotated[list[float], _within(0.0, 360.0)]], Field(min_length=1)] | None = None


class LightingFilter(ConfigModel):
    brightness: list[Annotated[str, one_of(LIGHTING_BRIGHTNESS)]] | None = None
    contrast: list[Annotated[str, one_of(LIGHTING_CONTRAST)]] | None = None
    saturation: list[Annotated[str, one_of(LIGHTING_SATURATION)]] | None = None


class MotionFilter(ConfigModel):
    level: Annotated[list[float], _within(0.0, 10.0)] | None = None
    rhythm: list[Annotated[str, one_of(MOTION_RHYTHMS)]] | None = None


class Filters(ConfigModel):
    palette: dict[str, PaletteFilter]
    lighting: dict[str, LightingFilter]
    motion: dict[str, MotionFilter]


def known_values(filters: dict) -> dict[str, set[str]]:
    """The canonical values each domain accepts from the config tables."""
    return {
        "palette": set(COLOUR_ORIGINS) | set(filters["palette"]),
        "motion": set(filters["motion"]),
        "lighting": set(filters["lighting"]),
        "camera": set(CAMERA_MOTIONS),
        "camera_speed": set(CAMERA_SPEEDS),
        "gradient": set(GRADIENT_TYPES),
        "mood": set(SEMANTIC_ORIGINS["mood"]),
        "sound": set(SOUND_ORIGINS),
    }


def check_value(known: dict[str, set[str]], domain: str, value: str, at: str) -> None:
    """Refuse a domain the interpreter does not have, or a value its domain does not know."""
    if domain not in known:
        raise expected(f"a domain ({', '.join(known)})", domain, at=at)
    if value not in known[domain]:
        raise expected(f"a {domain} value ({', '.join(sorted(known[domain]))})", value, at=at)


class InterpretationFile(ConfigModel):
    dialect: dict[Text, Text]
    keywords: dict[str, dict[str, Text]]
    stopwords: list[Text]
    numbers: dict[str, Positive]
    duration_units: dict[str, Positive]
    filters: Filters
    prompt_templates: list[Annotated[Text, AfterValidator(_template)]]

    @model_validator(mode="after")
    def _keywords_known(self) -> InterpretationFile:
        known = known_values({name: getattr(self.filters, name) for name in Filters.model_fields})
        for domain, table in self.keywords.items():
            if domain not in DOMAINS:
                raise expected(f"a domain ({', '.join(DOMAINS)})", domain, at=f"keywords.{domain}")
            for span, canonical in table.items():
                check_value(known, domain, canonical, at=f"keywords.{domain}.{span}")
        return self
