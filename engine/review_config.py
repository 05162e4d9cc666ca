"""The review taxonomy and hotkeys, from config/review.json, validated at load."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from engine import paths
from engine.errors import ConfigError
from engine.json_files import read_json_object


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


def _need(entry: dict, key: str, where: str, kind: type = str):
    if key not in entry:
        raise ConfigError(f"{where}: key '{key}' is missing")
    if not isinstance(entry[key], kind):
        raise ConfigError(f"{where}: key '{key}' must be {kind.__name__}")
    return entry[key]


def load_review_config(path: Path | None = None) -> ReviewConfig:
    path = path or paths.config_dir() / "review.json"
    data = read_json_object(path, what="review config")
    unknown = sorted(set(data) - {"taxonomy", "keys"})
    if unknown:
        raise ConfigError(f"{path}: key '{unknown[0]}' is not known")
    raw_tags = _need(data, "taxonomy", str(path), list)
    tags = []
    for i, entry in enumerate(raw_tags):
        where = f"{path}: taxonomy[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be an object")
        extra = sorted(set(entry) - {"tag", "label", "hint", "key", "needs_reference"})
        if extra:
            raise ConfigError(f"{where}: key '{extra[0]}' is not known")
        tags.append(
            RejectionTag(
                tag=_need(entry, "tag", where),
                label=_need(entry, "label", where),
                hint=entry.get("hint", ""),
                key=_need(entry, "key", where),
                needs_reference=bool(entry.get("needs_reference", False)),
            )
        )
    keys = _need(data, "keys", str(path), dict)
    for name, value in keys.items():
        if not isinstance(value, str):
            raise ConfigError(f"{path}: keys.{name} must be text")
    return ReviewConfig(taxonomy=tuple(tags), keys=dict(keys))


@cache
def review_config() -> ReviewConfig:
    return load_review_config()
