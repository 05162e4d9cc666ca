"""Filters and saved views: the strip shows what the filter asks for, and both survive a restart."""

from __future__ import annotations

from PySide6.QtTest import QAbstractItemModelTester

from desktop import ops
from engine.store.filters import TakeCriteria, review_strip
from engine.store.reviews import add_decision


def _codes(window):
    m = window.session.model
    return [m.shot(r).code for r in range(m.total_rows())]


def _apply(bar, criteria) -> None:
    """Apply a filter and let the strip it asks for arrive (it is read off the GUI thread)."""
    bar.apply(criteria)
    assert ops.wait_idle()


def test_filters_by_status_tag_prompt_version_and_model(window, desk_store):
    with desk_store.write() as s:
        add_decision(s, "EP01_SC01_SH030/take_001", reviewer="ana", approve=False, tags=["style_lighting"])
        add_decision(s, "EP01_SC01_SH040/take_002", reviewer="ana", approve=True)
    bar = window.filters
    _apply(bar, TakeCriteria(tags=("style_lighting",)))
    assert _codes(window) == ["EP01_SC01_SH030"]
    assert [t.number for t in window.session.model.shot(0).takes] == [1]
    QAbstractItemModelTester(window.session.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    _apply(bar, TakeCriteria(status="approved"))
    assert _codes(window) == ["EP01_SC01_SH040"]
    _apply(bar, TakeCriteria(status="undecided"))
    assert len(_codes(window)) == 6
    assert all(t.status == "pending_review" for r in range(6) for t in window.session.model.shot(r).takes)
    _apply(bar, TakeCriteria(system_prompt_versions=("v1.1",)))
    assert {t.number for r in range(6) for t in window.session.model.shot(r).takes} == {2}
    _apply(bar, TakeCriteria(models=("imagen-3",)))
    assert {t.number for r in range(6) for t in window.session.model.shot(r).takes} == {1}
    assert bar.model.currentData() == "imagen-3"


def test_saved_views_and_the_last_filter_survive_a_restart(qtbot, window, desk_store, desk_settings_file):
    from desktop.main_window import MainWindow

    bar = window.filters
    _apply(bar, TakeCriteria(status="undecided", system_prompt_versions=("v1.0",)))
    bar.save_view("undecided v1.0")
    _apply(bar, TakeCriteria(models=("nbp-1",)))
    window.close()

    again = MainWindow(desk_store)
    qtbot.addWidget(again)
    assert again.session.criteria == TakeCriteria(models=("nbp-1",))
    assert again.filters.saved_views()["undecided v1.0"] == TakeCriteria(
        status="undecided", system_prompt_versions=("v1.0",)
    )
    again.filters.apply_saved("undecided v1.0")
    assert again.session.criteria.status == "undecided"
    again.close()


def test_a_filter_matching_nothing_says_so(window, qtbot):
    _apply(window.filters, TakeCriteria(tags=("anatomy_failure",)))
    assert window.session.shot_count() == 0
    qtbot.waitUntil(lambda: "No shots match" in window.dailies.current.message())


def test_criteria_round_trip_and_reject_unknown_keys(desk_store):
    c = TakeCriteria(status="rejected", tags=("anatomy_failure",), models=("m",))
    assert TakeCriteria.from_json(c.to_json()) == c
    import pytest

    from engine.core.errors import ConfigError

    with pytest.raises(ConfigError, match="key 'colour'"):
        TakeCriteria.from_json('{"colour": "red"}')
    with desk_store.read() as s:
        assert len(review_strip(s, TakeCriteria(status="failed"))) == 0
