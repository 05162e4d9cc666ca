"""prompts/manifest.json: the SHA-256 of every released system-prompt file, by file name."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, RootModel

from engine.core.settings.loading import expected

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _sha256(text: str) -> str:
    if not _SHA256.match(text):
        raise expected("a SHA-256 (64 lower-case hex digits)")
    return text


class ManifestFile(RootModel[dict[str, Annotated[str, AfterValidator(_sha256)]]]):
    model_config = ConfigDict(strict=True, frozen=True)
