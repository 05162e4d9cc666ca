"""Each take's digest: a SHA-256 over every field it was recorded with, kept on the row.

The database refuses to rewrite or delete a take (triggers); the digest is the second line:
a rewrite that got past the triggers (they were dropped, the file was edited by hand) no
longer matches its row, and `dailies store check` names the take. The system-prompt text
enters by its SHA-256, so editing a stored text together with its hash is seen too.

Someone holding the store file can still recompute every digest after a rewrite: the digest
shows accidents and shortcuts, not a determined forger (see README, "What the store guarantees").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache

SEALED_FIELDS = (
    "shot_id", "number", "created_at", "prompt", "builder_prompt", "seed", "model", "pipeline",
    "target", "system_prompt_version", "enrichment_outcome", "enrichment_reason", "cost",
    "output_path", "media_kind", "output_sha256", "failed", "extra_json",
)


@lru_cache(maxsize=64)
def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(name: str, value):
    if value is None:
        return None
    if name == "created_at":
        moment: datetime = value
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        return moment.isoformat()
    if name == "cost":
        return repr(float(value))
    if name == "failed":
        return bool(value)
    return value


def record_digest(row: Mapping, system_prompt_sha256: str | None) -> str:
    """The digest of one take's recorded fields (`row` holds SEALED_FIELDS)."""
    fields = [_canonical(name, row[name]) for name in SEALED_FIELDS]
    fields.append(system_prompt_sha256)
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def digest_of_new(row: Mapping, system_prompt_text: str | None) -> str:
    """The digest of a take about to be inserted, from its row and its system-prompt text."""
    return record_digest(row, text_sha256(system_prompt_text) if system_prompt_text is not None else None)
