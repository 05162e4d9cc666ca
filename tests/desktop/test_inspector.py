"""The take inspector shows exactly what was sent and copies it back out."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from engine.store.takes import NewTake, append_take, takes_by_ids


def _inspector(window, qtbot):
    window.show_view("inspector")
    view = window.views["inspector"]
    qtbot.waitUntil(view.is_ready, timeout=5000)
    return view


def test_inspector_shows_the_exact_prompt_seed_and_system_prompt(window, qtbot):
    view = _inspector(window, qtbot)
    with window.store.read() as s:
        [take] = takes_by_ids(s, [window.session.current_take().id])
    assert view.prompt.toPlainText() == take.prompt
    assert view.fact_labels["Seed"].text() == str(take.seed)
    assert view.system_text.toPlainText() == take.system_prompt_text
    assert "$0.0400" in view.fact_labels["Take cost"].text()
    assert "$0.0800" in view.fact_labels["Shot landed cost"].text()


def test_inspector_diffs_against_the_previous_take_and_the_builder(window, qtbot):
    view = _inspector(window, qtbot)
    qtbot.keyClick(view, Qt.Key_Down)  # take 2 of the first shot
    qtbot.waitUntil(view.is_ready, timeout=5000)  # what the inspector shows is read off the GUI thread
    assert "take_001" in view.diff_previous.toPlainText()
    changes = [(p.op, p.text) for p in view.inspection.against_previous.parts if p.op != "equal"]
    assert changes == [("delete", "1"), ("insert", "2")]
    assert "builder" in view.diff_builder.toPlainText()


def test_copy_actions_put_prompt_seed_and_json_on_the_clipboard(window, qtbot):
    view = _inspector(window, qtbot)
    take = view.inspection.take
    view.do_copy_prompt()
    assert QGuiApplication.clipboard().text() == take.prompt
    view.do_copy_seed()
    assert QGuiApplication.clipboard().text() == str(take.seed)
    view.do_copy_all()
    data = json.loads(QGuiApplication.clipboard().text())
    assert data["seed"] == take.seed and data["system_prompt_text"] == take.system_prompt_text


def test_a_take_whose_prompt_file_changed_since_is_marked(qtbot, store, desk_settings_file):
    from desktop.main_window import MainWindow
    from engine.store.shots import add_shot
    from engine.takes.prompting.system_prompts import system_prompt

    current = system_prompt("nbp", "v1.0")
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH1")
        append_take(s, NewTake(shot="SH1", model="m", pipeline="keyframe", prompt="p", target="nbp",
                               system_prompt_version="v1.0", system_prompt_text=current.text))
        append_take(s, NewTake(shot="SH1", model="m", pipeline="keyframe", prompt="p2", target="nbp",
                               system_prompt_version="v1.0", system_prompt_text="an older edit of the file"))
    win = MainWindow(store, view="inspector")
    qtbot.addWidget(win)
    win.show()
    view = win.views["inspector"]
    qtbot.waitUntil(view.is_ready)
    assert "matches" in view.fact_labels["Prompt file"].text()
    qtbot.keyClick(view, Qt.Key_Down)
    qtbot.waitUntil(view.is_ready, timeout=5000)
    assert "CHANGED" in view.fact_labels["Prompt file"].text()
    assert view.system_text.toPlainText() == "an older edit of the file"
    win.close()
