"""lexicon.json: the kinetic map, verbs in base form (each in one entry) to a descriptor."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from engine.core.settings.common import Text, Texts
from engine.core.settings.loading import ConfigModel, expected

_WORD_RE = re.compile(r"^[a-z]+(?: [a-z]+)*$")


def _base_form(verb: str) -> str:
    if not _WORD_RE.match(verb):
        raise expected("a base form in lower-case words")
    return verb


class KineticSpec(ConfigModel):
    verbs: Annotated[list[Annotated[str, AfterValidator(_base_form)]], Field(min_length=1)]
    descriptor: Text
    not_before: Texts = Field(default_factory=list)  # "bolts the door" is not a sprint
    object: Literal["person"] | None = None  # only with a person as its object ("holds her")


class LexiconFile(ConfigModel):
    kinetic_map: Annotated[list[KineticSpec], Field(min_length=1)]
    fallback: Text

    @model_validator(mode="after")
    def _each_verb_once(self) -> LexiconFile:
        seen: dict[str, int] = {}
        for i, entry in enumerate(self.kinetic_map):
            for k, verb in enumerate(entry.verbs):
                if seen.get(verb, i) != i:
                    raise expected(f"a verb no other entry has (kinetic_map[{seen[verb]}] has it)",
                                   verb, at=f"kinetic_map[{i}].verbs[{k}]")
                seen[verb] = i
        return self
