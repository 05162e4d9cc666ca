"""presence.json: the word classes the people finder reads (see engine.takes.prompting.presence_config)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from engine.core.settings.loading import ConfigModel, expected


def _noun(word: str) -> str:
    from engine.takes.prompting import wordnet

    if word != word.lower() or not wordnet.is_noun(word):
        raise expected("a lower-case WordNet noun")
    return word


class PresenceFile(ConfigModel):
    depiction_nouns: Annotated[list[Annotated[str, AfterValidator(_noun)]], Field(min_length=1)]
    record_nouns_lexfiles: list[Annotated[int, Field(ge=3, le=28)]]
