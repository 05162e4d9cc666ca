"""Importing an existing execution store: nothing lost, nothing twice, nothing half-written."""

import json
import sqlite3

import pytest
from sqlalchemy import func, select

from engine.core.errors import StoreError
from engine.store.costs import cost_summary
from engine.store.legacy import import_legacy
from engine.store.models import Take
from engine.store.reviews import history
from engine.store.takes import list_takes


def _legacy(path, rows):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE shots (shot_id TEXT, episode_id TEXT, scene_id TEXT, takes TEXT)")
    conn.executemany("INSERT INTO shots VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()
    return path


TAKES = [
    {"take_id": "take_001", "timestamp": 1709251200, "prompt": "A cinematic 35mm film close-up",
     "seed": 42, "system_prompt_version": "v1.0", "model": "gemini-3-pro-image-preview",
     "cost": 0.134, "output_path": "renders/sh010_1.png", "status": "rejected",
     "rejection_tags": ["anatomy_failure"], "reviewer_note": "hands"},
    {"take_id": "take_003", "timestamp": 1709254800, "prompt": "A cinematic 35mm film close-up, v2",
     "seed": 43, "system_prompt_version": "v1.0", "model": "gemini-3-pro-image-preview",
     "cost": 0.134, "output_path": "renders/sh010_3.png", "status": "approved"},
]


def test_every_take_arrives_with_its_fields_and_status(store, tmp_path):
    path = _legacy(tmp_path / "execution.db", [
        ("EP02_SH010", "EP02", "SC01", json.dumps(TAKES)),
        ("EP02_SH020", "EP02", "SC01", json.dumps([])),
    ])
    report = import_legacy(store, path)
    assert (report.shots_added, report.takes_added, report.decisions_added) == (2, 2, 2)
    with store.read() as s:
        first, third = list_takes(s, "EP02_SH010")
        assert [(d.action, d.tags) for d in history(s, first.id)] == [("reject", ("anatomy_failure",))]
    assert (first.take_name, third.take_name) == ("take_001", "take_003")
    assert (first.prompt, first.seed, first.system_prompt_version) == (
        "A cinematic 35mm film close-up", 42, "v1.0")
    assert first.created_at.timestamp() == 1709251200
    assert (first.status, third.status) == ("rejected", "approved")
    assert first.extra == {"reviewer_note": "hands", "legacy_status": "rejected"}
    assert first.cost == 0.134 and first.output_path == "renders/sh010_1.png"
    with store.read() as s:
        assert cost_summary(s, shot="EP02_SH010").by_pass == {"generation": 0.268}
        assert cost_summary(s, shot="EP02_SH020").landed == 0


def test_a_second_import_adds_nothing(store, tmp_path):
    path = _legacy(tmp_path / "execution.db", [("EP02_SH010", "EP02", "SC01", json.dumps(TAKES))])
    import_legacy(store, path)
    again = import_legacy(store, path)
    assert (again.shots_added, again.takes_added, again.takes_already_present) == (0, 0, 2)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 2


def test_malformed_takes_json_is_named_and_nothing_is_written(store, tmp_path):
    path = _legacy(tmp_path / "execution.db", [
        ("EP02_SH010", "EP02", "SC01", json.dumps(TAKES)),
        ("EP02_SH020", "EP02", "SC01", '[{"take_id": "take_001", "prompt": "unterminated'),
    ])
    with pytest.raises(StoreError, match=r"shot 'EP02_SH020' \(row 2\): takes is not valid JSON"):
        import_legacy(store, path)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0


@pytest.mark.parametrize("takes,message", [
    ('{"take_id": "take_001"}', "takes must be a JSON array"),
    ('[{"prompt": "no id"}]', r"takes\[0\] has no take_id"),
    ('[{"take_id": "final"}]', "not a take id"),
    ('[{"take_id": "take_001", "seed": "forty-two"}]', r"takes\[0\].seed must be a whole number"),
])
def test_malformed_take_objects_are_named(store, tmp_path, takes, message):
    path = _legacy(tmp_path / "execution.db", [("EP02_SH010", "EP02", "SC01", takes)])
    with pytest.raises(StoreError, match=message):
        import_legacy(store, path)


def test_a_file_without_a_shots_table_is_named(store, tmp_path):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    with pytest.raises(StoreError, match="has no 'shots' table"):
        import_legacy(store, path)


def test_a_rejection_without_a_tag_stays_undecided_and_the_import_says_so(store, tmp_path):
    untagged = {**TAKES[0], "take_id": "take_002"}
    del untagged["rejection_tags"]
    path = _legacy(tmp_path / "execution.db", [("EP02_SH010", "EP02", "SC01", json.dumps([untagged]))])
    report = import_legacy(store, path)
    assert (report.takes_added, report.decisions_added, report.rejections_left_undecided) == (1, 0, 1)
    assert any("no tag" in n for n in report.notes)
    with store.read() as s:
        [take] = list_takes(s, "EP02_SH010")
        assert history(s, take.id) == []
    assert take.status != "rejected" and take.extra["legacy_status"] == "rejected"


def test_a_legacy_tag_outside_the_taxonomy_is_refused_before_anything_is_written(store, tmp_path):
    wrong = {**TAKES[0], "rejection_tags": ["blurry"]}
    path = _legacy(tmp_path / "execution.db", [("EP02_SH010", "EP02", "SC01", json.dumps([wrong]))])
    with pytest.raises(StoreError, match="blurry"):
        import_legacy(store, path)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Take)) == 0
