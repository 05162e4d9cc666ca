"""The Weekly view's per-tag chart (the table never scrolls sideways) and its Replay tab,
offscreen on real SQLite stores."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import timedelta  # noqa: E402

from engine.store.reviews import add_decision  # noqa: E402
from engine.store.shots import add_shot  # noqa: E402
from engine.store.takes import NewTake, append_take  # noqa: E402
from tests.desktop.test_weekly_view import W47, _fill  # noqa: E402
from tests.engine.prompting.conftest import plan_dict  # noqa: E402


def _open(qtbot, qapp, store, size=(1600, 960)):
    from desktop.theme import apply_theme
    from desktop.weekly_view import WeeklyView

    apply_theme(qapp)
    widget = WeeklyView(store)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    with qtbot.waitSignal(widget.report_loaded, timeout=30000):
        widget.set_week("2026-W47")
    return widget


def test_per_tag_figures_beside_a_table_that_never_scrolls_sideways(qtbot, qapp, store):
    _fill(store)
    view = _open(qtbot, qapp, store)
    qtbot.wait(50)
    assert view.table.horizontalScrollBar().maximum() == 0
    tags = [i for i, c in enumerate(view.report.columns) if c.kind == "tag"]
    assert len(tags) == 4 and all(view.table.isColumnHidden(i) for i in tags)
    assert not any(view.table.isColumnHidden(i) for i in range(len(view.report.columns)) if i not in tags)
    chart = view.supervisor.chart
    rows = chart.tooltip_rows()
    assert len(rows) == 5 and rows[0].startswith("All rejections")
    a, b = (r.version for r in chart.rates)
    assert (a, b) == ("v1.0", "v1.1")  # the pair of the comparison
    nbp11 = next(r for r in view.report.tag_rates if r.version == "v1.1" and r.target == "nbp")
    anatomy = nbp11.tag("anatomy_failure")
    assert f"B {anatomy.rate * 100:.1f}%" in rows[1]
    view.compare(view.b_box.itemData(0), view.b_box.itemData(2))
    assert [r.target for r in chart.rates] == ["kling_t2v", "nbp"]
    view.wait_idle()


def _plans(store) -> list[int]:
    ids = []
    with store.write() as s:
        for n in range(4):
            code = f"EP01_SH{n + 1:03d}"
            add_shot(s, episode="EP01", code=code, plan=plan_dict())
            take = append_take(s, NewTake(shot=code, model="nbp-model", pipeline="keyframe", target="nbp",
                                          system_prompt_version="v1.0", prompt=f"sent then for {code}",
                                          seed=n, created_at=W47))
            add_decision(s, take.id, reviewer="chloe", approve=n == 3, tags=() if n == 3 else ["anatomy_failure"],
                         note="six fingers" if n == 0 else "", at=W47 + timedelta(hours=1))
            ids.append(take.id)
    return ids


def test_the_replay_tab_shows_each_rejected_take_old_and_new_side_by_side(qtbot, qapp, store, tmp_path):
    _plans(store)
    view = _open(qtbot, qapp, store)
    sup = view.supervisor
    sup.replay_button.click()
    assert sup.tabs.currentWidget() is sup.replay
    replay = sup.replay
    assert replay.version_box.currentData() == "v1.1"  # the target's newest; no draft here
    with qtbot.waitSignal(replay.replay_shown, timeout=30000):
        replay.run()
    assert replay.takes.count() == 3
    assert "cannot be called" in replay.title.text()  # offline: no API key in tests
    replay.takes.setCurrentRow(0)
    assert replay.sent.toPlainText() == "sent then for EP01_SH001"
    first = replay.replay.items[0]
    assert replay.now.toPlainText() == first.builder_prompt and first.builder_prompt
    assert "six fingers" in replay.meta.text() and "anatomy_failure" in replay.meta.text()
    before = replay.replay
    qtbot.waitUntil(lambda: replay.saved_box.count() == 1, timeout=20000)  # the list is read off the GUI thread
    saved = replay.saved_box.itemData(0)
    with qtbot.waitSignal(replay.replay_shown, timeout=30000):
        replay.open_replay(saved)
    assert replay.replay is not before and replay.replay.id == before.id
    assert replay.replay.items == before.items and replay.takes.count() == 3
    replay.wait_idle()
    view.wait_idle()


def test_a_draft_is_offered_first_and_shown_beside_its_released_version(qtbot, qapp, store, tmp_path,
                                                                       monkeypatch):
    import shutil

    from engine.core import paths
    from engine.takes.prompting.config import clear_cache
    from engine.takes.prompting.drafts import draft, save_draft

    folder = tmp_path / "prompts"
    shutil.copytree(paths.prompts_dir(), folder)
    monkeypatch.setenv("DAILIES_PROMPTS_DIR", str(folder))
    clear_cache()
    d = draft("nbp", "v1.1")
    released = (folder / "flash_to_nbp_v1.1.txt").read_text()
    save_draft("nbp", "v1.2", released + "Never merge or add fingers.\n")
    _plans(store)
    view = _open(qtbot, qapp, store)
    view.supervisor.open_replay()
    replay = view.supervisor.replay
    assert replay.version_box.currentData() == "v1.2" and "(draft)" in replay.version_box.currentText()
    assert replay.draft_button.isEnabled()
    replay.show_draft()
    dialog = replay.draft_dialog
    qtbot.addWidget(dialog)
    assert dialog.left.box.toPlainText() == released
    assert dialog.right.box.toPlainText() == d.path.read_text()
    assert "1 line(s) new or changed" in dialog.findChildren(type(view.basis))[0].text()
    dialog.close()
    clear_cache()
    view.wait_idle()
