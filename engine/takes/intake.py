"""Recording takes made by another pipeline: the file, the model and the system-prompt
version are checked before anything is stored, so a take's provenance names only things the
product knows (a model outside config/models.json is let in only when the caller says so)."""

from __future__ import annotations

from pathlib import Path

from engine.core.errors import ConfigError
from engine.core.media import probe_media
from engine.store.db import Store
from engine.store.media_files import adopt_media_file
from engine.store.takes import NewTake, TakeRecord, append_take
from engine.takes.display_copies import take_display_copy
from engine.takes.perceptual_hashes import file_hash, record_hash
from engine.takes.prompting.config import load_config
from engine.takes.prompting.system_prompts import prompt_versions


def record_external_take(
    store: Store,
    *,
    shot: str,
    output: str | Path,
    prompt: str,
    seed: int | None,
    model: str,
    system_prompt_version: str | None = None,
    system_prompt_text: str | None = None,
    pipeline: str = "external",
    target: str | None = None,
    cost: float = 0.0,
    allow_unknown_model: bool = False,
) -> TakeRecord:
    """Append a take for an image or clip made elsewhere, with the exact prompt and seed."""
    check_provenance(model=model, target=target, system_prompt_version=system_prompt_version,
                     allow_unknown_model=allow_unknown_model)
    media = probe_media(output)
    with store.write() as session:
        output_path = adopt_media_file(session, store.media_dir, shot, media.path, media.sha256)
        take = append_take(
            session,
            NewTake(
                shot=shot,
                model=model,
                pipeline=pipeline,
                prompt=prompt,
                seed=seed,
                output_path=output_path,
                media_kind=media.kind,
                target=target,
                system_prompt_version=system_prompt_version,
                system_prompt_text=system_prompt_text,
                cost=cost,
                output_sha256=media.sha256,
            ),
        )
        record_hash(session, take.id, file_hash(media.path))
    take_display_copy(store, take)
    return take


def check_provenance(
    *, model: str, target: str | None, system_prompt_version: str | None, allow_unknown_model: bool = False
) -> None:
    """Refuse, in one line listing the valid choices, a model config/models.json does not
    know (unless allowed), an unknown target, or a system-prompt version never released for
    the target (without a target: for any target that uses the model)."""
    profiles = load_config().profiles
    models = sorted({p.generator for p in profiles.values()})
    if model not in models and not allow_unknown_model:
        raise ConfigError(
            f"model '{model}' is not in config/models.json (known: {', '.join(models)}); "
            "pass --allow-unknown-model to record it anyway"
        )
    if target is not None and target not in profiles:
        raise ConfigError(f"target '{target}' is not in config/models.json (known: {', '.join(profiles)})")
    if system_prompt_version is None:
        return
    if target is not None:
        targets = [target]
    else:
        targets = [name for name, p in profiles.items() if p.generator == model] or list(profiles)
    released = {t: [v.version for v in prompt_versions(t) if v.released] for t in targets}
    if any(system_prompt_version in versions for versions in released.values()):
        return
    where = f"for {target}" if target else f"for any target of {model}"
    listed = "; ".join(f"{t}: {', '.join(v) or 'none'}" for t, v in released.items() if v or target)
    raise ConfigError(
        f"system-prompt version '{system_prompt_version}' was never released {where} "
        f"(released: {listed or 'none'})"
    )
