"""Notes from the command line, and their COCO export read back with the COCO reference API."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

from engine.cli.main import main
from engine.store.takes import NewTake, append_take
from tests.engine.store.helpers import add_shots, make_clip


@pytest.fixture
def noted(store):
    add_shots(store, "SH010", episode="EP01")
    add_shots(store, "SH900", episode="EP02")
    (store.media_dir / "stills").mkdir(parents=True)
    Image.new("RGB", (200, 100), (40, 80, 120)).save(store.media_dir / "stills" / "a.png")
    Image.new("RGB", (50, 50), (40, 80, 120)).save(store.media_dir / "stills" / "b.png")
    make_clip(store.media_dir / "clips" / "c.mp4", frames=12)
    with store.write() as s:
        append_take(s, NewTake(shot="SH010", model="nbp-2", pipeline="keyframe", prompt="a lamp on a desk",
                               seed=7, output_path="stills/a.png", system_prompt_version="v1.2",
                               system_prompt_text="be exact"))
        append_take(s, NewTake(shot="SH010", model="kling", pipeline="motion", prompt="a run",
                               seed=9, output_path="clips/c.mp4", media_kind="clip"))
        append_take(s, NewTake(shot="SH900", model="m", pipeline="keyframe", prompt="other episode",
                               output_path="stills/b.png"))
    return str(store.location.path)


def cli(*args) -> int:
    return main([*args])


def test_notes_added_listed_and_withdrawn_from_the_command_line(noted, capsys):
    assert cli("notes", "add", "--store", noted, "--take", "SH010/take_001", "--box", "0.1,0.2,0.3,0.4",
               "--tag", "anatomy_failure", "--text", "six fingers") == 0
    assert cli("notes", "add", "--store", noted, "--take", "SH010/take_001", "--at", "0.5,0.5", "--text", "too dark") == 0
    assert cli("notes", "add", "--store", noted, "--take", "SH010/take_002", "--arrow", "0.9,0.9,0.5,0.5",
               "--frame", "3-5") == 0
    capsys.readouterr()
    assert cli("notes", "list", "--store", noted, "--take", "SH010/take_001", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(n["kind"], n["tag"], n["text"]) for n in listed] == [
        ("box", "anatomy_failure", "six fingers"), ("text", None, "too dark")]
    assert cli("notes", "retract", "--store", noted, str(listed[0]["id"])) == 0
    capsys.readouterr()
    assert cli("notes", "list", "--store", noted, "--take", "SH010/take_001") == 0
    out = capsys.readouterr().out
    assert "too dark" in out and "six fingers" not in out
    assert cli("notes", "list", "--store", noted, "--take", "SH010/take_002") == 0
    assert "3-5" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "says"), [
    (("--box", "0.1,0.2,0.3"), "a box takes 4 numbers"),
    (("--box", "0.1,0.2,x,0.4"), "--box: 'x' is not a number"),
    (("--box", "0.1,0.2,0.3,0.4", "--frame", "2"), "a still image has no frames"),
    (("--at", "0.5,0.5"), "a text note needs its text"),
    (("--box", "0.1,0.2,0.3,0.4", "--tag", "blue"), "'blue' is not a rejection tag"),
])
def test_a_bad_note_is_one_line_exit_2_and_nothing_stored(noted, capsys, args, says):
    assert cli("notes", "add", "--store", noted, "--take", "SH010/take_001", *args) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
    assert cli("notes", "list", "--store", noted, "--take", "SH010/take_001", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_clip_frame_range_past_the_end_is_refused(noted, capsys):
    assert cli("notes", "add", "--store", noted, "--take", "SH010/take_002", "--box", "0.1,0.1,0.2,0.2",
               "--frame", "11-13") == 2
    assert "frames 11-13 are beyond the clip's frames 1-12" in capsys.readouterr().err


def test_coco_export_opens_in_the_coco_api_with_boxes_in_pixels(noted, tmp_path, capsys):
    take = ("--store", noted, "--take")
    cli("notes", "add", *take, "SH010/take_001", "--box", "0.1,0.2,0.3,0.4", "--tag", "anatomy_failure")
    cli("notes", "add", *take, "SH010/take_001", "--stroke", "0.5,0.1,0.9,0.1,0.9,0.5,0.5,0.5",
        "--tag", "style_lighting", "--text", "flat light")
    cli("notes", "add", *take, "SH010/take_001", "--arrow", "0.0,0.0,0.5,1.0")
    cli("notes", "add", *take, "SH010/take_001", "--at", "0.25,0.75", "--text", "grain missing")
    cli("notes", "add", *take, "SH010/take_002", "--box", "0.5,0.5,0.25,0.25", "--frame", "4-6",
        "--tag", "continuity_error")
    cli("notes", "add", *take, "SH900/take_001", "--box", "0,0,1,1", "--tag", "camera_composition")
    out = tmp_path / "notes.json"
    assert cli("notes", "export", "--store", noted, "--format", "coco", "--out", str(out), "--episode", "EP01") == 0
    assert "2 images, 4 regions, 1 text labels" in capsys.readouterr().out

    coco = COCO(str(out))
    cats = {c["name"]: c["id"] for c in coco.loadCats(coco.getCatIds())}
    assert set(cats) == {"anatomy_failure", "continuity_error", "camera_composition", "style_lighting", "untagged"}
    still = next(i for i in coco.dataset["images"] if i["take"] == "SH010/take_001")
    assert (still["width"], still["height"]) == (200, 100)
    assert still["file_name"].endswith("stills/a.png")
    assert (still["prompt"], still["seed"], still["model"], still["system_prompt_version"]) == (
        "a lamp on a desk", 7, "nbp-2", "v1.2")
    assert still["comments"][0]["text"] == "grain missing" and still["comments"][0]["x"] == 50
    anns = {a["kind"]: a for a in coco.loadAnns(coco.getAnnIds(imgIds=[still["id"]]))}
    box = anns["box"]
    assert box["bbox"] == [20, 20, 60, 40] and box["area"] == 2400 and box["iscrowd"] == 0
    assert box["category_id"] == cats["anatomy_failure"]
    assert int(coco.annToMask(box).sum()) == pytest.approx(2400, rel=0.05)  # rasterised as CVAT would
    stroke = anns["stroke"]
    assert stroke["bbox"] == [100, 10, 80, 40] and stroke["area"] == 3200
    assert stroke["category_id"] == cats["style_lighting"] and stroke["text"] == "flat light"
    assert anns["arrow"]["bbox"] == [0, 0, 100, 100] and anns["arrow"]["line"] == [0, 0, 100, 100]
    assert anns["arrow"]["category_id"] == cats["untagged"]

    clip = next(i for i in coco.dataset["images"] if i["take"] == "SH010/take_002")
    assert clip["frame"] == 4
    frame = Image.open(clip["file_name"])  # the noted frame, written beside the JSON
    assert frame.size == (clip["width"], clip["height"]) == (64, 36)
    assert np.asarray(frame)[18, 32, 0] == pytest.approx(30, abs=12)  # frame 4 of a ramp by 10s
    (ann,) = coco.loadAnns(coco.getAnnIds(imgIds=[clip["id"]]))
    assert ann["bbox"] == [32, 18, 16, 9] and (ann["frame_start"], ann["frame_end"]) == (4, 6)
    assert not any(i["take"].startswith("SH900") for i in coco.dataset["images"])

    # the results API takes the annotations as detections too (what evaluation tools load)
    dets = coco.loadRes([{**a, "score": 1.0} for a in coco.dataset["annotations"]])
    assert len(dets.getAnnIds()) == 4
    rle = mask_utils.frPyObjects(box["segmentation"], 100, 200)
    assert int(mask_utils.area(mask_utils.merge(rle))) == pytest.approx(2400, rel=0.05)


def test_coco_export_of_one_tag_and_its_refusals(noted, tmp_path, capsys):
    cli("notes", "add", "--store", noted, "--take", "SH010/take_001", "--box", "0.1,0.2,0.3,0.4", "--tag", "anatomy_failure")
    cli("notes", "add", "--store", noted, "--take", "SH010/take_001", "--box", "0.5,0.5,0.1,0.1")
    out = tmp_path / "tagged.json"
    assert cli("notes", "export", "--store", noted, "--format", "coco", "--out", str(out), "--tag", "anatomy_failure") == 0
    data = json.loads(out.read_text())
    assert [a["category_id"] for a in data["annotations"]] == [1]
    capsys.readouterr()
    assert cli("notes", "export", "--store", noted, "--format", "coco", "--out", str(out), "--tag", "blue") == 2
    assert "'blue' is not a rejection tag" in capsys.readouterr().err
    assert cli("notes", "export", "--store", noted, "--format", "coco", "--out", str(tmp_path / "x.json"),
               "--episode", "EP77") == 2
    assert "no episode EP77" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
