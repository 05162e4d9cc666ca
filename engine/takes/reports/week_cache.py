"""Figures of weeks that have ended, kept between reports and between runs of Dailies.

A trend reaches back several weeks, and counting an ended week again costs as much as
counting the current one. So the figures of an ended week are kept, in memory and in a small
file per store under the user's data folder, beside a fingerprint of everything they were
counted from: the number of the week's decisions, the sums of their ids, of their takes' ids
and of their rejections' ids, and the number and id sum of the retractions that withdraw a
decision of the week. Decisions and retractions are append-only and a take's target, model
and version never change, so equal fingerprints mean equal figures. A late import into the
week, an undo made today, or another store put at the same place changes the fingerprint and
the week is counted again. The fingerprints of all weeks are read in two indexed queries.
Nothing is kept for a week that has not ended.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Select, and_, case, func, literal_column, select, union_all
from sqlalchemy.orm import Session, aliased

from engine.core import paths
from engine.store.db import Store
from engine.store.models import ReviewDecision, utcnow
from engine.takes.reports.weeks import IsoWeek

FORMAT = 1
Rows = list[tuple]


def _decisions_query(weeks: Sequence[IsoWeek]) -> Select:
    arms = [
        select(
            literal_column(str(i)).label("bucket"),
            func.count(),
            func.coalesce(func.sum(ReviewDecision.id), 0),
            func.coalesce(func.sum(ReviewDecision.take_id), 0),
            func.coalesce(func.sum(case((ReviewDecision.action == "reject", ReviewDecision.id), else_=0)), 0),
            func.min(ReviewDecision.id),
        ).where(ReviewDecision.created_at >= w.starts, ReviewDecision.created_at < w.ends)
        for i, w in enumerate(weeks)
    ]
    return arms[0] if len(arms) == 1 else union_all(*arms)


def _retractions_query(weeks: Sequence[IsoWeek], lowest: int) -> Select:
    """Retractions of the weeks' decisions. A retraction names a decision made before it, so
    only retractions of decisions from id `lowest` on (the weeks' smallest) are read, from the
    retractions' index, each joined with the decision it undoes."""
    undone = aliased(ReviewDecision)
    bucket = case(
        *((and_(undone.created_at >= w.starts, undone.created_at < w.ends), i) for i, w in enumerate(weeks)),
        else_=-1,
    )
    return (
        select(bucket.label("bucket"), func.count(), func.coalesce(func.sum(ReviewDecision.id), 0))
        .join(undone, undone.id == ReviewDecision.retracts_id)
        .where(ReviewDecision.retracts_id >= lowest)
        .group_by(bucket)
    )


def fingerprints(session: Session, weeks: Sequence[IsoWeek]) -> list[list[int]]:
    """What each week's figures were counted from (see the module text)."""
    found = [[0, 0, 0, 0, 0, 0] for _ in weeks]
    if not weeks:
        return found
    lowest = None
    for bucket, count, ids, takes, rejects, first in session.execute(_decisions_query(weeks)):
        found[int(bucket)][:4] = [int(count), int(ids), int(takes), int(rejects)]
        if first is not None:
            lowest = int(first) if lowest is None else min(lowest, int(first))
    if lowest is None:
        return found  # no decision in these weeks, so nothing of theirs was undone
    for bucket, count, ids in session.execute(_retractions_query(weeks, lowest)):
        if int(bucket) >= 0:
            found[int(bucket)][4:] = [int(count), int(ids)]
    return found


class WeekCache:
    """Ended weeks' figures with their fingerprints, per store: in memory, and in a file
    (`folder`, else <user data>/report-cache) so the next run of Dailies finds them."""

    def __init__(self, folder: Path | None = None):
        self._folder = folder
        self._lock = threading.Lock()
        self._memory: dict[str, dict[str, dict]] = {}

    def _file(self, store: Store) -> Path:
        folder = self._folder or paths.user_data_dir() / "report-cache"
        name = hashlib.sha256(store.display().encode("utf-8")).hexdigest()[:24]
        return folder / f"{name}.json"

    def _entries(self, store: Store) -> dict[str, dict]:
        key = store.display()
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        entries: dict[str, dict] = {}
        try:
            data = json.loads(self._file(store).read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and data.get("store") == key:
                entries = dict(data.get("weeks") or {})
        except (OSError, ValueError, AttributeError):
            entries = {}  # no file yet, or one that cannot be read: count again
        with self._lock:
            return self._memory.setdefault(key, entries)

    def get(self, store: Store, week: IsoWeek, fingerprint: list[int]) -> Rows | None:
        entry = self._entries(store).get(str(week))
        if not isinstance(entry, dict) or entry.get("fingerprint") != fingerprint:
            return None
        try:
            return [(t, m, v, int(n), int(r)) for t, m, v, n, r in entry["rows"]]
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, store: Store, found: dict[IsoWeek, tuple[list[int], Rows]]) -> None:
        """Keep the figures of those of `found`'s weeks that have ended."""
        now = utcnow()
        ended = {str(w): v for w, v in found.items() if w.ends <= now}
        if not ended:
            return
        entries = self._entries(store)
        with self._lock:
            for week, (fingerprint, rows) in ended.items():
                entries[week] = {"fingerprint": fingerprint, "rows": [list(r) for r in rows]}
            text = json.dumps({"format": FORMAT, "store": store.display(), "weeks": entries})
        path = self._file(store)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)  # not kept for the next run; still kept in memory

    def forget(self) -> None:
        """Drop what this process holds in memory (the files stay)."""
        with self._lock:
            self._memory.clear()
