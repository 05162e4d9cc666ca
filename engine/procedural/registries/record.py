"""Writing to the registries: the growth rule, and the records of jobs and runs.

Growth rule: compute the key; if the entry exists, one more source row (its count is derived
from those rows) remembers who saw it; else the entry is inserted with a new unique name.
Every function takes an open write session (`with store.write() as s:`), so a caller groups
as many observations as it likes into one transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from itertools import islice

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from engine.procedural.registries.catalog import (
    EntryRecord,
    RegistryError,
    SourceRef,
    check_aspect,
)
from engine.procedural.registries.concurrency import (
    existing_entries,
    hold_naming_lock,
    insert_new_entries,
    share_backfill_lock,
    upsert_interpretation,
)
from engine.procedural.registries.gibberish import is_gibberish
from engine.procedural.registries.keys import (
    RegistryKeyError,
    canonical_sound_key,
    colour_depth,
    parse_colour_key,
    semantic_key,
    sound_depth,
)
from engine.procedural.registries.models import (
    CreationJob,
    DiscoveryRun,
    LearningRun,
    LinguisticMapping,
    RegistryEntry,
    RegistrySource,
)
from engine.procedural.registries.names import candidates, pick_name_batched
from engine.procedural.registries.query import entry_record, make_record
from engine.store.models import utcnow

FOCUSES = ("frame", "window", "all")
VARIANT_TYPES = ("synonym", "slang", "dialect", "paraphrase", "exact")


def normalise_key(registry: str, aspect: str, key: str) -> str:
    """The key as stored; raises RegistryError when it does not fit the aspect.

    A Pure sound key may be a composite: valid sound keys joined by '+', stored with its
    parts in the canonical order (loudest first), so the same mixture is always one key."""
    check_aspect(registry, aspect)
    if not isinstance(key, str) or not key.strip():
        raise RegistryError(f"{registry}/{aspect}: the key is empty")
    try:
        if registry == "pure" and aspect == "colour":
            parse_colour_key(key)
        elif registry == "pure" and aspect == "sound":
            return canonical_sound_key(key.strip())
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
        return sound_depth(key)
    return None


class _NameBook:
    """Names known to be in use, per write session: a new entry's name candidates are asked
    about a batch at a time, and each name is asked about once per session."""

    KEY = "dailies.registry.names"

    def __init__(self, session: Session):
        self.session = session
        self.taken: set[str] = set()
        self.free: set[str] = set()

    @classmethod
    def of(cls, session: Session) -> _NameBook:
        book = session.info.get(cls.KEY)
        if book is None:
            book = session.info[cls.KEY] = cls(session)
        return book

    def taken_among(self, names: list[str]) -> set[str]:
        unknown = list({n for n in names if n not in self.taken and n not in self.free})
        for i in range(0, len(unknown), 500):
            chunk = unknown[i : i + 500]
            found = set(self.session.scalars(select(RegistryEntry.name).where(RegistryEntry.name.in_(chunk))))
            self.taken |= found
            self.free |= set(chunk) - found
        return {n for n in names if n in self.taken}

    def claim(self, name: str) -> str:
        self.taken.add(name)
        self.free.discard(name)
        return name

    def prefetch(self, registry: str, aspect: str, keys: list[str], per_key: int = 24) -> None:
        """Ask about the first candidates of many new entries at once (one query per 500)."""
        names: list[str] = []
        for key in keys:
            names += [n for n in islice(candidates(registry, aspect, key), per_key) if not is_gibberish(n)]
        self.taken_among(names)

    def pick(self, registry: str, aspect: str, key: str) -> str:
        return self.claim(pick_name_batched(registry, aspect, key, self.taken_among))


_ENTRY_COLUMNS = (
    ("reg", "reg"), ("aspect", "aspect"), ("key", "key"), ("name", "name"), ("is_origin", "is_origin"),
    ("value_json", "value_json"), ("depth_json", "depth_json"), ("created_at", "created_at"),
)


def _dumps(obj: dict | None) -> str | None:
    return json.dumps(obj, sort_keys=True) if obj is not None else None


def _counts(session: Session, registry: str, aspect: str, ids: list[int]) -> dict[int, int]:
    """Each entry's count, summed from its source rows (an index-only aggregate)."""
    out: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out.update(
            (eid, int(total)) for eid, total in session.execute(
                select(RegistrySource.entry_id, func.sum(RegistrySource.times)).where(
                    RegistrySource.reg == registry, RegistrySource.aspect == aspect,
                    RegistrySource.entry_id.in_(chunk),
                ).group_by(RegistrySource.entry_id)
            )
        )
    return out


