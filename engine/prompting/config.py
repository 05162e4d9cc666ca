"""The three prompt config files, loaded once and validated whole.

config/prompt_constants.json holds every guard and casting text, config/lexicon.json the
kinetic map, config/models.json one profile per target. A missing, unknown or wrong-typed key,
a malformed lexicon entry (verbs must be base forms, each in one entry) or a profile whose system-prompt file is missing raises ConfigError naming
the file and the key. Loaded configs are cached per config folder; `clear_cache()` forgets them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine import paths
from engine.errors import ConfigError
from engine.json_files import read_json_object

CONSTANTS_FILE = "prompt_constants.json"
LEXICON_FILE = "lexicon.json"
MODELS_FILE = "models.json"

STR = "text"
STR_LIST = "list of texts"

# The schema of prompt_constants.json: section -> key -> kind.
CONSTANT_KEYS: dict[str, dict[str, str]] = {
    "production": {
        "camera_body": STR,
        "film_stock": STR,
        "film_style_suffix": STR,
        "quality_guard": STR,
        "human_texture_guard": STR,
        "non_human_quality_guard": STR,
        "non_human_footer": STR,
        "wide_shot_footer": STR,
        "medium_shot_footer": STR,
        "close_shot_footer": STR,
        "non_human_identity_lock": STR,
        "camera_direction_guard": STR,
        "env_only_guard": STR,
        "env_footer": STR,
        "medium_clause": STR,
        "video_medium_clause": STR,
        "emotion_clause": STR,
        "emotion_adjective_clause": STR,
        "wardrobe_clause": STR,
        "video_padding": STR_LIST,
    },
    "casting": {
        "casting_camera": STR,
        "casting_lighting": STR,
        "casting_texture_human": STR,
        "casting_texture_synthetic": STR,
        "casting_background": STR,
        "casting_background_final": STR,
        "casting_anti_airbrush": STR,
        "grid_diegetic_framing": STR,
        "grid_layout": STR,
        "turnaround_angles": STR_LIST,
        "turnaround_framing": STR,
        "screen_test_framing": STR,
        "location_ref_framing": STR,
        "expression_framing": STR,
        "expression_emotions": "emotions",
    },
    "shared": {"kinetic_fallback": STR, "universal_expression_subject": STR},
}

ENRICHMENT_KEYS = {
    "model": str,
    "price_per_1m_input_tokens": float,
    "price_per_1m_output_tokens": float,
    "temperature": float,
    "timeout_s": float,
    "concurrency": int,
    "skip_flash_enrichment": bool,
}
PROFILE_KEYS = ("pipelines", "system_prompt", "version", "generator", "media_kind", "locked",
                "limits", "price")
LIMIT_KEYS = {"max_words": int, "min_words": int, "max_chars": int, "json_array": bool,
              "block_min": int, "block_max": int}
PRICE_KEYS = ("per_image", "per_clip")
TARGETS = ("nbp", "kling_i2v", "kling_t2v", "seeddance", "veo", "previz", "casting_grid",
           "casting_turnaround", "screen_test", "location_ref", "expression_matrix")
VERSION_RE = re.compile(r"^v\d+\.\d+$")


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
            from engine.errors import PlanError

            at = f"{where}: " if where else ""
            raise PlanError(
                f"{at}target_model '{target}' is not a profile in {MODELS_FILE} "
                f"(known: {', '.join(self.profiles)})"
            ) from None


def _read(folder: Path, name: str) -> dict[str, Any]:
    return read_json_object(folder / name, what="config file")


def _keys(data: dict, expected, file: str, where: str) -> None:
    prefix = f"{where}." if where else ""
    for key in expected:
        if key not in data:
            raise ConfigError(f"{file}: key '{prefix}{key}' is missing")
    for key in data:
        if key not in expected:
            raise ConfigError(f"{file}: key '{prefix}{key}' is not a known key")


def _type_error(file: str, key: str, kind: str, value: Any) -> ConfigError:
    return ConfigError(f"{file}: key '{key}' must be {kind}, not {type(value).__name__}")


def _text(value: Any, file: str, key: str) -> str:
    if not isinstance(value, str):
        raise _type_error(file, key, "text", value)
    if not value.strip():
        raise ConfigError(f"{file}: key '{key}' is empty")
    return value


def _text_list(value: Any, file: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _type_error(file, key, "a non-empty list of texts", value)
    return tuple(_text(v, file, f"{key}[{i}]") for i, v in enumerate(value))


def _emotions(value: Any, file: str, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, list) or len(value) != 9:
        raise ConfigError(f"{file}: key '{key}' must be a list of 9 emotions")
    out = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise _type_error(file, where, "an object", item)
        _keys(item, ("emotion", "intensities"), file, where)
        levels = _text_list(item["intensities"], file, f"{where}.intensities")
        if len(levels) != 3:
            raise ConfigError(f"{file}: key '{where}.intensities' must hold 3 intensities")
        out.append((_text(item["emotion"], file, f"{where}.emotion"), levels))
    return tuple(out)


def _constants(data: dict, file: str) -> dict[str, Any]:
    _keys(data, CONSTANT_KEYS, file, "")
    flat: dict[str, Any] = {}
    for section, keys in CONSTANT_KEYS.items():
        body = data[section]
        if not isinstance(body, dict):
            raise _type_error(file, section, "an object", body)
        _keys(body, keys, file, section)
        for key, kind in keys.items():
            where = f"{section}.{key}"
            value = body[key]
            if kind == STR:
                flat[key] = _text(value, file, where)
            elif kind == STR_LIST:
                flat[key] = _text_list(value, file, where)
            else:
                flat[key] = _emotions(value, file, where)
    return flat


ENTRY_KEYS = ("verbs", "descriptor", "not_before", "object")
_WORD_RE = re.compile(r"^[a-z]+(?: [a-z]+)*$")


def _lexicon(data: dict, file: str) -> tuple[tuple[KineticEntry, ...], str]:
    _keys(data, ("kinetic_map", "fallback"), file, "")
    entries = data["kinetic_map"]
    if not isinstance(entries, list) or not entries:
        raise _type_error(file, "kinetic_map", "a non-empty list", entries)
    out = []
    seen: dict[str, str] = {}
    for i, entry in enumerate(entries):
        where = f"kinetic_map[{i}]"
        if not isinstance(entry, dict):
            raise _type_error(file, where, "an object", entry)
        for key in entry:
            if key not in ENTRY_KEYS:
                raise ConfigError(f"{file}: key '{where}.{key}' is not a known key")
        for key in ("verbs", "descriptor"):
            if key not in entry:
                raise ConfigError(f"{file}: key '{where}.{key}' is missing")
        verbs = _text_list(entry["verbs"], file, f"{where}.verbs")
        for k, verb in enumerate(verbs):
            if not _WORD_RE.match(verb):
                raise ConfigError(f"{file}: key '{where}.verbs[{k}]' must be a base form in lower-case words, not {verb!r}")
            if verb in seen and seen[verb] != where:
                raise ConfigError(f"{file}: key '{where}.verbs[{k}]' repeats '{verb}' of {seen[verb]}")
            seen[verb] = where
        not_before = _text_list(entry["not_before"], file, f"{where}.not_before") if "not_before" in entry else ()
        obj = entry.get("object")
        if obj is not None and obj != "person":
            raise ConfigError(f"{file}: key '{where}.object' must be \"person\", not {obj!r}")
        out.append(KineticEntry(tuple(tuple(v.split()) for v in verbs),
                                _text(entry["descriptor"], file, f"{where}.descriptor"),
                                frozenset(w.lower() for w in not_before), obj))
    return tuple(out), _text(data["fallback"], file, "fallback")


def _number(value: Any, kind: type, file: str, key: str):
    if kind is bool:
        if not isinstance(value, bool):
            raise _type_error(file, key, "true or false", value)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(file, key, "a number", value)
    if kind is int and not isinstance(value, int):
        raise _type_error(file, key, "a whole number", value)
    if value < 0:
        raise ConfigError(f"{file}: key '{key}' must not be negative")
    return kind(value)


def _enrichment(data: Any, file: str) -> EnrichmentSettings:
    if not isinstance(data, dict):
        raise _type_error(file, "enrichment", "an object", data)
    _keys(data, ENRICHMENT_KEYS, file, "enrichment")
    values = {}
    for key, kind in ENRICHMENT_KEYS.items():
        where = f"enrichment.{key}"
        values[key] = _text(data[key], file, where) if kind is str else _number(data[key], kind, file, where)
    if values["concurrency"] < 1:
        raise ConfigError(f"{file}: key 'enrichment.concurrency' must be at least 1")
    return EnrichmentSettings(**values)


def _profile(target: str, data: Any, file: str, constants: dict, prompts: Path) -> Profile:
    from engine.plans import PIPELINES

    where = f"profiles.{target}"
    if not isinstance(data, dict):
        raise _type_error(file, where, "an object", data)
    _keys(data, PROFILE_KEYS, file, where)
    pipelines = _text_list(data["pipelines"], file, f"{where}.pipelines")
    for i, p in enumerate(pipelines):
        if p not in PIPELINES:
            raise ConfigError(f"{file}: key '{where}.pipelines[{i}]' is '{p}', not a pipeline")
    stem, version = data["system_prompt"], data["version"]
    if stem is None or version is None:
        if stem is not None or version is not None:
            raise ConfigError(f"{file}: key '{where}.version' must be set with system_prompt")
    else:
        _text(stem, file, f"{where}.system_prompt")
        if not isinstance(version, str) or not VERSION_RE.match(version):
            raise ConfigError(f"{file}: key '{where}.version' must look like v1.0, not {version!r}")
        path = prompts / f"{stem}_{version}.txt"
        if not path.is_file():
            raise ConfigError(f"{file}: key '{where}.system_prompt' names {path.name}, which is missing from {prompts}")
    media = _text(data["media_kind"], file, f"{where}.media_kind")
    if media not in ("image", "clip"):
        raise ConfigError(f"{file}: key '{where}.media_kind' must be image or clip")
    locked = tuple(data["locked"]) if isinstance(data["locked"], list) else None
    if locked is None or any(k not in constants or not isinstance(constants[k], str) for k in locked):
        raise ConfigError(f"{file}: key '{where}.locked' must list text keys of {CONSTANTS_FILE}")
    limits = data["limits"]
    if not isinstance(limits, dict):
        raise _type_error(file, f"{where}.limits", "an object", limits)
    for key in limits:
        if key not in LIMIT_KEYS:
            raise ConfigError(f"{file}: key '{where}.limits.{key}' is not a known key")
    lim = Limits(**{k: _number(v, LIMIT_KEYS[k], file, f"{where}.limits.{k}") for k, v in limits.items()})
    price = data["price"]
    if not isinstance(price, dict) or len(price) != 1:
        raise ConfigError(f"{file}: key '{where}.price' must hold one of {', '.join(PRICE_KEYS)}")
    (pkey, pvalue), = price.items()
    if pkey not in PRICE_KEYS:
        raise ConfigError(f"{file}: key '{where}.price.{pkey}' is not a known key")
    return Profile(
        target=target,
        pipelines=pipelines,
        system_prompt=stem,
        version=version,
        generator=_text(data["generator"], file, f"{where}.generator"),
        media_kind=media,
        locked=locked,
        limits=lim,
        price=_number(pvalue, float, file, f"{where}.price.{pkey}"),
    )


_CACHE: dict[tuple[str | None, str | None], PromptConfig] = {}


@lru_cache(maxsize=8)
def _load(config: Path, prompts: Path) -> PromptConfig:
    constants = _constants(_read(config, CONSTANTS_FILE), CONSTANTS_FILE)
    kinetic, fallback = _lexicon(_read(config, LEXICON_FILE), LEXICON_FILE)
    if fallback != constants["kinetic_fallback"]:
        raise ConfigError(
            f"{LEXICON_FILE}: key 'fallback' differs from {CONSTANTS_FILE} 'shared.kinetic_fallback'"
        )
    models = _read(config, MODELS_FILE)
    _keys(models, ("enrichment", "profiles"), MODELS_FILE, "")
    raw_profiles = models["profiles"]
    if not isinstance(raw_profiles, dict):
        raise _type_error(MODELS_FILE, "profiles", "an object", raw_profiles)
    _keys(raw_profiles, TARGETS, MODELS_FILE, "profiles")
    if not (prompts / "flash_base_instructions.txt").is_file():
        raise ConfigError(f"{prompts}: flash_base_instructions.txt is missing")
    profiles = {t: _profile(t, raw_profiles[t], MODELS_FILE, constants, prompts) for t in TARGETS}
    return PromptConfig(
        constants=constants,
        kinetic=kinetic,
        kinetic_fallback=fallback,
        enrichment=_enrichment(models["enrichment"], MODELS_FILE),
        profiles=profiles,
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
