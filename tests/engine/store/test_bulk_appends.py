"""Bulk appends (imports) keep every guarantee single appends keep: numbers per shot under
two writers at once, provenance exactly as given, the append-only guards, bad input named."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engine.core.errors import StoreError
from engine.store.check import check_store
from engine.store.db import open_store
from engine.store.models import CostEntry, Shot, Take
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take, bulk_append_takes, list_takes

from .helpers import PLAN, add_shots
from .test_append_only import REPLACES, _history, _snapshot

SHOTS = 5
APPENDER = Path(__file__).with_name("bulk_appender.py")


def _race(spec: str, chunks: int = 4, per_chunk: int = 250) -> None:
    with open_store(spec, create=True) as store, store.write() as s:
        for i in range(SHOTS):
            add_shot(s, episode="EP01", code=f"SH{i:03d}", plan=PLAN)
    workers = [
        subprocess.Popen([sys.executable, str(APPENDER), spec, name, str(chunks), str(per_chunk), str(SHOTS)],
                         stderr=subprocess.PIPE, text=True)
        for name in ("ana", "ben")
    ]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    with open_store(spec) as store, store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 2 * chunks * per_chunk
        for i in range(SHOTS):
            numbers = sorted(s.scalars(select(Take.number).where(Take.shot_id == i + 1)))
            assert numbers == list(range(1, len(numbers) + 1))
        # every take's cost entry is booked against that take, its shot and its amount
        pairs = s.execute(
            select(Take.id, Take.shot_id, CostEntry.shot_id, CostEntry.amount)
            .join(CostEntry, CostEntry.take_id == Take.id)
        ).all()
        assert len(pairs) == 2 * chunks * per_chunk
        assert all(t_shot == c_shot and amount == 0.5 for _, t_shot, c_shot, amount in pairs)
        prompts = set(s.scalars(select(Take.prompt)))
        assert prompts == {f"{w} chunk {c} take {i}" for w in ("ana", "ben")
                           for c in range(chunks) for i in range(per_chunk)}


def test_two_processes_bulk_append_to_one_sqlite_store(tmp_path):
    _race(str(tmp_path / "shared.sqlite"))


def test_two_processes_bulk_append_to_one_postgresql_store(pg_url):
    _race(pg_url)


def _bulk(n: int, **kw) -> list[NewTake]:
    return [NewTake(shot=f"SH0{i % 2 + 1}0", model="gemini-3-pro-image-preview", pipeline="keyframe",
                    prompt=f"take {i}, é", seed=i, cost=0.134, system_prompt_version="v1.0",
                    system_prompt_text="BASE\nNBP v1.0", output_path=f"frames/{i}.png",
                    enrichment_outcome="enriched", target="nbp", **kw) for i in range(n)]


def test_bulk_appended_takes_read_back_as_given_and_pass_store_check(any_store):
    add_shots(any_store, "SH010", "SH020")
    with any_store.write() as s:
        append_take(s, _bulk(1)[0])
        assert bulk_append_takes(s, _bulk(6)) == 6
    with any_store.read() as s:
        first = list_takes(s, "SH010")
        second = list_takes(s, "SH020")
        costs = s.execute(select(CostEntry.take_id, CostEntry.amount).order_by(CostEntry.take_id)).all()
    assert [t.take_name for t in first] == ["take_001", "take_002", "take_003", "take_004"]
    assert [t.prompt for t in first] == ["take 0, é", "take 0, é", "take 2, é", "take 4, é"]
    assert [t.take_name for t in second] == ["take_001", "take_002", "take_003"]
    assert {(t.seed, t.system_prompt_text, t.cost, t.output_path) for t in second} == {
        (i, "BASE\nNBP v1.0", 0.134, f"frames/{i}.png") for i in (1, 3, 5)}
    assert costs == [(t.id, 0.134) for t in sorted(first + second, key=lambda t: t.id)]
    spec = any_store.location.path if any_store.is_sqlite else any_store.location.url.render_as_string(False)
    report = check_store(spec)
    assert report.ok, report.problems


def test_bulk_appended_takes_keep_every_optional_field_and_their_digests_hold(any_store):
    add_shots(any_store, "SH010", "SH020")
    made = datetime(2026, 11, 30, 9, 15, 1, 250, tzinfo=UTC)
    odd = [
        NewTake(shot="SH010", model="m", pipeline="clip", media_kind="clip", failed=True, cost=0,
                extra={"lens": "35mm", "notes": ["ü", 2]}, created_at=made, builder_prompt="builder",
                enrichment_reason="no key", enrichment_outcome="bypassed", output_sha256="ab" * 32),
        NewTake(shot="SH020", model="m", pipeline="keyframe", number=7, cost=2),
        NewTake(shot="SH020", model="m", pipeline="keyframe"),
    ]
    with any_store.write() as s:
        assert bulk_append_takes(s, odd) == 3
    with any_store.read() as s:
        (clip,) = list_takes(s, "SH010")
        second = list_takes(s, "SH020")
        costs = s.execute(select(CostEntry.take_id, CostEntry.amount)).all()
    assert (clip.media_kind, clip.status, clip.extra, clip.created_at, clip.builder_prompt,
            clip.enrichment_reason, clip.system_prompt_text) == (
        "clip", "failed", {"lens": "35mm", "notes": ["ü", 2]}, made, "builder", "no key", None)
    assert [t.take_name for t in second] == ["take_007", "take_008"]
    assert costs == [(second[0].id, 2.0)]  # a take that cost nothing books no entry
    spec = any_store.location.path if any_store.is_sqlite else any_store.location.url.render_as_string(False)
    report = check_store(spec)
    assert report.ok, report.problems


def _numbers(store) -> dict[str, list[int]]:
    with store.read() as s:
        rows = s.execute(select(Shot.code, Take.number).join(Take, Take.shot_id == Shot.id)
                         .order_by(Shot.code, Take.number)).all()
    found: dict[str, list[int]] = {}
    for code, number in rows:
        found.setdefault(code, []).append(number)
    return found


def test_chunk_after_chunk_numbers_on_from_whatever_else_reached_the_store(store):
    """An import appends chunk after chunk; between its chunks other writers append, it
    appends one take itself, a chunk is rolled back: every take still gets its shot's next
    number."""
    add_shots(store, "SH010", "SH020")
    expected = {"SH010": 0, "SH020": 0}

    def chunk(s, n: int) -> None:
        bulk_append_takes(s, _bulk(n))
        expected["SH010"] += (n + 1) // 2
        expected["SH020"] += n // 2

    with open_store(store.location.path) as other:
        with store.write() as s:
            chunk(s, 6)
        with other.write() as s:  # another writer, one take
            append_take(s, _bulk(1)[0])
            expected["SH010"] += 1
        with store.write() as s:
            chunk(s, 4)
        with store.write() as s:  # the importer itself, one take
            append_take(s, _bulk(2)[1])
            expected["SH020"] += 1
        with store.write() as s:
            chunk(s, 3)
        with pytest.raises(ZeroDivisionError), store.write() as s:  # a chunk rolled back
            bulk_append_takes(s, _bulk(8))
            raise ZeroDivisionError
        with other.write() as s:  # another import, as many takes as were rolled back
            chunk(s, 8)
        with store.write() as s:  # several chunks in one transaction
            chunk(s, 5)
            chunk(s, 2)
        with store.write() as s:  # numbers an export gave, then the next ones
            bulk_append_takes(s, [NewTake(shot="SH020", model="m", pipeline="keyframe", number=40)])
            before, expected["SH020"] = expected["SH020"], 40
            chunk(s, 2)
    numbers = _numbers(store)
    assert numbers["SH010"] == list(range(1, expected["SH010"] + 1))
    assert numbers["SH020"] == [*range(1, before + 1), 40, 41]
    assert before == 14


def test_the_replace_guards_hold_after_a_bulk_append_and_after_one_that_failed(store):
    take = _history(store)
    add_shots(store, "SH020")
    with store.write() as s:
        bulk_append_takes(s, _bulk(10))
    clash = [*_bulk(3), NewTake(shot="SH010", model="m", pipeline="keyframe", number=take.number)]
    with pytest.raises(IntegrityError), store.write() as s:
        bulk_append_takes(s, clash)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 11
    before = _snapshot(store)
    conn = sqlite3.connect(store.location.path)
    for statement in REPLACES:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()
    assert _snapshot(store) == before


def test_a_large_bulk_append_that_fails_part_way_stores_nothing_and_the_store_goes_on(any_store):
    add_shots(any_store, "SH010", "SH020")
    with any_store.write() as s:
        first = append_take(s, _bulk(1)[0])
    many = _bulk(5000)
    # a take far into the append claims a number the store has given already
    many[2007] = NewTake(shot="SH010", model="m", pipeline="keyframe", number=first.number)
    with pytest.raises(IntegrityError), any_store.write() as s:
        bulk_append_takes(s, many)
    with any_store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 1
        assert s.scalar(select(func.count()).select_from(CostEntry)) == 1
    with any_store.write() as s:
        assert bulk_append_takes(s, _bulk(2001)) == 2001
    with any_store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 2002
        assert s.scalar(select(func.count()).select_from(CostEntry)) == 2002


def test_a_bad_take_among_many_is_named_and_nothing_is_stored(store):
    add_shots(store, "SH010", "SH020")
    takes = _bulk(50)
    takes[37] = NewTake(shot="SH020", model="m", pipeline="keyframe", prompt="a \x00 b")
    with pytest.raises(StoreError, match=r"take of shot SH020: prompt holds a NUL character \(at character 3\)"):
        with store.write() as s:
            bulk_append_takes(s, takes)
    takes[37] = NewTake(shot="SH020", model="m", pipeline="keyframe", cost=float("nan"))
    with pytest.raises(StoreError, match="take of shot SH020: cost must be a finite number"):
        with store.write() as s:
            bulk_append_takes(s, takes)
    takes[37] = NewTake(shot="SH030", model="m", pipeline="keyframe")
    with pytest.raises(StoreError, match="no shot 'SH030' in the store"):
        with store.write() as s:
            bulk_append_takes(s, takes)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0
        assert s.scalar(select(func.count()).select_from(Shot)) == 2


def test_of_several_bad_takes_the_first_is_named_whatever_field_is_wrong(store):
    add_shots(store, "SH010", "SH020")
    takes = _bulk(50)
    takes[30] = NewTake(shot="SH010", model="m\x00", pipeline="keyframe")
    takes[12] = NewTake(shot="SH020", model="m", pipeline="keyframe", seed=-4)
    with pytest.raises(StoreError, match="take of shot SH020: seed -4 is out of range"):
        with store.write() as s:
            bulk_append_takes(s, takes)
    takes[5] = NewTake(shot="../SH010", model="m", pipeline="keyframe")
    with pytest.raises(StoreError, match=r"shot code '\.\./SH010' may hold only letters"):
        with store.write() as s:
            bulk_append_takes(s, takes)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0


@pytest.mark.parametrize("code", [
    "SH010\nSH020",  # two good codes on two lines are not one code
    "S" * 129,  # one over the longest code
    "SH..010", ".SH010", "SH010/..", "SHé010", "", " ", "SH 010",
])
def test_a_bad_shot_code_among_many_good_ones_is_refused_as_it_is_for_one_take(store, code):
    add_shots(store, "SH010", "SH020")
    with pytest.raises(StoreError) as one, store.write() as s:
        append_take(s, NewTake(shot=code, model="m", pipeline="keyframe"))
    takes = _bulk(3000)
    takes[1777] = NewTake(shot=code, model="m", pipeline="keyframe")
    with pytest.raises(StoreError) as many, store.write() as s:
        bulk_append_takes(s, takes)
    assert str(many.value) == str(one.value)
    assert "no shot" not in str(many.value)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0


def test_many_rows_go_into_a_table_keyed_by_its_take(any_store):
    # Not every table has an id: the perceptual hashes of takes are keyed by the take.
    from engine.store.bulk import insert_many
    from engine.takes.perceptual_hashes import HASHES

    at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    add_shots(any_store, "SH010", "SH020")
    with any_store.write() as s:
        bulk_append_takes(s, _bulk(4))
        ids = list(s.scalars(select(Take.id).order_by(Take.id)))
        insert_many(s, HASHES, [{"take_id": t, "phash": -t, "hashed_at": at} for t in ids])
    with any_store.read() as s:
        rows = s.execute(select(HASHES.c.take_id, HASHES.c.phash, HASHES.c.hashed_at).order_by(HASHES.c.take_id))
        assert rows.all() == [(t, -t, at) for t in ids]
