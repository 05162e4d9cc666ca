"""Writing to the registries: the growth rule, and the records of jobs and runs.

Growth rule: compute the key; if the entry exists, one more source row (its count is derived
from those rows) remembers who saw it; else the entry is inserted with a new unique name.
Every function takes an open write session (`with store.write() as s:`), so a caller groups
as many observations as it likes into one transaction.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.registries.catalog import (
    EntryRecord,
    RegistryError,
    SourceRef,
    check_aspect,
)
from engine.registries.keys import (
    RegistryKeyError,
    colour_depth,
    parse_colour_key,
    parse_sound_key,
    semantic_key,
)
from engine.registries.models import (
    CreationJob,
    DiscoveryRun,
    Interpretation,
    LearningRun,
    LinguisticMapping,
    RegistryEntry,
    RegistrySource,
)
from engine.registries.names import pick_name
from engine.registries.query import entry_record
from engine.store.models import utcnow

FOCUSES = ("frame", "window", "all")
VARIANT_TYPES = ("synonym", "slang", "dialect", "paraphrase", "exact")


def normalise_key(registry: str, aspect: str, key: str) -> str:
    """The key as stored; raises RegistryError when it does not fit the aspect."""
    check_aspect(registry, aspect)
    if not isinstance(key, str) or not key.strip():
        raise RegistryError(f"{registry}/{aspect}: the key is empty")
    try:
        if registry == "pure" and aspect == "colour":
            parse_colour_key(key)
        elif registry == "pure" and aspect == "sound":
            parse_sound_key(key)
        elif registry == "semantic":
            return semantic_key(key)
    except RegistryKeyError as exc:
        raise RegistryError(f"{registry}/{aspect}: {exc}") from None
    return key.strip()


def default_depth(registry: str, aspect: str, key: str) -> dict | None:
    if aspect == "colour" and registry == "pure":
        r, g, b, _a = parse_colour_key(key)
        return colour_depth(r, g, b)
    if aspect == "sound" and registry == "pure":
        return {parse_sound_key(key)[2]: 100}
    return None


def name_taken(session: Session, name: str) -> bool:
    return session.scalar(select(RegistryEntry.id).where(RegistryEntry.name == name).limit(1)) is not None


def observe(
    session: Session,
    registry: str,
    aspect: str,
    key: str,
    *,
    source: SourceRef,
    depth: dict | None = None,
    value: dict | None = None,
    created_at: datetime | None = None,
    times: int = 1,
    name: str | None = None,
) -> EntryRecord:
    """Record that `source` saw `key` (`times` times); returns the entry as it now stands.

    `name` is for imports that bring an existing name along; otherwise a new entry is named
    by names.pick_name (deterministic, unique across the store)."""
    key = normalise_key(registry, aspect, key)
    if not isinstance(source, SourceRef):
        raise RegistryError(f"source must be a SourceRef, not {type(source).__name__}")
    if times < 1:
        raise RegistryError(f"times must be at least 1, not {times}")
    entry = session.scalar(
        select(RegistryEntry).where(
            RegistryEntry.reg == registry, RegistryEntry.aspect == aspect, RegistryEntry.key == key
        )
    )
    when = created_at or utcnow()
    if entry is None:
        if depth is None:
            depth = default_depth(registry, aspect, key)
        entry = RegistryEntry(
            reg=registry,
            aspect=aspect,
            key=key,
            name=name or pick_name(registry, aspect, key, lambda n: name_taken(session, n)),
            is_origin=False,
            value_json=json.dumps(value, sort_keys=True) if value is not None else None,
            depth_json=json.dumps(depth, sort_keys=True) if depth is not None else None,
            created_at=when,
        )
        session.add(entry)
        session.flush()
    session.add(
        RegistrySource(
            entry_id=entry.id, reg=registry, aspect=aspect, kind=source.kind, ref=source.ref, prompt=source.prompt,
            times=times, created_at=when,
        )
    )
    session.flush()
    return entry_record(session, entry)


def record_job(
    session: Session, ref: str, *, prompt: str | None = None, status: str = "succeeded",
    created_at: datetime | None = None,
) -> None:
    """A creation job (by its id); recording it again updates its prompt and status."""
    job = session.scalar(select(CreationJob).where(CreationJob.ref == ref))
    if job is None:
        session.add(CreationJob(ref=ref, prompt=prompt, status=status, created_at=created_at or utcnow()))
    else:
        job.prompt = prompt if prompt is not None else job.prompt
        job.status = status
    session.flush()


def record_learning_run(
    session: Session, job_ref: str, *, prompt: str | None = None, created_at: datetime | None = None
) -> None:
    session.add(LearningRun(job_ref=job_ref, prompt=prompt, created_at=created_at or utcnow()))
    session.flush()


def record_discovery_run(
    session: Session, job_ref: str, *, focus: str = "all", created_at: datetime | None = None
) -> None:
    if focus not in FOCUSES:
        raise RegistryError(f"discovery focus '{focus}' is not one of {', '.join(FOCUSES)}")
    session.add(DiscoveryRun(job_ref=job_ref, focus=focus, created_at=created_at or utcnow()))
    session.flush()


def record_interpretation(
    session: Session, prompt: str, instruction: dict, *, id: str | None = None,
    updated_at: datetime | None = None,
) -> str:
    """A prompt resolved into an instruction; the same id again replaces it. Returns the id."""
    if not isinstance(instruction, dict):
        raise RegistryError("an interpretation's instruction must be a JSON object")
    ident = id or str(uuid.uuid4())
    row = session.get(Interpretation, ident)
    text = json.dumps(instruction, sort_keys=True, ensure_ascii=False)
    if row is None:
        session.add(Interpretation(id=ident, prompt=prompt, instruction_json=text, updated_at=updated_at or utcnow()))
    else:
        row.prompt, row.instruction_json, row.updated_at = prompt, text, updated_at or utcnow()
    session.flush()
    return ident


def record_linguistic(
    session: Session, span: str, canonical: str, domain: str, *,
    variant_type: str = "synonym", times: int = 1, created_at: datetime | None = None,
) -> None:
    """One more observation of `span` meaning `canonical` in `domain` (rows, not a counter:
    the canonical value reported is the most frequent one, see query.linguistic)."""
    if variant_type not in VARIANT_TYPES:
        raise RegistryError(
            f"linguistic variant type '{variant_type}' is not one of {', '.join(VARIANT_TYPES)}"
        )
    if not span.strip() or not canonical.strip() or not domain.strip():
        raise RegistryError("a linguistic mapping needs a span, a canonical value and a domain")
    session.add(
        LinguisticMapping(
            span=span.strip().lower(), canonical=canonical.strip(), domain=domain.strip(),
            variant_type=variant_type, times=times, created_at=created_at or utcnow(),
        )
    )
    session.flush()
