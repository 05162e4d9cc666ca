"""Importing an existing execution store: a SQLite `shots` table whose `takes` column holds a
JSON array of take objects (take_id, timestamp, prompt, seed, system_prompt_version, model,
cost, output_path, status, and any other fields).

Everything is read and checked before anything is written, and the import is one
transaction: a malformed row is reported by shot and row and the store stays as it was.
Nothing is lost (fields we do not model are kept on the take as extra metadata; an approved
or rejected status becomes a review decision), and a second import adds nothing.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from engine.core.errors import DailiesError, StoreError
from engine.core.inputs import (
    BIGINT_MAX,
    INT_MAX,
    check_money,
    check_shot_code,
    check_text,
    check_whole,
    show_value,
)
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.store.media_files import media_path
from engine.store.models import Episode, ReviewDecision, ReviewTag, Shot, Take
from engine.store.review_weeks import counting
from engine.store.reviews import decision_problem
from engine.store.shots import add_shot
from engine.store.take_checks import check_new_take
from engine.store.takes import NewTake, bulk_append_takes, parse_take_name

SHOT_COLUMNS = ("shot_id", "id", "code", "name")
EPISODE_COLUMNS = ("episode_id", "episode")
SCENE_COLUMNS = ("scene_id", "scene")
ORDER_COLUMNS = ("sequence", "seq", "position", "shot_number", "order_index")
KNOWN_TAKE_FIELDS = {
    "take_id", "timestamp", "prompt", "seed", "system_prompt_version", "model", "cost",
    "output_path", "status", "rejection_tags",
}
LEGACY_REVIEWER = "legacy-import"


@dataclass
class LegacyReport:
    source: str
    shots_seen: int = 0
    shots_added: int = 0
    takes_seen: int = 0
    takes_added: int = 0
    takes_already_present: int = 0
    decisions_added: int = 0
    rejections_left_undecided: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _LegacyShot:
    code: str
    episode: str
    scene: str | None
    order: int
    takes: tuple[dict[str, Any], ...]


def _pick(columns: list[str], choices: tuple[str, ...]) -> str | None:
    lowered = {c.lower(): c for c in columns}
    return next((lowered[c] for c in choices if c in lowered), None)


def _timestamp(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = value / 1000 if value > 1e11 else value  # milliseconds in some pipelines
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise StoreError(f"{where}: timestamp {show_value(value)} is not a time Dailies can store") from None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise StoreError(f"{where}: timestamp {show_value(value)} is not a time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise StoreError(f"{where}: timestamp {show_value(value)} is not a time")


def _check_take(take: Any, where: str, code: str, media_dir: Path | None) -> None:
    """Everything about one legacy take that could stop the import, checked before writing."""
    if not isinstance(take, dict):
        raise StoreError(f"{where} is not a JSON object")
    if "take_id" not in take:
        raise StoreError(f"{where} has no take_id")
    label = take["take_id"]
    if not isinstance(label, (str, int)) or isinstance(label, bool) or len(str(label)) > 40:
        raise StoreError(f"{where}: take_id {show_value(label)} is not a take id (take_001, ...)")
    try:
        check_whole(parse_take_name(str(label)), f"{where}.take_id number", low=1)
        _timestamp(take.get("timestamp"), where)
        if take.get("seed") is not None:
            check_whole(take["seed"], f"{where}.seed", high=BIGINT_MAX)
        if take.get("cost") is not None:
            check_money(take["cost"], f"{where}.cost")
        check_new_take(_new_take(code, take))
        if media_dir is not None and take.get("output_path"):
            media_path(media_dir, str(take["output_path"]))
    except DailiesError as exc:
        message = str(exc)
        raise StoreError(message if message.startswith(where) else f"{where}: {message}") from None


def _order(value: Any, where: str, row_no: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return row_no
    if not math.isfinite(value) or not 0 <= value <= INT_MAX:
        raise StoreError(f"{where}: sequence {show_value(value)} is out of range (0 to {INT_MAX:,})")
    return int(value)


def read_legacy(path: Path, media_dir: Path | None = None) -> list[_LegacyShot]:
    """Read and check the whole legacy store; raise StoreError naming the first bad place.
    With `media_dir`, every output path must lie inside it."""
    if not path.is_file():
        raise StoreError(f"legacy store {path} does not exist")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            columns = [r[1] for r in conn.execute("PRAGMA table_info(shots)")]
            if not columns:
                raise StoreError(f"legacy store {path} has no 'shots' table")
            if "takes" not in columns:
                raise StoreError(f"legacy store {path}: table 'shots' has no 'takes' column")
            shot_col = _pick(columns, SHOT_COLUMNS)
            if shot_col is None:
                raise StoreError(
                    f"legacy store {path}: table 'shots' has none of the id columns "
                    + ", ".join(SHOT_COLUMNS)
                )
            ep_col = _pick(columns, EPISODE_COLUMNS)
            scene_col = _pick(columns, SCENE_COLUMNS)
            order_col = _pick(columns, ORDER_COLUMNS)
            select_cols = [shot_col, "takes", ep_col, scene_col, order_col]
            sql = "SELECT " + ", ".join(
                f'"{c}"' if c else "NULL" for c in select_cols
            ) + " FROM shots ORDER BY rowid"
            rows = conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"legacy store {path} cannot be read: {exc}") from None
    shots = []
    for row_no, (code, raw_takes, episode, scene, order) in enumerate(rows, start=1):
        if code is None or str(code).strip() == "":
            raise StoreError(f"legacy store {path}: row {row_no} has no shot id")
        code = str(code)
        where = f"legacy store {path}: shot {code[:80]!r} (row {row_no})"
        check_shot_code(code, where)
        for value, what in ((episode, "episode"), (scene, "scene")):
            if value is not None:
                check_text(str(value), f"{where}: {what}", limit=64)
        try:
            takes = json.loads(raw_takes) if raw_takes not in (None, "", b"") else []
        except json.JSONDecodeError as exc:
            raise StoreError(
                f"{where}: takes is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
        except ValueError as exc:  # not UTF-8, or a number too long to read
            raise StoreError(f"{where}: takes cannot be read ({str(exc)[:120]})") from None
        except RecursionError:
            raise StoreError(f"{where}: takes is nested too deeply to be a list of takes") from None
        if not isinstance(takes, list):
            raise StoreError(f"{where}: takes must be a JSON array, not {type(takes).__name__}")
        for i, take in enumerate(takes):
            _check_take(take, f"{where}: takes[{i}]", code, media_dir)
        shots.append(
            _LegacyShot(
                code=code,
                episode=str(episode) if episode is not None else "LEGACY",
                scene=str(scene) if scene is not None else None,
                order=_order(order, where, row_no),
                takes=tuple(takes),
            )
        )
    return shots


def _new_take(code: str, take: dict[str, Any]) -> NewTake:
    status = take.get("status")
    extra = {k: v for k, v in take.items() if k not in KNOWN_TAKE_FIELDS}
    if status is not None:
        extra["legacy_status"] = status
    output = take.get("output_path")
    suffix = Path(str(output)).suffix.lower() if output else ""
    return NewTake(
        shot=code,
        number=parse_take_name(str(take["take_id"])),
        model=str(take.get("model") or ""),
        pipeline=str(take.get("pipeline") or "legacy"),
        prompt=take.get("prompt"),
        seed=take.get("seed"),
        system_prompt_version=take.get("system_prompt_version"),
        cost=float(take.get("cost") or 0.0),
        output_path=str(output) if output else None,
        media_kind="clip" if suffix in {".mp4", ".mov", ".mkv", ".webm"} else "image",
        failed=status == "failed",
        created_at=_timestamp(take.get("timestamp"), code),
        extra=extra or None,
    )


def import_legacy(
    store: Store, path: str | Path, progress: Callable[[int, int], None] | None = None
) -> LegacyReport:
    """Import every shot and take of a legacy execution store; a second run adds nothing."""
    path = Path(path)
    shots = read_legacy(path, store.media_dir)
    report = LegacyReport(source=str(path))
    with store.write() as session:
        existing_shots = set(session.scalars(select(Shot.code)))
        present = {
            (code, number)
            for code, number in session.execute(
                select(Shot.code, Take.number).join(Take, Take.shot_id == Shot.id)
            )
        }
        episodes = set(session.scalars(select(Episode.code)))
        new_takes: list[NewTake] = []
        decisions: list[tuple[str, int, str, tuple[str, ...], datetime | None]] = []
        rules = review_config()
        for i, legacy in enumerate(sorted(shots, key=lambda s: (s.episode, s.order))):
            report.shots_seen += 1
            if legacy.code not in existing_shots:
                add_shot(session, episode=legacy.episode, code=legacy.code, scene=legacy.scene)
                existing_shots.add(legacy.code)
                episodes.add(legacy.episode)
                report.shots_added += 1
            for take in legacy.takes:
                report.takes_seen += 1
                new = _new_take(legacy.code, take)
                if (legacy.code, new.number) in present:
                    report.takes_already_present += 1
                    continue
                present.add((legacy.code, new.number))
                new_takes.append(new)
                decision = _legacy_decision(legacy.code, take, rules)
                if decision == "untagged":
                    report.rejections_left_undecided += 1
                elif decision is not None:
                    decisions.append((legacy.code, new.number, *decision, new.created_at))
            if progress:
                progress(i + 1, len(shots))
        report.takes_added = bulk_append_takes(session, new_takes)
        if decisions:
            ids = {
                (code, number): tid
                for code, number, tid in session.execute(
                    select(Shot.code, Take.number, Take.id).join(Take, Take.shot_id == Shot.id)
                )
            }
            rows = [
                {
                    "take_id": ids[(code, number)],
                    "reviewer": LEGACY_REVIEWER,
                    "created_at": at or datetime.now(UTC),
                    "action": "approve" if status == "approved" else "reject",
                    "note": "status carried over from the legacy execution store",
                }
                for code, number, status, _tags, at in decisions
            ]
            with counting(session, (r["take_id"] for r in rows)):
                new_ids = session.scalars(insert(ReviewDecision).returning(ReviewDecision.id), rows).all()
                tag_rows = [
                    {"decision_id": did, "tag": tag}
                    for did, (_c, _n, _s, tags, _a) in zip(new_ids, decisions, strict=True)
                    for tag in tags
                ]
                if tag_rows:
                    session.execute(insert(ReviewTag), tag_rows)
            report.decisions_added = len(decisions)
        if report.rejections_left_undecided:
            report.notes.append(
                f"{report.rejections_left_undecided} legacy rejection(s) carry no tag from the "
                "rejection taxonomy; their takes stay undecided for a reviewer to tag "
                "(the old status is kept as legacy_status)"
            )
    return report


def _legacy_decision(code: str, take: dict[str, Any], rules) -> tuple[str, tuple[str, ...]] | str | None:
    """The decision a legacy take's status carries, held to the review rule every decision
    meets: (status, tags), 'untagged' for a rejection the rule refuses (it stays undecided),
    or None when the status is no decision. Tags come from the take's `rejection_tags`."""
    status = take.get("status")
    if status not in ("approved", "rejected"):
        return None
    raw = take.get("rejection_tags") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise StoreError(f"shot {code}, take {take.get('take_id')}: rejection_tags must be a list of tags")
    tags = tuple(dict.fromkeys(t.strip() for t in raw if t.strip()))
    problem = decision_problem(rules, approve=status == "approved", tags=tags)
    if problem is None:
        return status, tags
    if status == "rejected" and not tags:
        return "untagged"
    raise StoreError(f"shot {code}, take {take.get('take_id')}: {problem}")
