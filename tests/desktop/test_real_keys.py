"""The review keys typed into the real desk window on a real X display (Xvfb): after each
keystroke the store holds exactly what the reviewer meant, and nothing they did not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from engine.store.reviews import add_decision
from tests.desktop.conftest import build_store

DRIVER = Path(__file__).with_name("real_keys_driver.py")
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian package xvfb)")

A, B = "EP01_SC01_SH010/take_001", "EP01_SC01_SH010/take_002"
C, D = "EP01_SC01_SH020/take_001", "EP01_SC01_SH020/take_002"


def _drive(store, tmp_path, steps, leave_at: str = "") -> list[dict]:
    settings = tmp_path / "desk.ini"
    ini = QSettings(str(settings), QSettings.IniFormat)
    ini.setValue("review/reviewer", "root")
    ini.sync()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DRIVER_LEAVE_AT"] = leave_at
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable, str(DRIVER),
         str(store.location.path), str(settings), json.dumps(steps)],
        capture_output=True, text=True, timeout=240, env=env, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    opened, *steps = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return opened, steps


def test_each_review_key_writes_exactly_what_it_means(store, tmp_path):
    build_store(store, shots=3, takes=2)
    with store.write() as s:  # another reviewer's standing decisions
        add_decision(s, A, reviewer="ana.ruiz", approve=True)
        add_decision(s, D, reviewer="ben.okafor", approve=False, tags=["anatomy_failure", "style_lighting"],
                     note="see hands")
    before = {A: [["ana.ruiz", "approve", [], "", ""]],
              D: [["ben.okafor", "reject", ["anatomy_failure", "style_lighting"], "see hands", ""]]}
    opened, steps = _drive(store, tmp_path, [
        ["goto", D],                 # 0: look at ben's rejection
        ["Ctrl+Z"],                  # 1: undo over someone else's decision
        ["goto", A],                 # 2
        ["R"],                       # 3: R alone
        ["Escape"],                  # 4: R, Esc
        ["R", "Return"],             # 5: a draft with no tag
        ["1", "Return"],             # 6: tag + Return, over ana's approval
        ["R", "3", "Return"],        # 7: R + tag + Return
        ["N", "text:horizon tilts", "Return"],  # 8: a note, Return in the field
        ["Ctrl+Z"],                  # 9: undo: my own latest decision only
    ], leave_at="40,60,1180,660")
    assert len(steps) == 10
    # on a 1366x768 screen the window fits, with the strip, status bar and neighbours in view
    assert opened["frame_fits_screen"] and all(opened["visible"].values()), opened["visible"]
    assert opened["window"][2] <= 1366 and opened["window"][3] <= 768

    # 0: the Dailies view shows ben's decision as ben's, not the person at the desk
    panel = steps[0]["decision_panel"]
    assert "Rejected by ben.okafor" in panel and "Anatomy failure, Style/lighting" in panel
    assert "see hands" in panel and "1 decision on this take" in panel
    # 1: Ctrl+Z with nothing of root's on the take: refused, nothing written
    assert steps[1]["decisions"] == before
    assert "no standing decision by root" in steps[1]["status"]
    # 3: R opens a draft and writes nothing
    assert steps[3]["decisions"] == before and steps[3]["draft_chip"] and steps[3]["current"] == A
    # 4: Esc drops it, still nothing
    assert steps[4]["decisions"] == before and not steps[4]["draft_chip"] and steps[4]["current"] == A
    # 5: Return on a draft without a tag: refused with the reason, stays on the take
    assert steps[5]["decisions"] == before and steps[5]["current"] == A
    assert "needs at least one tag" in steps[5]["status"]
    # 6: one tag and Return: one tagged rejection of the take under review, reported as an
    #    overrule, and the desk moves to the next undecided take
    after6 = {**before, A: before[A] + [["root", "reject", ["anatomy_failure"], "", "ana.ruiz's approval"]]}
    assert steps[6]["decisions"] == after6
    assert "overrules ana.ruiz's approval" in steps[6]["status"]
    assert steps[6]["current"] == B
    # 7: R, a tag, Return: one tagged rejection on B, and on to C
    after7 = {**after6, B: [["root", "reject", ["camera_composition"], "", ""]]}
    assert steps[7]["decisions"] == after7 and steps[7]["current"] == C
    # 8: Return in the note field keeps the note, records nothing, does not move
    assert steps[8]["decisions"] == after7 and steps[8]["current"] == C
    assert not steps[8]["note_field_open"] and steps[8]["focus_on_frame"]
    # 9: Ctrl+Z withdraws root's latest own decision (on B), nobody else's
    after9 = {**after7, B: after7[B] + [["root", "retract", [], "", "root's rejection"]]}
    assert steps[9]["decisions"] == after9 and steps[9]["current"] == B


def test_the_window_opens_where_it_was_left(store, tmp_path):
    build_store(store, shots=2, takes=1)
    first, _ = _drive(store, tmp_path, [], leave_at="40,60,1180,660")
    again, _ = _drive(store, tmp_path, [])
    assert again["window"][2:] == [1180, 660] and again["window"] != first["window"]
    assert again["frame_fits_screen"] and all(again["visible"].values())
