"""Recording takes made by another pipeline: the file is checked before anything is stored."""

from __future__ import annotations

from pathlib import Path

from engine.media import probe_media
from engine.store.db import Store
from engine.store.media_files import adopt_media_file
from engine.store.takes import NewTake, TakeRecord, append_take


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
) -> TakeRecord:
    """Append a take for an image or clip made elsewhere, with the exact prompt and seed."""
    media = probe_media(output)
    with store.write() as session:
        output_path = adopt_media_file(session, store.media_dir, shot, media.path, media.sha256)
        return append_take(
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
