"""The Weekly view opens on the latest week with reviews and says so; its drill-down shows a
thumbnail of the rejected take beside the prompt it was sent."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.store.reviews import add_decision
from engine.takes.reports.weekly import GroupKey
from engine.takes.reports.weeks import IsoWeek
from tests.desktop.conftest import build_store

REVIEWED = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # 2026-W47


def test_the_drill_down_shows_the_rejected_takes_picture(qtbot, qapp, store):
    from desktop.theme import apply_theme
    from desktop.weekly_view import WeeklyView

    apply_theme(qapp)
    build_store(store, shots=3, takes=1, sp_versions=("v1.0",))
    with store.write() as s:
        add_decision(s, "EP01_SC01_SH020/take_001", reviewer="ana.ruiz", approve=False,
                     tags=["style_lighting"], at=REVIEWED)
        add_decision(s, "EP01_SC01_SH010/take_001", reviewer="ana.ruiz", approve=True, at=REVIEWED)
    view = WeeklyView(store)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    with qtbot.waitSignal(view.report_loaded, timeout=30000):
        view.show()
    assert view.week == IsoWeek(2026, 47)  # not this week: the latest one with reviews
    qtbot.waitUntil(lambda: "latest week with reviews: 2026-W47" in view.status.text(), timeout=10000)
    with qtbot.waitSignal(view.rejected_loaded, timeout=30000):
        view.select_group(GroupKey("nbp", "imagen-3", "v1.0"))
    assert [t.ref for t in view.rejected.takes] == ["EP01_SC01_SH020/take_001"]
    view.rejected_view.selectRow(0)  # the supervisor picks the rejected take
    wanted = store.media_dir / "frames/EP01_SC01_SH020_t1.png"
    qtbot.waitUntil(lambda: view.picture.shown == wanted, timeout=10000)  # the file is found off the GUI thread
    assert not view.picture.pixmap().isNull()
    view.wait_idle()
