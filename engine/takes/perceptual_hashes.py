"""Each take's perceptual hash, kept beside the take (engine.takes.perceptual says what it is).

A hash is recorded where a take's file is written or adopted (generation, `takes add`, the
demo), in the same write session as the take, so bulk imports stay as fast as before: their
takes, and those of a store made before hashes existed, are hashed afterwards by
`hash_missing` (`dailies takes hash --missing`; `takes find` runs it when it meets takes
without a hash). A row with no hash says the take has no file, or that its file could not be
read when it was hashed; `hash_missing(retry=True)` tries those files again.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import BigInteger, ForeignKey, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.core.errors import MediaError
from engine.store.models import Base, Take, UTCDateTime, utcnow
from engine.takes import perceptual

CHUNK = 200  # takes hashed per write session


class TakePerceptualHash(Base):
    __tablename__ = "take_perceptual_hash"

    take_id: Mapped[int] = mapped_column(ForeignKey("take.id"), primary_key=True)
    phash: Mapped[int | None] = mapped_column(BigInteger)  # unsigned 64 bits, stored signed
    hashed_at: Mapped[datetime] = mapped_column(UTCDateTime)


HASHES = TakePerceptualHash.__table__


def _insert_ignoring_known(session: Session, rows: list[dict]) -> None:
    """Insert hash rows; a take another writer hashed meanwhile keeps its row."""
    if not rows:
        return
    dialect = session.connection().dialect.name
    make = pg_insert if dialect == "postgresql" else sqlite_insert if dialect == "sqlite" else None
    statement = make(HASHES).on_conflict_do_nothing() if make else insert(HASHES)
    session.execute(statement, rows)


def record_hash(session: Session, take_id: int, value: int | None) -> None:
    """Keep a take's hash (unsigned; None: nothing could be hashed) in this write session."""
    signed = None if value is None else perceptual.to_signed(value)
    _insert_ignoring_known(session, [{"take_id": take_id, "phash": signed, "hashed_at": utcnow()}])


def file_hash(path: Path | None) -> int | None:
    """The hash of a take's file; None when there is no file or it cannot be read."""
    if path is None:
        return None
    try:
        return perceptual.phash(perceptual.look_of_file(path))
    except MediaError:
        return None


def unhashed_count(session: Session) -> int:
    """How many takes have no hash row yet (two counts over primary keys: cheap)."""
    takes = session.scalar(select(func.count()).select_from(Take)) or 0
    hashed = session.scalar(select(func.count()).select_from(HASHES)) or 0
    return max(0, takes - hashed)


def _fetch_pairs(session: Session) -> np.ndarray:
    statement = "SELECT take_id, phash FROM take_perceptual_hash WHERE phash IS NOT NULL"
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # straight to the driver, no row objects
        cursor = conn.connection.driver_connection.cursor()
        try:
            flat = np.fromiter(itertools.chain.from_iterable(cursor.execute(statement)), dtype=np.int64)
        finally:
            cursor.close()
    else:
        rows = conn.exec_driver_sql(statement).fetchall()
        flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
    return flat.reshape(-1, 2)


def _snapshot_key(session: Session) -> tuple[int, int]:
    """(hashes kept, highest hashed take id): hash rows are only ever added, or filled in
    where a file could not be read before, and either changes the key."""
    count, last = session.execute(
        select(func.count(HASHES.c.phash), func.coalesce(func.max(HASHES.c.take_id), 0))).one()
    return int(count), int(last)


def load_hashes(session: Session, snapshot: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(take ids, hashes as uint64) of every hashed take, for a vectorised search.

    With `snapshot` (a file in the media folder), the arrays are read from it while the
    store holds the same hashes, and written to it when it does not: loading 100,000 hashes
    from the rows costs more than the search."""
    key = _snapshot_key(session) if snapshot is not None else None
    if snapshot is not None and snapshot.is_file():
        try:
            with np.load(snapshot) as saved:
                if tuple(int(k) for k in saved["key"]) == key:
                    return saved["ids"], saved["hashes"].view(np.uint64)
        except (OSError, ValueError, KeyError):
            pass  # damaged or from another version: rebuilt below
    pairs = _fetch_pairs(session)
    ids, hashes = pairs[:, 0].copy(), pairs[:, 1].copy()
    if snapshot is not None:
        _save_snapshot(snapshot, key, ids, hashes)
    return ids, hashes.view(np.uint64)


def _save_snapshot(path: Path, key, ids: np.ndarray, hashes: np.ndarray) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, key=np.array(key, dtype=np.int64), ids=ids, hashes=hashes)
        os.replace(tmp, path)
    except OSError:  # a read-only media folder: the next find reads the rows again
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def snapshot_path(store) -> Path:
    """Where this machine keeps the store's hashes as arrays (beside the thumbnails)."""
    return Path(store.media_dir) / ".index" / "perceptual-hashes.npz"


@dataclass(frozen=True)
class HashRun:
    hashed: int  # takes that got a hash now
    unreadable: tuple[str, ...]  # one line per take whose file could not be read
    without_file: int  # takes that have no file (failed generations)
    cancelled: bool


def _pending(session: Session, retry: bool) -> list[tuple[int, str | None, str]]:
    known = select(HASHES.c.take_id)
    if retry:
        known = known.where(HASHES.c.phash.is_not(None))
    return list(session.execute(
        select(Take.id, Take.output_path, Take.media_kind).where(Take.id.not_in(known)).order_by(Take.id)
    ).all())


def hash_missing(
    store,
    *,
    retry: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> HashRun:
    """Hash every take that has no hash yet (with `retry`, also those whose file could not be
    read before). Files are decoded outside any write session; each chunk is written in one."""
    with store.read() as s:
        pending = _pending(s, retry)
    hashed = without_file = 0
    unreadable: list[str] = []
    for start in range(0, len(pending), CHUNK):
        if cancel is not None and cancel():
            return HashRun(hashed, tuple(unreadable), without_file, True)
        rows = []
        for take_id, output_path, _kind in pending[start:start + CHUNK]:
            path = store.resolve_media(output_path)
            value = file_hash(path)
            if output_path is None:
                without_file += 1
            elif value is None:
                unreadable.append(f"take {take_id}: {output_path} cannot be read")
            else:
                hashed += 1
            signed = None if value is None else perceptual.to_signed(value)
            rows.append({"take_id": take_id, "phash": signed, "hashed_at": utcnow()})
        with store.write() as s:
            if retry:
                ids = [r["take_id"] for r in rows]
                known = set(s.scalars(select(HASHES.c.take_id).where(HASHES.c.take_id.in_(ids))))
                for r in rows:
                    if r["take_id"] in known and r["phash"] is not None:
                        s.execute(update(HASHES).where(HASHES.c.take_id == r["take_id"])
                                  .values(phash=r["phash"], hashed_at=r["hashed_at"]))
                rows = [r for r in rows if r["take_id"] not in known]
            _insert_ignoring_known(s, rows)
        if progress is not None:
            progress(min(start + CHUNK, len(pending)), len(pending))
    return HashRun(hashed, tuple(unreadable), without_file, False)
