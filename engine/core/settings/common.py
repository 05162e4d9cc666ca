"""Value shapes several config files share."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from engine.core.settings.loading import expected


def _non_blank(text: str) -> str:
    if not text.strip():
        raise expected("non-empty text")
    return text


Text = Annotated[str, AfterValidator(_non_blank)]  # text with something in it
Texts = Annotated[list[Text], Field(min_length=1)]  # a non-empty list of such texts
Count = Annotated[int, Field(ge=0)]
Amount = Annotated[float, Field(ge=0)]  # a JSON number (integer or not) that is not negative
