"""Each shot's id and latest take number, for a chunk of bulk appends.

A chunk needs them for every shot it appends to: on SQLite one seek for the shot's code and one
in the (shot, number) index per shot, the most of a chunk's reading once a store's shots
outnumber a chunk's takes. An import appends chunk after chunk to the same shots, so on SQLite
what a store's own last bulk append left is remembered (per open store, its engine), with the
take it left on top: while that take is still the store's highest, nothing has been appended
since (takes are never deleted, and SQLite hands a new row the id above the highest), so the
numbers remembered are the store's. Another writer's take, a single append or a store made
again at the address puts another take on top, and the chunk reads them all again.

What a transaction appends counts for the rest of it at once (it holds the write lock), and for
later transactions only once it has committed: numbers from a rolled-back append are never
used. On PostgreSQL, where writers append at once, the shots are locked and read every chunk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from engine.core.errors import StoreError
from engine.store.models import Shot, Take

# code -> (shot id, latest take number or None)
Latest = dict[str, tuple[int, int | None]]

# Beyond this many shots a store's numbers are not remembered past the chunk (memory, about
# 150 bytes a shot): such an import pays the seeks, as every chunk did before.
REMEMBERED_SHOTS = 200_000


@dataclass
class _Known:
    top: tuple[int, str | None] | None  # (id, record digest) of the store's highest take
    shots: Latest


_COMMITTED: WeakKeyDictionary[Engine, _Known] = WeakKeyDictionary()
_PENDING = "dailies_take_numbers"  # session.info: (root transaction, _Known) of this transaction


def chunk_latest(session: Session, codes: list[str]) -> Latest:
    """code -> (shot id, latest take number or None) for the shots of a chunk (distinct codes,
    in any order), as a new dict the caller may change. Names the first code with no shot
    (StoreError)."""
    if session.get_bind().dialect.name == "postgresql":
        found = _postgresql_latest(session, sorted(codes))
    else:
        known = _known(session)
        raw = session.connection().connection.driver_connection
        if known is not None and known.top is not None and known.top == raw.execute(_TOP).fetchone():
            found = _remembered(known.shots, codes)
            if len(found) < len(codes):
                found.update(_sqlite_latest(raw, [code for code in codes if code not in found]))
        else:
            found = _sqlite_latest(raw, codes)
    missing = next((c for c in codes if c not in found), None)
    if missing is not None:
        raise StoreError(f"no shot '{missing}' in the store")
    return found


def _remembered(shots: Latest, codes: list[str]) -> Latest:
    """What `shots` holds of `codes`."""
    try:  # an import's later chunks: every shot is known
        return dict(zip(codes, map(shots.__getitem__, codes), strict=True))
    except KeyError:
        return {code: shots[code] for code in codes if code in shots}


def appended(session: Session, latest: Latest, top: tuple[int, str | None] | None) -> None:
    """A bulk append has given these shots these latest numbers and left `top` (id, record
    digest) as the store's highest take (None: not known). SQLite only."""
    if session.get_bind().dialect.name == "postgresql":
        return
    transaction = session.get_transaction()
    pending = session.info.get(_PENDING)
    if pending is not None and pending[0] is transaction:
        known = pending[1]
    else:
        committed = _COMMITTED.get(session.get_bind())
        known = _Known(None, dict(committed.shots) if committed is not None else {})
        session.info[_PENDING] = (transaction, known)
        if not event.contains(session, "after_commit", _promote):
            event.listen(session, "after_commit", _promote)
    if len(known.shots) + len(latest) > REMEMBERED_SHOTS:
        known.shots.clear()
    known.shots.update(latest)
    known.top = top


def _known(session: Session) -> _Known | None:
    pending = session.info.get(_PENDING)
    if pending is not None and pending[0] is session.get_transaction():
        return pending[1]
    return _COMMITTED.get(session.get_bind())


def _promote(session: Session) -> None:
    """After a commit: what the committed transaction appended is the store's."""
    if session.in_nested_transaction():  # a savepoint's commit: the transaction goes on
        return
    pending = session.info.pop(_PENDING, None)
    if pending is not None and pending[0] is session.get_transaction():
        _COMMITTED[session.get_bind()] = pending[1]


_TOP = "SELECT id, record_digest FROM take ORDER BY id DESC LIMIT 1"

# The chunk's codes go in as one JSON array: one statement whatever the chunk's size, and no
# bound-parameter list for SQLAlchemy to expand and compile per call.
_SQLITE_LATEST = (
    "SELECT s.code, s.id, (SELECT max(t.number) FROM take AS t WHERE t.shot_id = s.id) "
    "FROM json_each(?) AS j JOIN shot AS s ON s.code = j.value"
)


def _sqlite_latest(raw, codes: list[str]) -> Latest:
    rows = raw.execute(_SQLITE_LATEST, (json.dumps(codes),)).fetchall()
    return {code: (sid, latest) for code, sid, latest in rows}


def _postgresql_latest(session: Session, codes: list[str]) -> Latest:
    """The shots (`codes`, sorted) are locked first, in the same order by any writer (so two
    bulk writers cannot deadlock), and the numbers read in a second statement (under READ
    COMMITTED it sees what a writer that held a lock committed)."""
    found: Latest = {}
    for start in range(0, len(codes), 900):
        locked = session.execute(
            select(Shot.code, Shot.id).where(Shot.code.in_(codes[start:start + 900]))
            .order_by(Shot.id).with_for_update()
        ).all()
        latest = dict(session.execute(
            select(Take.shot_id, func.max(Take.number))
            .where(Take.shot_id.in_([sid for _, sid in locked])).group_by(Take.shot_id)
        ).all())
        found.update({code: (sid, latest.get(sid)) for code, sid in locked})
    return found
