"""Versioned Flash system prompts: base instructions + one file per target and version.

Files are named prompts/<stem>_vMAJOR.MINOR.txt (stem from the target's profile in
models.json). prompts/manifest.json records the SHA-256 of every released file; a released
file is never edited (a change is a new version), and loading one whose bytes no longer match
the manifest is refused.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from engine.core.errors import ConfigError
from engine.core.settings.loading import load
from engine.takes.prompting.config import load_config
from engine.takes.prompting.settings.manifest import ManifestFile

BASE_FILE = "flash_base_instructions.txt"
MANIFEST_FILE = "manifest.json"
_VERSION_RE = re.compile(r"_(v\d+\.\d+)\.txt$")


@dataclass(frozen=True)
class SystemPrompt:
    target: str
    version: str  # "v1.0"
    text: str  # base instructions + target file
    sha256: str  # of text
    path: Path  # the target's version file


@dataclass(frozen=True)
class PromptVersion:
    target: str
    version: str
    path: Path
    sha256: str  # of the file
    current: bool
    released: bool


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(prompts: Path | None = None) -> dict[str, str]:
    """File name -> SHA-256 of every released prompt file."""
    folder = prompts or load_config().prompts_dir
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return {}
    return dict(load(ManifestFile, path, what="prompt manifest").root)


def _checked_read(path: Path, released: dict[str, str]) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: system-prompt file is missing") from None
    expected = released.get(path.name)
    if expected is not None and _sha(data) != expected:
        raise ConfigError(
            f"{path}: released version was edited (its SHA-256 no longer matches "
            f"{MANIFEST_FILE}); put the change in a new version file instead"
        )
    return data.decode("utf-8")


def _versions_of(stem: str, folder: Path) -> list[str]:
    found = []
    for path in folder.glob(f"{stem}_v*.txt"):
        m = _VERSION_RE.search(path.name)
        if m and path.name == f"{stem}_{m.group(1)}.txt":
            found.append(m.group(1))
    return sorted(found, key=lambda v: tuple(int(x) for x in v[1:].split(".")))


def system_prompt(target: str, version: str | None = None) -> SystemPrompt:
    """The runtime system prompt of `target` (a models.json profile key) at `version`
    (default: the profile's current version): base instructions + the target's file."""
    cfg = load_config()
    profile = cfg.profile(target)
    if profile.system_prompt is None:
        raise ConfigError(f"models.json: key 'profiles.{target}.system_prompt' is null: {target} has no system prompt")
    version = version or profile.version
    folder = cfg.prompts_dir
    path = folder / f"{profile.system_prompt}_{version}.txt"
    if not path.is_file():
        known = ", ".join(_versions_of(profile.system_prompt, folder))
        raise ConfigError(f"{path.name}: no version {version} of {target} (known: {known})")
    released = manifest(folder)
    base = _checked_read(folder / BASE_FILE, released)
    text = base.rstrip("\n") + "\n\n" + _checked_read(path, released)
    return SystemPrompt(target=target, version=version, text=text, sha256=_sha(text.encode("utf-8")), path=path)


def prompt_versions(target: str | None = None) -> list[PromptVersion]:
    """Every version file of every target (or of one), oldest first per target."""
    cfg = load_config()
    released = manifest(cfg.prompts_dir)
    out = []
    for name, profile in cfg.profiles.items():
        if profile.system_prompt is None or (target is not None and name != target):
            continue
        for version in _versions_of(profile.system_prompt, cfg.prompts_dir):
            path = cfg.prompts_dir / f"{profile.system_prompt}_{version}.txt"
            out.append(
                PromptVersion(
                    target=name,
                    version=version,
                    path=path,
                    sha256=_sha(path.read_bytes()),
                    current=version == profile.version,
                    released=path.name in released,
                )
            )
    if target is not None and target not in cfg.profiles:
        cfg.profile(target)
    return out


def prompt_diff(target: str, old: str, new: str) -> str:
    """A unified diff between two versions of a target's system-prompt file."""
    a, b = system_prompt(target, old), system_prompt(target, new)
    lines = difflib.unified_diff(
        a.path.read_text(encoding="utf-8").splitlines(keepends=True),
        b.path.read_text(encoding="utf-8").splitlines(keepends=True),
        fromfile=a.path.name,
        tofile=b.path.name,
    )
    return "".join(lines)


