"""The review taxonomy and hotkeys, from review.json in the config folder, validated at load
(engine.core.settings.review)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from engine.core import paths
from engine.core.errors import ConfigError
from engine.core.settings.loading import load
from engine.core.settings.review import ReviewFile


@dataclass(frozen=True)
class RejectionTag:
    tag: str
    label: str
    hint: str
    key: str
    needs_reference: bool = False


@dataclass(frozen=True)
class ReviewConfig:
    taxonomy: tuple[RejectionTag, ...]
    keys: dict[str, str]

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(t.tag for t in self.taxonomy)

    def tag(self, name: str) -> RejectionTag:
        for t in self.taxonomy:
            if t.tag == name:
                return t
        raise ConfigError(f"'{name}' is not a rejection tag; tags are {', '.join(self.tags)}")


def load_review_config(path: Path | None = None) -> ReviewConfig:
    path = path or paths.config_dir() / "review.json"
    data = load(ReviewFile, path, what="review config")
    tags = tuple(RejectionTag(t.tag, t.label, t.hint, t.key, t.needs_reference) for t in data.taxonomy)
    return ReviewConfig(taxonomy=tags, keys=dict(data.keys))


@cache
def review_config() -> ReviewConfig:
    return load_review_config()
