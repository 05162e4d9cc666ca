"""review.json: the rejection taxonomy reviewers tag with, and the desk's review keys."""

from __future__ import annotations

from pydantic import StrictStr

from engine.core.settings.loading import ConfigModel


class TagSpec(ConfigModel):
    tag: StrictStr
    label: StrictStr
    hint: StrictStr = ""
    key: StrictStr
    needs_reference: bool = False


class ReviewFile(ConfigModel):
    taxonomy: list[TagSpec]
    keys: dict[str, StrictStr]
