"""Drafts and releases of system-prompt versions.

Where drafts live: beside the released files, in the prompts folder, named like any version
(prompts/flash_to_nbp_v1.2.txt). What makes a file a draft is that prompts/manifest.json does
not list it. A draft may be edited freely and replayed against rejected takes, but never
makes a take: generation refuses a target whose current version is a draft. Releasing
records the file's SHA-256 in the manifest; from then on the file is never edited again
(loading an edited release is refused, and saving over a release is refused here). A target
has at most one draft at a time. Releasing does not make the version current: that is the
profile's `version` in config/models.json.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from engine.core.errors import ConfigError, DailiesError
from engine.takes.prompting.config import load_config
from engine.takes.prompting.system_prompts import (
    MANIFEST_FILE,
    manifest,
    prompt_versions,
    system_prompt,
)


@dataclass(frozen=True)
class Draft:
    target: str
    version: str
    from_version: str | None
    path: Path


def _stem(target: str) -> str:
    profile = load_config().profile(target)
    if profile.system_prompt is None:
        raise ConfigError(f"models.json: key 'profiles.{target}.system_prompt' is null: {target} has no system prompt")
    return profile.system_prompt


def _path(target: str, version: str) -> Path:
    return load_config().prompts_dir / f"{_stem(target)}_{version}.txt"


def is_draft(target: str, version: str) -> bool:
    """A version file of `target` that the manifest does not list."""
    return _path(target, version).is_file() and _path(target, version).name not in manifest(load_config().prompts_dir)


def refuse_draft(target: str, version: str | None) -> None:
    """Raise when `version` of `target` is a draft: drafts never make a take."""
    if version and is_draft(target, version):
        raise DailiesError(
            f"system prompt {target} {version} is a draft and never makes a take: release it "
            f"first (dailies prompts release {target} {version}) or set profiles.{target}.version "
            "in models.json to a released version"
        )


def open_draft(target: str) -> Draft | None:
    """The draft of `target`, if it has one."""
    found = [v for v in prompt_versions(target) if not v.released]
    return Draft(target, found[-1].version, None, found[-1].path) if found else None


def _next(version: str) -> str:
    major, minor = (int(x) for x in version[1:].split("."))
    return f"v{major}.{minor + 1}"


def draft(target: str, from_version: str) -> Draft:
    """Write the next version of `target` (one above its newest) as a draft, starting from the
    text of `from_version`."""
    source = system_prompt(target, from_version)  # refuses a missing or edited version
    existing = open_draft(target)
    if existing is not None:
        raise DailiesError(
            f"{target} already has a draft, {existing.version} ({existing.path}): edit it, or release it "
            "before drafting another"
        )
    newest = prompt_versions(target)[-1].version
    version = _next(newest)
    path = _path(target, version)
    _write(path, source.path.read_bytes())
    return Draft(target, version, from_version, path)


def save_draft(target: str, version: str, text: str) -> Path:
    """Replace the text of a draft; a released version is never edited."""
    path = _path(target, version)
    if path.name in manifest(load_config().prompts_dir):
        raise DailiesError(
            f"{target} {version} is released ({path.name} is in {MANIFEST_FILE}) and is never edited: "
            f"draft the next version (dailies prompts draft {target} --from {version})"
        )
    if not path.is_file():
        raise DailiesError(f"{target} has no draft {version} ({path.name} is missing)")
    _write(path, text.encode("utf-8"))
    return path


def release(target: str, version: str) -> str:
    """Freeze a draft: record its SHA-256 in the manifest. Returns the SHA-256."""
    folder = load_config().prompts_dir
    path = _path(target, version)
    released = manifest(folder)
    if path.name in released:
        raise DailiesError(
            f"{target} {version} is released already; released files are never edited "
            f"(draft the next version with: dailies prompts draft {target} --from {version})"
        )
    if not path.is_file():
        raise DailiesError(f"{target} has no version {version} to release ({path.name} is missing)")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    released[path.name] = sha
    text = json.dumps(dict(sorted(released.items())), indent=2, ensure_ascii=False) + "\n"
    _write(folder / MANIFEST_FILE, text.encode("utf-8"))
    return sha


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary file beside it, then a rename."""
    temp = path.with_name(f".{path.name}.writing")
    temp.write_bytes(data)
    os.replace(temp, path)


@dataclass(frozen=True)
class DraftComparison:
    target: str
    released: str | None  # the newest released version below the draft
    draft: str
    released_text: str
    draft_text: str


def compare_draft(target: str, version: str) -> DraftComparison:
    """A draft's file beside the newest released version before it (for the desk's diff)."""
    versions = prompt_versions(target)
    mine = next((v for v in versions if v.version == version), None)
    if mine is None:
        raise DailiesError(f"{target} has no version {version}")
    order = [v.version for v in versions]
    earlier = [v for v in versions[: order.index(version)] if v.released]
    base = earlier[-1] if earlier else None
    return DraftComparison(
        target=target,
        released=base.version if base else None,
        draft=version,
        released_text=base.path.read_text(encoding="utf-8") if base else "",
        draft_text=mine.path.read_text(encoding="utf-8"),
    )
