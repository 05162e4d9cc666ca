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
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter

SEALED_FIELDS = (
    "shot_id", "number", "created_at", "prompt", "builder_prompt", "seed", "model", "pipeline",
    "target", "system_prompt_version", "enrichment_outcome", "enrichment_reason", "cost",
    "output_path", "media_kind", "output_sha256", "failed", "extra_json",
)


@lru_cache(maxsize=64)
def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1024)
def _moment_text(moment: datetime) -> str:
    """A timestamp as the digest holds it (UTC, ISO 8601); many takes of an import share one."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat()


# Fields that enter the digest other than as they are, by their place in SEALED_FIELDS.
_AT, _COST, _FAILED = (SEALED_FIELDS.index(name) for name in ("created_at", "cost", "failed"))
_COUNT = len(SEALED_FIELDS)
_SEALED = itemgetter(*SEALED_FIELDS)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _made_once():
    """The encoder's C half made once (JSONEncoder.encode makes it again for every take, which
    costs about as much as the encoding), when this Python has it and it gives the very same
    text; else JSONEncoder.encode."""
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        iterencode = make(None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",",
                          False, False, True)
        sample = [1, "é \" \n\x01", None, True, False, 2**62, "0.1"]
        if "".join(iterencode(sample, 0)) == _ENCODER.encode(sample):
            return lambda fields: "".join(iterencode(fields, 0))
    except TypeError:  # no C half (None), or its signature changed
        pass
    return _ENCODER.encode


_encode = _made_once()


def record_digest(row: Mapping, system_prompt_sha256: str | None) -> str:
    """The digest of one take's recorded fields (`row` holds SEALED_FIELDS)."""
    return sealed_digest(_SEALED(row), system_prompt_sha256)


def sealed_digest(values: Sequence, system_prompt_sha256: str | None) -> str:
    """The digest of one take's recorded fields given as values in SEALED_FIELDS order (any
    values after those are not sealed)."""
    fields = values[:_COUNT] if type(values) is list else list(values[:_COUNT])
    at, cost, failed = fields[_AT], fields[_COST], fields[_FAILED]
    if at is not None:
        fields[_AT] = _moment_text(at)
    if cost is not None:
        fields[_COST] = (cost and _COST_TEXT.get(cost)) or _cost_text(cost)
    if failed is not None:
        fields[_FAILED] = bool(failed)
    fields.append(system_prompt_sha256)
    return hashlib.sha256(_encode(fields).encode("utf-8", "surrogatepass")).hexdigest()


# Costs as the digest holds them (repr of the float); an import's takes share a few amounts.
# Zero is not kept: 0.0 and -0.0 are one key but two texts.
_COST_TEXT: dict[float, str] = {}


def _cost_text(cost: float) -> str:
    text = repr(float(cost))
    if cost:
        if len(_COST_TEXT) >= 4096:
            _COST_TEXT.clear()
        _COST_TEXT[cost] = text
    return text


def digest_of_new(row: Mapping, system_prompt_text: str | None) -> str:
    """The digest of a take about to be inserted, from its row and its system-prompt text."""
    return record_digest(row, text_sha256(system_prompt_text) if system_prompt_text is not None else None)
