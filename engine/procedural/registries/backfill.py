"""Backfill: give every name that is gibberish or contradicts its value ('Flax' on a slate
blue) one that says what the value is, and cascade it everywhere it is written.

A gibberish name is replaced wherever it occurs, in any case. A real word is also a word of
the users' own language ('soft', 'mist'), so a real-word name is replaced only where it is
written as a name (its own capitalisation) and never in the linguistic registry's words.

One transaction, whole or nothing (also when the process is killed). Every table that can
name an entry is read once and all renames are applied in that one pass (see cascade.py).
Each rewritten cell is logged with its text before and after, so `undo_backfill` can put
it back; undo checks and restores a table's cells in one pass over that table. The prompts recorded on takes are provenance and are never read or rewritten here.
A second backfill waits for the first up to `wait_seconds`, then refuses with a clear error.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, insert, text
from sqlalchemy.exc import OperationalError

from engine.core.errors import DailiesError
from engine.procedural.registries.cascade import Renamer
from engine.procedural.registries.gibberish import is_gibberish
from engine.procedural.registries.models import BackfillRename, BackfillRun
from engine.procedural.registries.name_check import name_problem
from engine.procedural.registries.names import NamePicker, completed_colour_name
from engine.store.db import SQLITE_BUSY_TIMEOUT_MS, Store
from engine.store.models import utcnow

# table -> (id column, ((column, is_json), ...)): every place a name can be written.
CASCADE: dict[str, tuple[str, tuple[tuple[str, bool], ...]]] = {
    "registry_entry": ("id", (("depth_json", True), ("value_json", True))),
    "registry_source": ("id", (("prompt", False),)),
    "creation_job": ("id", (("prompt", False),)),
    "learning_run": ("id", (("prompt", False),)),
    "interpretation": ("id", (("prompt", False), ("instruction_json", True))),
    "learned_blend": (
        "entry_id",
        (("inputs_json", True), ("output_json", True), ("primitive_depths_json", True)),
    ),
    "linguistic_mapping": ("id", (("span", False), ("canonical", False))),
}
# tables holding users' own words: a real-word name is never rewritten there
USERS_WORDS = ("linguistic_mapping",)
CHECK_EVERY = 2000
PG_LOCK_KEY = 720_551_001

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


class BackfillError(DailiesError):
    """A backfill or undo that cannot run as asked."""


class BackfillBusy(BackfillError):
    """Another backfill (or another writer) holds the store."""


class BackfillCancelled(BackfillError):
    """The user cancelled; nothing was changed."""


@dataclass(frozen=True)
class Rename:
    entry_id: int
    registry: str
    aspect: str
    key: str
    old: str
    new: str
    reason: str
    references: dict = field(default_factory=dict)  # "table.column" -> cells naming it


@dataclass(frozen=True)
class BackfillResult:
    run_id: int | None  # None for a dry run
    dry_run: bool
    renames: tuple[Rename, ...]
    cells_changed: int


@dataclass(frozen=True)
class BackfillRunRecord:
    id: int
    started_at: datetime
    finished_at: datetime | None
    undone_at: datetime | None
    renames: tuple[tuple[str, str, int], ...]  # (old, new, references)
    cells_changed: int


@contextmanager
def _locked(store: Store, wait_seconds: float) -> Iterator[Connection]:
    """One write transaction that excludes every other writer, or BackfillBusy."""
    busy = (
        f"store {store.display()} is held by another backfill or writer "
        f"(waited {wait_seconds:g} s); run again when it has finished"
    )
    with store.engine.connect() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
            conn.commit()
            conn.execution_options(dailies_begin="IMMEDIATE")
        try:
            try:
                trans = conn.begin()
            except OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise BackfillBusy(busy) from None
                raise
            try:
                if not store.is_sqlite:
                    _pg_lock(conn, wait_seconds, busy)
                yield conn
                trans.commit()
            except BaseException:
                trans.rollback()
                raise
        finally:
            if store.is_sqlite:
                conn.execution_options(dailies_begin="DEFERRED")
                conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
                conn.commit()


def _pg_lock(conn: Connection, wait_seconds: float, busy: str) -> None:
    """The store's backfill lock on PostgreSQL (held until the transaction ends), asked for
    every 0.1 s until `wait_seconds` have passed, then BackfillBusy."""
    deadline = time.monotonic() + wait_seconds
    while not conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY}).scalar():
        if time.monotonic() >= deadline:
            raise BackfillBusy(busy)
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


def plan_renames(conn: Connection) -> list[Rename]:
    """Every name that is gibberish or does not say what its value is, and the name it gets
    (deterministic: same store, same plan). The names being replaced are free for others."""
    rows = conn.execute(text("SELECT id, registry, aspect, key, name, is_origin FROM registry_entry ORDER BY id")).all()
    problems = {r.id: name_problem(r.registry, r.aspect, r.key, r.name, is_origin=bool(r.is_origin)) for r in rows}
    picker = NamePicker(r.name for r in rows if problems[r.id] is None)
    out: list[Rename] = []
    for r in rows:
        reason = problems[r.id]
        if reason is None:
            continue
        completed = completed_colour_name(r.aspect, r.key, r.name)
        if completed and completed not in picker.taken and name_problem(r.registry, r.aspect, r.key, completed) is None:
            new = picker.claim(completed)
        else:
            new = picker.pick(r.registry, r.aspect, r.key)
        out.append(Rename(r.id, r.registry, r.aspect, r.key, r.name, new, reason))
    return out


def _row_total(conn: Connection) -> int:
    return sum(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in CASCADE)


def _cascade(
    conn: Connection, renamer: Renamer, *, write: bool, progress: Progress | None,
    cancel: Cancel | None,
) -> tuple[dict[str, dict[str, int]], list[tuple[str, str, str, str | None, str | None]]]:
    """One pass over every cascade table. Returns references per old name (lower-cased) per
    "table.column", and the changes (table, row id, column, before, after)."""
    total = _row_total(conn)
    done = 0
    ph = _placeholder(conn)
    refs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    changes: list[tuple[str, str, str, str | None, str | None]] = []
    for table, (id_col, columns) in CASCADE.items():
        names = ", ".join(c for c, _ in columns)
        updates: dict[str, list[tuple]] = defaultdict(list)
        flags = [is_json for _c, is_json in columns]
        cols = [c for c, _j in columns]
        for row in conn.exec_driver_sql(f"SELECT {id_col}, {names} FROM {table}"):
            done += 1
            if done % CHECK_EVERY == 0:
                if cancel is not None and cancel():
                    raise BackfillCancelled("backfill cancelled; the store is unchanged")
                if progress is not None:
                    progress(done, total, table)
            for i in range(len(cols)):
                value = row[i + 1]
                if not value:
                    continue
                new, found = renamer.rewrite(value, flags[i], words=table not in USERS_WORDS)
                if not found:
                    continue
                for name in found:
                    refs[name][f"{table}.{cols[i]}"] += 1
                if new != value:
                    changes.append((table, str(row[0]), cols[i], value, new))
                    if write:
                        updates[cols[i]].append((new, row[0]))
        for col, params in updates.items():
            conn.exec_driver_sql(f"UPDATE {table} SET {col} = {ph} WHERE {id_col} = {ph}", params)
    if progress is not None:
        progress(total, total, "done")
    return refs, changes


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def backfill(
    store: Store, *, dry_run: bool = False, progress: Progress | None = None,
    cancel: Cancel | None = None, wait_seconds: float = 5.0,
) -> BackfillResult:
    """Rename every gibberish entry and cascade the new names; a dry run changes nothing and
    reports each rename with its references per table."""
    with _locked(store, wait_seconds) as conn:
        plan = plan_renames(conn)
        renamer = Renamer({r.old: r.new for r in plan}, as_written=[r.old for r in plan if not is_gibberish(r.old)])
        refs, changes = _cascade(conn, renamer, write=not dry_run, progress=progress, cancel=cancel)
        renames = tuple(
            Rename(r.entry_id, r.registry, r.aspect, r.key, r.old, r.new, r.reason,
                   dict(refs.get(r.old.lower(), {})))
            for r in plan
        )
        if dry_run or not plan:
            return BackfillResult(None, dry_run, renames, len(changes))
        now = utcnow()
        run_id = conn.execute(insert(BackfillRun).values(started_at=now, finished_at=None)).inserted_primary_key[0]
        conn.execute(
            text("UPDATE registry_entry SET name = :new WHERE id = :id"),
            [{"new": r.new, "id": r.entry_id} for r in renames],
        )
        name_changes = [("registry_entry", str(r.entry_id), "name", r.old, r.new) for r in renames]
        conn.execute(
            insert(BackfillRename),
            [
                {"run_id": run_id, "entry_id": r.entry_id, "old_name": r.old, "new_name": r.new,
                 "refs": sum(r.references.values())}
                for r in renames
            ],
        )
        ph = _placeholder(conn)
        conn.exec_driver_sql(
            "INSERT INTO backfill_change (run_id, table_name, row_id, column_name, before, after) "
            f"VALUES ({ph}, {ph}, {ph}, {ph}, {ph}, {ph})",
            [(run_id, *change) for change in name_changes + changes],
        )
        all_changes = name_changes + changes
        conn.execute(text("UPDATE backfill_run SET finished_at = :t WHERE id = :id"), {"t": _db_time(conn, utcnow()), "id": run_id})
        return BackfillResult(run_id, False, renames, len(all_changes))


@dataclass(frozen=True)
class BackfillTable:
    """A backfill's outcome as the desk lists it: one row per rename, (old name, new name,
    registry, aspect, references). Plain rows cross from the engine process to the desk in a
    fraction of the time the full result takes to unpack, which the desk would wait for."""

    run_id: int | None
    dry_run: bool
    rows: tuple[tuple[str, str, str, str, int], ...]
    cells_changed: int


def backfill_table(
    store: Store, *, dry_run: bool = False, progress: Progress | None = None,
    cancel: Cancel | None = None, wait_seconds: float = 5.0,
) -> BackfillTable:
    """`backfill`, its renames as the rows the desk shows."""
    result = backfill(store, dry_run=dry_run, progress=progress, cancel=cancel, wait_seconds=wait_seconds)
    rows = tuple((r.old, r.new, r.registry, r.aspect, sum(r.references.values())) for r in result.renames)
    return BackfillTable(result.run_id, result.dry_run, rows, result.cells_changed)


def _db_time(conn: Connection, when: datetime):
    return when.replace(tzinfo=None) if conn.dialect.name == "sqlite" else when


def undo_backfill(store: Store, run_id: int, *, wait_seconds: float = 5.0) -> int:
    """Put back every cell a backfill run changed; refuses if any changed since. Returns the
    number of cells restored."""
    with _locked(store, wait_seconds) as conn:
        run = conn.execute(text("SELECT id, undone_at FROM backfill_run WHERE id = :id"), {"id": run_id}).first()
        if run is None:
            raise BackfillError(f"there is no backfill run {run_id} (see 'dailies backfill history')")
        if run.undone_at is not None:
            raise BackfillError(f"backfill run {run_id} was already undone at {run.undone_at}")
        changes = conn.execute(
            text("SELECT table_name, row_id, column_name, before, after FROM backfill_change "
                 "WHERE run_id = :id ORDER BY id DESC"), {"id": run_id},
        ).all()
        # (table, column) -> {row key: (before, after)}; a cell logged twice keeps its first
        # 'before' and last 'after' (rows are read newest first).
        cells: dict[tuple[str, str], dict] = defaultdict(dict)
        for t, rid, col, before, after in changes:
            key = _row_key(t, rid)
            slot = cells[(t, col)]
            slot[key] = (before, slot[key][1] if key in slot else after)
        by_table: dict[str, dict[str, dict]] = defaultdict(dict)
        for (t, col), by_row in cells.items():
            by_table[t][col] = by_row
        for t, by_col in by_table.items():
            _check_unchanged(conn, run_id, t, by_col)
        ph = _placeholder(conn)
        for (t, col), by_row in cells.items():
            id_col = CASCADE[t][0] if t in CASCADE else "id"
            conn.exec_driver_sql(
                f"UPDATE {t} SET {col} = {ph} WHERE {id_col} = {ph}",
                [(before, key) for key, (before, _after) in by_row.items()],
            )
        conn.execute(text("UPDATE backfill_run SET undone_at = :t WHERE id = :id"), {"t": _db_time(conn, utcnow()), "id": run_id})
        return len(changes)


def _check_unchanged(conn: Connection, run_id: int, table: str, by_col: dict[str, dict]) -> None:
    """Refuse the undo when any cell the run wrote in `table` holds something else now: one
    pass over the table for all its logged columns (a cell of a deleted row counts too)."""
    id_col = CASCADE[table][0] if table in CASCADE else "id"
    cols = sorted(by_col)
    wanted = set().union(*(set(by_col[c]) for c in cols))
    seen: set = set()
    for row in conn.exec_driver_sql(f"SELECT {id_col}, {', '.join(cols)} FROM {table}"):
        rid = row[0]
        if rid not in wanted:
            continue
        seen.add(rid)
        for i, col in enumerate(cols, start=1):
            logged = by_col[col].get(rid)
            if logged is not None and row[i] != logged[1]:
                raise BackfillError(
                    f"cannot undo backfill run {run_id}: {table}.{col} of row {rid} changed after it; "
                    "nothing was undone"
                )
    if seen != wanted:
        gone = sorted(wanted - seen, key=str)[0]
        raise BackfillError(
            f"cannot undo backfill run {run_id}: row {gone} of {table} was deleted after it; nothing was undone"
        )


def _row_key(table: str, row_id: str):
    return row_id if table == "interpretation" else int(row_id)


def backfill_history(store: Store) -> list[BackfillRunRecord]:
    with store.read() as s:
        conn = s.connection()
        runs = conn.execute(text(
            "SELECT r.id, r.started_at, r.finished_at, r.undone_at, "
            "(SELECT COUNT(*) FROM backfill_change c WHERE c.run_id = r.id) AS cells "
            "FROM backfill_run r ORDER BY r.id")).all()
        out = []
        for run in runs:
            renames = conn.execute(
                text("SELECT old_name, new_name, refs FROM backfill_rename WHERE run_id = :id ORDER BY id"),
                {"id": run.id},
            ).all()
            out.append(BackfillRunRecord(
                run.id, _as_dt(run.started_at), _as_dt(run.finished_at), _as_dt(run.undone_at),
                tuple((a, b, int(c)) for a, b, c in renames), int(run.cells),
            ))
        return out


def _as_dt(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def scan_references(store: Store, names: list[str]) -> dict[str, dict[str, int]]:
    """Where each name (whole word, any case) is still written: "table.column" -> cells.
    Entry names themselves count as "registry_entry.name"."""
    renamer = Renamer({n: n for n in names})
    out: dict[str, dict[str, int]] = {}
    with store.read() as s:
        conn = s.connection()
        refs, _ = _cascade(conn, renamer, write=False, progress=None, cancel=None)
        for (name,) in conn.execute(text("SELECT name FROM registry_entry")):
            for found in set(renamer.found_in(name)):
                refs[found]["registry_entry.name"] += 1
    for n in names:
        hit = refs.get(n.lower())
        if hit:
            out[n] = dict(hit)
    return out
