"""registries.json: registry density thresholds and the prompt generator's templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from engine.core.settings.loading import ConfigModel, expected, load

SLOT_PATTERN = re.compile(r"\{([a-z_]+)\}")  # a template's slot: {colour}

# slot -> the registry aspects that fill it
SLOT_ASPECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "colour": (("pure", "colour"), ("blended", "colour")),
    "sound": (("pure", "sound"),),
    "motion": (("blended", "motion"),),
    "camera": (("blended", "camera"),),
    "audio": (("blended", "audio"),),
    "mood": (("semantic", "mood"),),
    "setting": (("semantic", "settings"),),
    "theme": (("semantic", "themes"),),
}
SLOTS = tuple(SLOT_ASPECTS)

Number = float  # strict: a JSON number, integer or not, never text or true/false


class Density(ConfigModel):
    sparse_min_entries: dict[str, int]
    sparse_min_coverage_pct: Number
    stagnant_max_growth: int

    @field_validator("sparse_min_entries")
    @classmethod
    def _known(cls, mins: dict[str, int]) -> dict[str, int]:
        from engine.procedural.registries.catalog import REGISTRIES

        for k in mins:
            if k != "default" and k.split("/")[0] not in REGISTRIES:
                raise expected(f"'default' or registry names ({', '.join(REGISTRIES)})", k)
        return mins


class Diagnostics(ConfigModel):
    target_pct: Number
    last_jobs: int


def _template(text: str) -> str:
    unknown = set(SLOT_PATTERN.findall(text)) - set(SLOTS)
    rest = SLOT_PATTERN.sub("", text)
    if not text.strip() or unknown or "{" in rest or "}" in rest:
        raise expected(f"a sentence whose slots are {', '.join(SLOTS)}")
    return text


class PromptGenerator(ConfigModel):
    templates: Annotated[list[Annotated[str, AfterValidator(_template)]], Field(min_length=1)]


class RegistriesFile(ConfigModel):
    density: Density
    diagnostics: Diagnostics
    prompt_generator: PromptGenerator


def load_registries_file(path: Path) -> RegistriesFile:
    """registries.json at `path`, checked whole."""
    return load(RegistriesFile, path)
