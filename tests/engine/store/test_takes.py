"""Takes are append-only history: numbered per shot, never rewritten, never deleted."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from engine.core.errors import MediaError, PlanError, StoreError
from engine.store.models import SystemPromptText, Take
from engine.store.shots import add_shot, list_shots
from engine.store.takes import NewTake, append_take, export_takes, get_take, list_takes
from engine.takes.intake import record_external_take

from .helpers import PLAN, add_shots, image


def _take(shot="SH010", **kw):
    base = dict(shot=shot, model="gemini-3-pro-image-preview", pipeline="keyframe",
                prompt="A cinematic still", seed=42, system_prompt_version="v1.0",
                system_prompt_text="BASE\nNBP v1.0")
    base.update(kw)
    return NewTake(**base)


def test_takes_get_readable_ids_per_shot(store):
    add_shots(store, "SH010", "SH020")
    with store.write() as s:
        labels = [append_take(s, _take(shot)).ref for shot in ("SH010", "SH010", "SH020", "SH010")]
    assert labels == ["SH010/take_001", "SH010/take_002", "SH020/take_001", "SH010/take_003"]


def test_a_retry_appends_and_the_first_take_keeps_its_prompt_seed_and_version(store):
    add_shots(store, "SH010")
    with store.write() as s:
        append_take(s, _take(prompt="first try", seed=1))
        append_take(s, _take(prompt="second try", seed=2, system_prompt_version="v1.1",
                             system_prompt_text="BASE\nNBP v1.1"))
    with store.read() as s:
        first, second = list_takes(s, "SH010")
    assert (first.prompt, first.seed, first.system_prompt_version) == ("first try", 1, "v1.0")
    assert (second.prompt, second.seed, second.system_prompt_version) == ("second try", 2, "v1.1")
    assert first.system_prompt_text == "BASE\nNBP v1.0"


@pytest.mark.parametrize("column,value", [("prompt", "'rewritten'"), ("seed", "7"),
                                          ("system_prompt_version", "'v9.9'"), ("failed", "1"),
                                          ("output_sha256", "'0000'")])
def test_the_store_refuses_to_change_a_takes_provenance(store, column, value):
    add_shots(store, "SH010")
    with store.write() as s:
        append_take(s, _take())
    with pytest.raises(DatabaseError, match="append-only"):
        with store.write() as s:
            s.execute(text(f"UPDATE take SET {column} = {value}"))
    with store.read() as s:
        take = list_takes(s, "SH010")[0]
    assert (take.prompt, take.seed, take.system_prompt_version) == ("A cinematic still", 42, "v1.0")


def test_the_orm_cannot_rewrite_or_delete_a_take_either(store):
    add_shots(store, "SH010")
    with store.write() as s:
        append_take(s, _take())
    with pytest.raises(DatabaseError, match="append-only"):
        with store.write() as s:
            s.scalar(select(Take)).prompt = "edited"
    with pytest.raises(DatabaseError, match="append-only"):
        with store.write() as s:
            s.delete(s.scalar(select(Take)))
    with store.read() as s:
        assert list_takes(s, "SH010")[0].prompt == "A cinematic still"


def test_each_system_prompt_text_is_stored_once_and_takes_keep_theirs(store):
    add_shots(store, "SH010")
    with store.write() as s:
        for _ in range(3):
            append_take(s, _take())
        append_take(s, _take(system_prompt_text="BASE\nNBP v1.0 edited on disk"))
    with store.read() as s:
        assert s.scalar(select(SystemPromptText.id).where(SystemPromptText.text == "BASE\nNBP v1.0")) is not None
        assert len(s.scalars(select(SystemPromptText)).all()) == 2
        texts = [t.system_prompt_text for t in list_takes(s, "SH010")]
    assert texts == ["BASE\nNBP v1.0"] * 3 + ["BASE\nNBP v1.0 edited on disk"]


def test_a_store_made_again_at_the_same_address_keeps_its_own_system_prompt_texts(tmp_path):
    from engine.store.db import open_store
    from engine.store.takes import bulk_append_takes

    path = tmp_path / "again.sqlite"
    for other_texts in ((), ("An older text",)):
        path.unlink(missing_ok=True)
        with open_store(path, create=True) as store:
            add_shots(store, "SH010")
            with store.write() as s:  # the second store numbers its texts differently
                for text in other_texts:
                    append_take(s, _take(system_prompt_text=text))
            with store.write() as s:
                append_take(s, _take())
            with store.write() as s:
                bulk_append_takes(s, [_take(seed=i) for i in range(3)])
            with store.read() as s:
                texts = [t.system_prompt_text for t in list_takes(s, "SH010")]
        assert texts == [*other_texts, *["BASE\nNBP v1.0"] * 4]


def test_export_has_the_execution_store_shape(store):
    add_shots(store, "SH010")
    with store.write() as s:
        append_take(s, _take(cost=0.134, output_path="frames/sh010_1.png"))
    with store.read() as s:
        (exported,) = export_takes(s, "SH010")
    assert set(exported) == {"take_id", "timestamp", "prompt", "seed", "system_prompt_version",
                             "model", "cost", "output_path", "status"}
    assert exported["take_id"] == "take_001"
    assert exported["status"] == "pending_review"
    assert exported["cost"] == 0.134


def test_a_failed_generation_is_a_take_with_status_failed(store):
    add_shots(store, "SH010")
    with store.write() as s:
        append_take(s, _take(failed=True))
    with store.read() as s:
        assert list_takes(s, "SH010")[0].status == "failed"


def test_unknown_shot_and_take_references_are_named(store):
    add_shots(store, "SH010")
    with store.write() as s, pytest.raises(StoreError, match="no shot 'SH999'"):
        append_take(s, _take(shot="SH999"))
    with store.read() as s:
        with pytest.raises(StoreError, match="shot SH010 has no take_004"):
            get_take(s, "SH010/take_004")
        with pytest.raises(StoreError, match="not a take id"):
            get_take(s, "SH010/final")


def test_a_plan_missing_a_field_is_refused_naming_shot_and_key(store):
    bad = {k: v for k, v in PLAN.items() if k != "lighting"}
    with store.write() as s, pytest.raises(PlanError, match="shot SH010: key 'lighting' is missing"):
        add_shot(s, episode="EP01", code="SH010", plan=bad)
    with store.read() as s:
        assert list_shots(s) == []


def test_shots_keep_sequence_order(store):
    add_shots(store, "SH030", "SH010", "SH020")
    with store.read() as s:
        assert [r.code for r in list_shots(s)] == ["SH030", "SH010", "SH020"]


def test_an_external_take_is_checked_before_it_is_stored(store, tmp_path):
    add_shots(store, "SH010")
    with pytest.raises(MediaError, match="does not exist"):
        record_external_take(store, shot="SH010", output=tmp_path / "gone.png", prompt="p",
                             seed=1, model="m", allow_unknown_model=True)
    not_image = tmp_path / "notes.png"
    not_image.write_text("this is a note, not a frame")
    with pytest.raises(MediaError, match="notes.png: not an image"):
        record_external_take(store, shot="SH010", output=not_image, prompt="p", seed=1, model="m",
                             allow_unknown_model=True)
    with store.read() as s:
        assert list_takes(s, "SH010") == []
    take = record_external_take(store, shot="SH010", output=image(tmp_path / "ok.png"),
                                prompt="exact prompt", seed=9, model="flux-dev",
                                system_prompt_version="v1.0", allow_unknown_model=True)
    assert take.ref == "SH010/take_001"
    assert take.output_sha256 and take.media_kind == "image"
