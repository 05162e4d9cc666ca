"""The three prompt config files, loaded once and validated whole.

prompt_constants.json holds every guard and casting text, lexicon.json the kinetic map,
models.json one profile per target (their pydantic models are in engine.takes.prompting.settings). A missing,
unknown or wrong-typed key, a malformed lexicon entry (verbs must be base forms, each in one
entry) or a profile whose system-prompt file is missing raises ConfigError naming the file
and the key. Loaded configs are cached per config folder; `clear_cache()` forgets them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.core import paths
from engine.core.errors import ConfigError
from engine.core.settings.loading import load, shown
from engine.takes.prompting.settings.lexicon import LexiconFile
from engine.takes.prompting.settings.models import TARGETS, ModelsFile, ProfileSpec
from engine.takes.prompting.settings.prompt_constants import ConstantsFile

CONSTANTS_FILE = "prompt_constants.json"
LEXICON_FILE = "lexicon.json"
MODELS_FILE = "models.json"


@dataclass(frozen=True)
class KineticEntry:
    verbs: tuple[tuple[str, ...], ...]  # base forms, each as words ("keel", "over")
    descriptor: str
    not_before: frozenset[str] = frozenset()  # "bolts the door" is not a sprint
    object: str | None = None  # "person": only with a person as its object ("holds her")


@dataclass(frozen=True)
class Limits:
    max_words: int | None = None
    min_words: int | None = None
    max_chars: int | None = None
    json_array: bool = False
    block_min: int | None = None
    block_max: int | None = None


@dataclass(frozen=True)
class Profile:
    target: str
    pipelines: tuple[str, ...]
    system_prompt: str | None  # file stem, e.g. "flash_to_nbp"
    version: str | None  # current version, e.g. "v1.1"
    generator: str
    media_kind: str
    locked: tuple[str, ...]  # constant keys whose texts the answer must keep
    limits: Limits
    price: float  # per image or per clip


@dataclass(frozen=True)
class EnrichmentSettings:
    model: str
    price_per_1m_input_tokens: float
    price_per_1m_output_tokens: float
    temperature: float
    timeout_s: float
    concurrency: int
    skip_flash_enrichment: bool


@dataclass(frozen=True)
class PromptConfig:
    constants: dict[str, Any]  # flat: key -> value, every section merged
    kinetic: tuple[KineticEntry, ...]
    kinetic_fallback: str
    enrichment: EnrichmentSettings
    profiles: dict[str, Profile]
    prompts_dir: Path

    def text(self, key: str) -> str:
        return self.constants[key]

    def profile(self, target: str, where: str = "") -> Profile:
        try:
            return self.profiles[target]
        except KeyError:
            from engine.core.errors import PlanError

            at = f"{where}: " if where else ""
            raise PlanError(
                f"{at}target_model '{target}' is not a profile in {MODELS_FILE} "
                f"(known: {', '.join(self.profiles)})"
            ) from None


def _profile(target: str, spec: ProfileSpec) -> Profile:
    return Profile(
        target=target,
        pipelines=tuple(spec.pipelines),
        system_prompt=spec.system_prompt,
        version=spec.version,
        generator=spec.generator,
        media_kind=spec.media_kind,
        locked=tuple(spec.locked),
        limits=Limits(**spec.limits.model_dump()),
        price=float(spec.price.value),
    )


def _kinetic(lexicon: LexiconFile) -> tuple[KineticEntry, ...]:
    return tuple(
        KineticEntry(tuple(tuple(v.split()) for v in e.verbs), e.descriptor,
                     frozenset(w.lower() for w in e.not_before), e.object)
        for e in lexicon.kinetic_map
    )


_CACHE: dict[tuple[str | None, str | None], PromptConfig] = {}


@lru_cache(maxsize=8)
def _load(config: Path, prompts: Path) -> PromptConfig:
    constants = load(ConstantsFile, config / CONSTANTS_FILE).flat()
    lexicon = load(LexiconFile, config / LEXICON_FILE)
    if lexicon.fallback != constants["kinetic_fallback"]:
        raise ConfigError(
            f"{config / LEXICON_FILE}: key 'fallback': expected the text of {CONSTANTS_FILE} "
            f"'shared.kinetic_fallback', got {shown(lexicon.fallback)}"
        )
    if not (prompts / "flash_base_instructions.txt").is_file():
        raise ConfigError(f"{prompts}: flash_base_instructions.txt is missing")
    models = load(ModelsFile, config / MODELS_FILE, context={"prompts": prompts, "constants": constants})
    return PromptConfig(
        constants=constants,
        kinetic=_kinetic(lexicon),
        kinetic_fallback=lexicon.fallback,
        enrichment=EnrichmentSettings(**models.enrichment.model_dump()),
        profiles={t: _profile(t, getattr(models.profiles, t)) for t in TARGETS},
        prompts_dir=prompts,
    )


def load_config() -> PromptConfig:
    """The validated prompt config of the current config and prompts folders (cached)."""
    key = (os.environ.get("DAILIES_CONFIG_DIR"), os.environ.get("DAILIES_PROMPTS_DIR"))
    cfg = _CACHE.get(key)
    if cfg is None:
        cfg = _CACHE[key] = _load(paths.config_dir(), paths.prompts_dir())
    return cfg


def clear_cache() -> None:
    """Forget loaded configs (after a config file was edited)."""
    _CACHE.clear()
    _load.cache_clear()
