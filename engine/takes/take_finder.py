"""`dailies takes find FILE`: the take that made a file, from the file or from any copy of it.

First the exact bytes: the embedded provenance, or the content hash of the model's bytes
(engine.takes.provenance). Then the picture: the takes whose perceptual hash lies within
perceptual.MAX_DISTANCE bits of the file's are looked at closer, and the one whose picture
differs least, within perceptual.MAX_DIFFERENCE, is the match. Nothing within both: no take
made the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.core.errors import MediaError
from engine.core.media import CLIP_SUFFIXES
from engine.store.takes import TakeRecord, takes_by_ids
from engine.takes import perceptual, provenance
from engine.takes.perceptual_hashes import hash_missing, load_hashes, snapshot_path, unhashed_count

CANDIDATES = 16  # nearest hashes looked at closer


@dataclass(frozen=True)
class TakeMatch:
    take: TakeRecord
    how: str  # provenance | content hash | perceptual
    distance: int | None = None  # bits of 64 between the hashes, for a perceptual match
    difference: float | None = None  # the closer look's figure; None: the take's file is gone

    @property
    def summary(self) -> str:
        if self.how != "perceptual":
            return f"exact match, by {self.how}"
        confirmed = "" if self.difference is not None else " (the take's file is missing: not looked at closer)"
        return f"perceptual match, distance {self.distance} of {perceptual.BITS}{confirmed}"


def _query_look(path: Path, data: bytes):
    if path.suffix.lower() in CLIP_SUFFIXES:
        return perceptual.look_of_file(path)
    return perceptual.look_of_bytes(data)


def _nearest(store, query: int) -> list[tuple[TakeRecord, int]]:
    """The takes within MAX_DISTANCE of `query`, nearest first (at most CANDIDATES)."""
    with store.read() as s:
        missing = unhashed_count(s)
    if missing:  # takes recorded before hashes were kept, or imported in bulk
        hash_missing(store)
    with store.read() as s:
        ids, hashes = load_hashes(s, snapshot_path(store))
        found = perceptual.distances(hashes, query)
        near = np.flatnonzero(found <= perceptual.MAX_DISTANCE)
        near = near[np.argsort(found[near], kind="stable")][:CANDIDATES]
        distance = {int(ids[i]): int(found[i]) for i in near}
        records = takes_by_ids(s, list(distance))
    return sorted(((r, distance[r.id]) for r in records), key=lambda pair: (pair[1], pair[0].id))


def _closer(store, look, candidates: list[tuple[TakeRecord, int]]) -> TakeMatch | None:
    seen: list[TakeMatch] = []
    gone: list[TakeMatch] = []
    for take, distance in candidates:
        source = store.resolve_media(take.output_path)
        try:
            other = perceptual.look_of_file(source) if source is not None else None
        except MediaError:
            other = None
        if other is None:
            gone.append(TakeMatch(take, "perceptual", distance))
            continue
        difference = perceptual.difference(look, other)
        if difference <= perceptual.MAX_DIFFERENCE:
            seen.append(TakeMatch(take, "perceptual", distance, difference))
    if seen:
        return min(seen, key=lambda m: (m.difference, m.distance, m.take.id))
    if len(gone) == len(candidates) and gone:
        best = min(m.distance for m in gone)
        nearest = [m for m in gone if m.distance == best]
        if len(nearest) == 1:  # nothing to look at closer, and no sibling as near
            return nearest[0]
    return None


def find_take(store, path: str | Path) -> TakeMatch:
    """The take that made the file at `path` or the picture in it; MediaError when none did."""
    path = Path(path)
    data = provenance.read_file(path)
    with store.read() as s:
        exact = provenance.find_exact(s, data)
    if exact is not None:
        return TakeMatch(*exact)
    reason = f"no perceptual match within {perceptual.MAX_DISTANCE} of {perceptual.BITS}"
    try:
        look = _query_look(path, data)
    except MediaError:
        look = None
        reason = "and it is not a picture Dailies can read"
    if look is not None:
        match = _closer(store, look, _nearest(store, perceptual.phash(look)))
        if match is not None:
            return match
    raise MediaError(
        f"{path}: no take in store {store.display()} made this file (no Dailies metadata, "
        f"no matching content hash, {reason})"
    )
