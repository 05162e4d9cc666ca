"""The supervisor's weekly view, offscreen: figures, comparison, trend, click-through, export."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, datetime, timedelta  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402

from engine.store.reviews import add_decision  # noqa: E402
from engine.store.shots import add_shot  # noqa: E402
from engine.store.takes import NewTake, append_take  # noqa: E402
from engine.takes.reports.weekly import GroupKey  # noqa: E402

W47 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
NBP10 = GroupKey("nbp", "gemini-3-pro-image-preview", "v1.0")
NBP11 = GroupKey("nbp", "gemini-3-pro-image-preview", "v1.1")
TAGS = ("anatomy_failure", "continuity_error", "camera_composition", "style_lighting")


def _fill(store) -> None:
    """Four weeks of reviews: nbp v1.0 and v1.1, kling_t2v v1.0."""
    plan = [  # (week offset, target, model, version, approved, rejected)
        (-3, "nbp", NBP10.model, "v1.0", 12, 8),
        (-2, "nbp", NBP10.model, "v1.0", 14, 7),
        (-1, "nbp", NBP10.model, "v1.0", 10, 6),
        (-1, "nbp", NBP10.model, "v1.1", 6, 2),
        (0, "nbp", NBP10.model, "v1.0", 11, 7),
        (0, "nbp", NBP10.model, "v1.1", 15, 4),
        (-2, "kling_t2v", "kling-v2.1", "v1.0", 5, 5),
        (0, "kling_t2v", "kling-v2.1", "v1.0", 6, 3),
    ]
    n = 0
    with store.write() as s:
        for offset, target, model, version, approved, rejected in plan:
            for i in range(approved + rejected):
                n += 1
                code = f"EP01_SH{n:03d}"
                at = W47 + timedelta(weeks=offset, hours=n)
                add_shot(s, episode="EP01", code=code)
                take = append_take(
                    s,
                    NewTake(shot=code, model=model, pipeline="keyframe", target=target,
                            system_prompt_version=version, seed=1000 + n, created_at=at,
                            prompt=f"Arri Alexa Mini LF, 35mm. Shot {code}: a courier crosses "
                                   f"the rain-soaked market at dusk, {version}."),
                )
                reject = i >= approved
                add_decision(s, take.id, reviewer="chloe", approve=not reject,
                             tags=[TAGS[n % 4]] if reject else [],
                             note="six fingers on the left hand" if reject and n % 4 == 0 else "",
                             at=at + timedelta(hours=3))


@pytest.fixture
def view(qtbot, qapp, store):
    from desktop.theme import apply_theme
    from desktop.weekly_view import WeeklyView

    apply_theme(qapp)
    _fill(store)
    widget = WeeklyView(store)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    widget.show()
    with qtbot.waitSignal(widget.report_loaded, timeout=30000):
        widget.set_week("2026-W47")
    yield widget
    widget.wait_idle()


def test_week_table_comparison_and_trend(view, qtmodeltester):
    model = view.groups
    qtmodeltester.check(model)
    rows = [
        [model.data(model.index(r, c)) for c in range(9)] for r in range(model.rowCount())
    ]
    assert rows == [
        ["kling_t2v", "kling-v2.1", "v1.0", "9", "0", "9", "6", "3", "33.3%"],
        ["nbp", NBP10.model, "v1.0", "18", "0", "18", "11", "7", "38.9%"],
        ["nbp", NBP11.model, "v1.1", "19", "0", "19", "15", "4", "21.1%"],
    ]
    assert model.headerData(9, Qt.Horizontal) == "Anatomy failure"
    assert "Reviewed in 2026-W47" in view.basis.text()
    # the newest nbp version against the one before it, honestly inconclusive at this size
    assert view.a_box.currentData() == NBP10 and view.b_box.currentData() == NBP11
    assert "Inconclusive" in view.verdict.text()
    assert view.report.series(NBP10)[-4:] == pytest.approx([8 / 20, 7 / 21, 6 / 16, 7 / 18])


def test_comparing_other_lines(view):
    result = view.compare(GroupKey("kling_t2v", "kling-v2.1", "v1.0"), NBP11)
    assert result.b_reviewed == 19 and result.a_reviewed == 9
    assert "3 of 9 rejected" in view.a_counts.text()


def test_click_through_to_rejected_prompts(view, qtbot, qtmodeltester):
    with qtbot.waitSignal(view.rejected_loaded, timeout=30000) as loaded:
        view.select_group(NBP10)
    assert loaded.args == [7]
    qtmodeltester.check(view.rejected)
    first = view.rejected.takes[0]
    assert first.tags and first.prompt.startswith("Arri Alexa Mini LF, 35mm.")
    text = view.prompt.toPlainText()
    assert first.ref in text and first.prompt in text
    assert view.prompt.isReadOnly()
    view.copy_prompt()
    assert QGuiApplication.clipboard().text() == first.prompt
    path = "/tmp/weekly_view.png"
    assert view.grab().save(path)


def test_an_empty_week_says_so(view, qtbot):
    with qtbot.waitSignal(view.report_loaded, timeout=30000):
        view.prev_button.click()  # W46 has reviews; walk on to a week with none
    assert view.week_box.currentData() == "2026-W46"
    with qtbot.waitSignal(view.report_loaded, timeout=30000):
        view.set_week("2026-W30")
    assert view.groups.rowCount() == 0
    assert "Nothing" in view.status.text()


def test_export_html_and_csv(view, qtbot, tmp_path):
    for kind in ("html", "csv"):
        target = tmp_path / f"w47.{kind}"
        with qtbot.waitSignal(view.exported, timeout=30000):
            view.export_to(target, kind)
        text = target.read_text(encoding="utf-8")
        assert "2026-W47" in text
    assert "<svg" in (tmp_path / "w47.html").read_text(encoding="utf-8")
    assert "rejection_rate" in (tmp_path / "w47.csv").read_text(encoding="utf-8")


def test_the_table_shows_the_reports_columns_and_each_tags_rejections(view):
    model, report = view.groups, view.report
    headings = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headings == [c.heading for c in report.columns]
    assert headings[:9] == ["Target", "Model", "Version", "Generated", "Failed", "Reviewed",
                            "Approved", "Rejected", "Rejection rate"]
    tag_columns = [i for i, c in enumerate(report.columns) if c.kind == "tag"]
    assert [report.columns[i].tag for i in tag_columns] == list(report.tags)
    # in every line the tag columns add up to its rejections (each rejection here has one tag)
    for row in range(model.rowCount()):
        g = model.group_at(row)
        counts = [int(model.data(model.index(row, c))) for c in tag_columns]
        assert sum(counts) == g.rejected and counts == [report.row(g)[c] for c in tag_columns]
    kling = model.row_of(GroupKey("kling_t2v", "kling-v2.1", "v1.0"))
    assert model.data(model.index(kling, 8)) == "33.3%"
