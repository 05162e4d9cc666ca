"""Region notes: tied to the exact take, checked as a rule, append-only, withdrawn by a row."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from engine.core.errors import StoreError
from engine.store.notes import add_note, latest_note_id, notes_since, retract_note, standing_notes
from engine.store.takes import NewTake, append_take

from .helpers import add_shots, image, make_clip


@pytest.fixture
def takes(store):
    """A still and a 12-frame clip, each a recorded take."""
    add_shots(store, "SH010", "SH020")
    (store.media_dir / "stills").mkdir(parents=True)
    image(store.media_dir / "stills" / "a.png")
    make_clip(store.media_dir / "clips" / "c.mp4")
    with store.write() as s:
        still = append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="a lamp",
                                       seed=7, output_path="stills/a.png"))
        clip = append_take(s, NewTake(shot="SH020", model="kling", pipeline="motion", prompt="a run",
                                      output_path="clips/c.mp4", media_kind="clip"))
    return still.id, clip.id


def test_each_kind_of_note_stands_on_its_take_in_the_order_drawn(store, takes):
    still, clip = takes
    with store.write() as s:
        box = add_note(s, still, author="ana", kind="box", points=(0.1, 0.2, 0.3, 0.4),
                       tag="anatomy_failure", text="six fingers")
        add_note(s, still, author="ana", kind="arrow", points=(0.9, 0.9, 0.5, 0.5))
        add_note(s, "SH010/take_001", author="ben", kind="stroke", points=(0.1, 0.1, 0.2, 0.3, 0.4, 0.2))
        add_note(s, clip, author="ben", kind="text", points=(0.5, 0.5), text="pops here",
                 frame_start=3, frame_end=7)
    with store.read() as s:
        standing = standing_notes(s, [still, clip])
    assert [n.kind for n in standing[still]] == ["box", "arrow", "stroke"]
    assert standing[still][0] == box and box.tag == "anatomy_failure" and box.text == "six fingers"
    assert box.points == (0.1, 0.2, 0.3, 0.4) and box.frame_start is None
    on_clip = standing[clip][0]
    assert (on_clip.frame_start, on_clip.frame_end) == (3, 7)
    assert on_clip.on_frame(3) and on_clip.on_frame(7) and not on_clip.on_frame(8)


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"kind": "box", "points": (0.5, 0.5, 0.7, 0.2)}, "past the frame's edge"),
    ({"kind": "box", "points": (1.2, 0.5, 0.1, 0.2)}, "outside the frame"),
    ({"kind": "arrow", "points": (0.1, -0.1, 0.2, 0.2)}, "point 1 y = -0.1 is outside the frame"),
    ({"kind": "arrow", "points": (0.1, 0.1, 0.2)}, "an arrow takes 4 numbers"),
    ({"kind": "box", "points": (0.1, 0.1, 0.2, 0.2, 0.3)}, "a box takes 4 numbers"),
    ({"kind": "stroke", "points": (0.1, 0.1, 0.2)}, "pairs"),
    ({"kind": "text", "points": (0.1, 0.1)}, "a text note needs its text"),
    ({"kind": "box", "points": (0.1, 0.1, 0.2, 0.2), "tag": "too_blue"}, "'too_blue' is not a rejection tag"),
    ({"kind": "circle", "points": (0.1, 0.1)}, "'circle' is not a kind of note"),
    ({"kind": "box", "points": (0.1, 0.1, 0.2, 0.2), "frame_start": 2}, "a still image has no frames"),
])
def test_a_bad_note_on_a_still_is_refused_in_one_line_and_nothing_is_stored(store, takes, kwargs, says):
    still, _ = takes
    with pytest.raises(StoreError, match=says) as err, store.write() as s:
        add_note(s, still, author="ana", **kwargs)
    assert "SH010/take_001" in str(err.value) and "\n" not in str(err.value)
    with store.read() as s:
        assert standing_notes(s, [still]) == {still: []} and latest_note_id(s) == 0


@pytest.mark.parametrize(("start", "end", "says"), [
    (7, 3, "frame range 7-3 is reversed"),
    (10, 13, "frames 10-13 are beyond the clip's frames 1-12"),
    (0, 2, "beyond the clip's frames 1-12"),
])
def test_a_frame_range_is_checked_against_the_clip(store, takes, start, end, says):
    _, clip = takes
    with pytest.raises(StoreError, match=says), store.write() as s:
        add_note(s, clip, author="ana", kind="box", points=(0.1, 0.1, 0.2, 0.2), frame_start=start, frame_end=end)
    with store.write() as s:  # the last frame itself is fine, and one frame alone
        assert add_note(s, clip, author="ana", kind="box", points=(0.1, 0.1, 0.2, 0.2), frame_start=12).frame_end == 12


def test_retracting_appends_a_row_and_the_note_leaves_the_standing_notes(store, takes):
    still, _ = takes
    with store.write() as s:
        keep = add_note(s, still, author="ana", kind="box", points=(0.1, 0.1, 0.2, 0.2))
        gone = add_note(s, still, author="ana", kind="arrow", points=(0.1, 0.1, 0.2, 0.2))
    with store.read() as s:
        cursor = latest_note_id(s)
    with store.write() as s:
        retract_note(s, gone.id, author="ben")
    with store.read() as s:
        assert standing_notes(s, [still])[still] == [keep]
        changes = notes_since(s, cursor)
        everything = notes_since(s, 0)
    assert [(c.note, c.retracts_id, c.author) for c in changes] == [(None, gone.id, "ben")]
    assert [c.note for c in everything[:2]] == [keep, gone]  # the withdrawn note is still history
    with pytest.raises(StoreError, match=f"note {gone.id} was already withdrawn by ben"), store.write() as s:
        retract_note(s, gone.id, author="ana")
    with pytest.raises(StoreError, match="there is no note 999"), store.write() as s:
        retract_note(s, 999, author="ana")


def test_a_note_replayed_with_its_client_key_is_stored_once(store, takes):
    still, _ = takes
    for _ in range(2):
        with store.write() as s:
            first = add_note(s, still, author="ana", kind="box", points=(0.1, 0.1, 0.2, 0.2), client_key="k-1")
            retract_note(s, first.id, author="ana", client_key="k-2")
    with store.read() as s:
        assert [(c.note is None, c.retracts_id) for c in notes_since(s, 0)] == [(False, None), (True, first.id)]
        assert standing_notes(s, [still]) == {still: []}


def test_sqlite_refuses_to_change_delete_or_replace_a_note(store, takes):
    still, _ = takes
    with store.write() as s:
        add_note(s, still, author="ana", kind="box", points=(0.1, 0.1, 0.2, 0.2), client_key="k-1")
    conn = sqlite3.connect(store.location.path)
    for statement in (
        "UPDATE review_note SET text = 'rewritten'",
        "DELETE FROM review_note",
        "INSERT OR REPLACE INTO review_note (id, take_id, author, made_at, kind, points_json, text) "
        "VALUES (1, 1, 'mallory', '2026-01-01 00:00:00', 'box', '[0,0,1,1]', '')",
        "INSERT OR REPLACE INTO review_note (take_id, author, made_at, kind, points_json, text, client_key) "
        "VALUES (1, 'mallory', '2026-01-01 00:00:00', 'box', '[0,0,1,1]', '', 'k-1')",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()
    with store.read() as s:
        assert [n.author for n in standing_notes(s, [still])[still]] == ["ana"]


def test_postgresql_refuses_to_change_delete_or_truncate_notes(pg_store):
    add_shots(pg_store, "SH010")
    with pg_store.write() as s:
        take = append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", prompt="x"))
        add_note(s, take.id, author="ana", kind="text", points=(0.5, 0.5), text="here", tag="style_lighting")
    for statement in ("UPDATE review_note SET text = 'x'", "DELETE FROM review_note", "TRUNCATE review_note CASCADE"):
        with pytest.raises(DBAPIError, match="append-only"), pg_store.engine.begin() as conn:
            conn.execute(text(statement))
    with pg_store.read() as s:
        assert [n.text for n in standing_notes(s, [take.id])[take.id]] == ["here"]
