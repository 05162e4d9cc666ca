"""The weekly review's HTML page shows each rejected take's frame with its notes drawn."""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

from PIL import Image

from engine.cli.main import main
from engine.store.notes import add_note
from engine.store.reviews import add_decision
from engine.store.shots import add_shot
from engine.store.takes import NewTake, append_take
from engine.takes.reports.note_frames import TAGGED
from tests.engine.reports.conftest import W47_MON

GREY = (90, 90, 90)


def _rejected_take(store, code: str, *, noted: bool) -> int:
    rel = f"frames/{code}.png"
    (store.media_dir / "frames").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 360), GREY).save(store.media_dir / rel)
    with store.write() as s:
        add_shot(s, episode="EP01", code=code)
        take = append_take(s, NewTake(shot=code, model="nbp-model", pipeline="keyframe", target="nbp",
                                      system_prompt_version="v1.0", prompt=f"prompt of {code}", seed=3,
                                      created_at=W47_MON, output_path=rel))
        add_decision(s, take.id, reviewer="ana", approve=False, tags=("anatomy_failure",),
                     at=W47_MON + timedelta(hours=1))
        if noted:
            add_note(s, take.id, author="ana", kind="box", points=(0.25, 0.25, 0.5, 0.5), tag="anatomy_failure",
                     text="six fingers")
    return take.id


def _pictures(page: str) -> dict[str, Image.Image]:
    found = re.findall(r"<img class='take' src='data:image/jpeg;base64,([^']+)' alt='([^']+) with its notes'>", page)
    return {ref: Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB") for data, ref in found}


def _close(a, b, tolerance=45) -> bool:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) <= tolerance


def test_the_html_page_carries_rejected_frames_with_their_notes(store, tmp_path):
    _rejected_take(store, "EP01_SH001", noted=True)
    _rejected_take(store, "EP01_SH002", noted=False)
    path = store.display()
    store.close()
    out = tmp_path / "w47.html"
    assert main(["report", "weekly", "--store", path, "--week", "2026-W47", "--html", str(out)]) == 0
    pictures = _pictures(out.read_text(encoding="utf-8"))
    assert set(pictures) == {"EP01_SH001/take_001", "EP01_SH002/take_001"}
    noted, plain = pictures["EP01_SH001/take_001"], pictures["EP01_SH002/take_001"]
    assert noted.size == (360, 203) or noted.size == (360, 202)
    w, h = noted.size
    edge = [noted.getpixel((round(0.25 * w) + dx, round(0.5 * h))) for dx in range(-1, 2)]
    assert any(_close(p, TAGGED) for p in edge), edge  # the box's left edge
    assert _close(noted.getpixel((round(0.5 * w), round(0.5 * h))), GREY)  # inside it, the frame
    assert _close(plain.getpixel((round(0.25 * w), round(0.5 * h))), GREY)  # no notes: the frame as it is
