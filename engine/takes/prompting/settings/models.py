"""models.json: the enrichment settings and one profile per target.

A profile names its pipelines, its system-prompt file and current version (both or neither;
the file prompts/<system_prompt>_<version>.txt must exist), the media it makes, the texts of
prompt_constants.json its prompts must keep (`locked`), word and character limits, and one
price. Validating needs the prompts folder and the constants: pass them as the context
`{"prompts": Path, "constants": {key: value}}`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, create_model, model_validator

from engine.core.settings.common import Amount, Count, Text
from engine.core.settings.loading import ConfigModel, expected

TARGETS = ("nbp", "kling_i2v", "kling_t2v", "seeddance", "veo", "previz", "casting_grid",
           "casting_turnaround", "screen_test", "location_ref", "expression_matrix")
VERSION_RE = re.compile(r"^v\d+\.\d+$")


class Enrichment(ConfigModel):
    model: Text
    price_per_1m_input_tokens: Amount
    price_per_1m_output_tokens: Amount
    temperature: Amount
    timeout_s: Amount
    concurrency: Annotated[int, Field(ge=1)]
    skip_flash_enrichment: bool


class LimitsSpec(ConfigModel):
    max_words: Count | None = None
    min_words: Count | None = None
    max_chars: Count | None = None
    json_array: bool = False
    block_min: Count | None = None
    block_max: Count | None = None


class PriceSpec(ConfigModel):
    per_image: Amount | None = None
    per_clip: Amount | None = None

    @model_validator(mode="before")
    @classmethod
    def _one(cls, data):
        if isinstance(data, dict) and len(data) != 1:
            raise expected(f"one of {', '.join(cls.model_fields)}")
        return data

    @property
    def value(self) -> float:
        return self.per_image if self.per_image is not None else self.per_clip


def _pipeline(name: str) -> str:
    from engine.core.plans import PIPELINES

    if name not in PIPELINES:
        raise expected(f"a pipeline ({', '.join(PIPELINES)})")
    return name


def _version(version: str | None) -> str | None:
    if version is not None and not VERSION_RE.match(version):
        raise expected("a version like v1.0")
    return version


class ProfileSpec(ConfigModel):
    pipelines: Annotated[list[Annotated[str, AfterValidator(_pipeline)]], Field(min_length=1)]
    system_prompt: Text | None
    version: Annotated[str | None, AfterValidator(_version)]
    generator: Text
    media_kind: Literal["image", "clip"]
    locked: list[str]
    limits: LimitsSpec
    price: PriceSpec

    @model_validator(mode="after")
    def _files_and_keys(self, info: ValidationInfo) -> ProfileSpec:
        ctx = info.context or {}
        if (self.system_prompt is None) != (self.version is None):
            raise expected("a version set with system_prompt (both or neither)", self.version, at="version")
        prompts: Path | None = ctx.get("prompts")
        if self.system_prompt is not None and prompts is not None:
            path = prompts / f"{self.system_prompt}_{self.version}.txt"
            if not path.is_file():
                raise expected(f"a system-prompt file in {prompts}", said=f"{path.name}, which is missing",
                               at="system_prompt")
        constants = ctx.get("constants")
        if constants is not None:
            for i, key in enumerate(self.locked):
                if not isinstance(constants.get(key), str):
                    raise expected("a text key of prompt_constants.json", key, at=f"locked[{i}]")
        return self


Profiles = create_model("Profiles", __base__=ConfigModel, **{t: (ProfileSpec, ...) for t in TARGETS})


class ModelsFile(ConfigModel):
    enrichment: Enrichment
    profiles: Profiles