def observe_many(
    session: Session,
    registry: str,
    aspect: str,
    observations: Mapping[str, int],
    *,
    source: SourceRef,
    depths: Mapping[str, dict] | None = None,
    values: Mapping[str, dict] | None = None,
    created_at: datetime | None = None,
    names: Mapping[str, str] | None = None,
) -> dict[str, EntryRecord]:
    """Record that `source` saw each key `times` times ({key: times}), in a few statements:
    one lookup of the known entries, batched name lookups for the new ones, one insert of the
    new entries and one of the source rows, one aggregate for the counts. Returns each
    stored key's entry as it now stands (without its sources; see query.find_entry).

    `depths`, `values` and `names` (by key as given) apply to entries created here."""
    if not isinstance(source, SourceRef):
        raise RegistryError(f"source must be a SourceRef, not {type(source).__name__}")
    depths, values, names = depths or {}, values or {}, names or {}
    wanted: dict[str, int] = {}
    given: dict[str, str] = {}
    for raw, times in observations.items():
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise RegistryError(f"times must be a whole number of at least 1, not {times!r} (key '{raw}')")
        key = normalise_key(registry, aspect, raw)
        wanted[key] = wanted.get(key, 0) + times
        given.setdefault(key, raw)
    if not wanted:
        return {}
    when = created_at or utcnow()
    keys = list(wanted)
    share_backfill_lock(session)
    found = existing_entries(session, registry, aspect, keys)
    new_keys = [k for k in keys if k not in found]
    if new_keys:
        book = _NameBook.of(session)
        if hold_naming_lock(session):  # another worker may have added keys and names meanwhile
            book.free.clear()
            found.update(existing_entries(session, registry, aspect, new_keys))
            new_keys = [k for k in keys if k not in found]
    if new_keys:
        book.prefetch(registry, aspect, [k for k in new_keys if not names.get(given[k], names.get(k))])
        fresh = []
        for key in new_keys:
            raw = given[key]
            depth = depths.get(raw, depths.get(key))
            if depth is None:
                depth = default_depth(registry, aspect, key)
            name = names.get(raw, names.get(key))
            fresh.append(RegistryEntry(
                reg=registry, aspect=aspect, key=key,
                name=book.claim(name) if name else book.pick(registry, aspect, key),
                is_origin=False, value_json=_dumps(values.get(raw, values.get(key))),
                depth_json=_dumps(depth), created_at=when,
            ))
        # one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING (adding ORM objects would
        # insert them one by one); a key another writer stored meanwhile is read back instead
        rows = [{c: getattr(e, attr) for c, attr in _ENTRY_COLUMNS} for e in fresh]
        ids = insert_new_entries(session, rows)
        for e in fresh:
            if e.key in ids:
                e.id = ids[e.key]  # a detached record of the row, never added to the session
            else:
                book.taken.discard(e.name)
        found.update((e.key, e) for e in fresh if e.key in ids)
        found.update(existing_entries(session, registry, aspect, [e.key for e in fresh if e.key not in ids]))
        new_keys = [k for k in new_keys if k in ids]
    session.execute(insert(RegistrySource), [
        {"entry_id": found[k].id, "reg": registry, "aspect": aspect, "kind": source.kind, "ref": source.ref,
         "prompt": source.prompt, "times": times, "created_at": when}
        for k, times in wanted.items()
    ])
    known = [found[k].id for k in keys if k not in set(new_keys)]
    counts = _counts(session, registry, aspect, known) if known else {}
    fresh_set = set(new_keys)
    return {
        k: make_record(found[k], wanted[k] if k in fresh_set else counts.get(found[k].id, 0), [])
        for k in keys
    }


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
    with_sources: bool = False,
) -> EntryRecord:
    """Record that `source` saw `key` (`times` times); returns the entry as it now stands
    (its source rows too when `with_sources`: reading them all costs more as the entry grows).

    `name` is for imports that bring an existing name along; otherwise a new entry is named
    by names.pick_name (deterministic, unique across the store)."""
    if times < 1:
        raise RegistryError(f"times must be at least 1, not {times}")
    stored = normalise_key(registry, aspect, key)
    record = observe_many(
        session, registry, aspect, {stored: times}, source=source,
        depths={stored: depth} if depth is not None else None,
        values={stored: value} if value is not None else None,
        created_at=created_at, names={stored: name} if name else None,
    )[stored]
    if with_sources:
        entry = session.get(RegistryEntry, record.id)
        return entry_record(session, entry)
    return record


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
    text = json.dumps(instruction, sort_keys=True, ensure_ascii=False)
    # one upsert: two workers interpreting the same prompt at once leave one row, the later one
    upsert_interpretation(session, ident, prompt, text, updated_at or utcnow())
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
