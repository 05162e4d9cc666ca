import logging

import pytest

from engine.procedural.discovery.focus import (
    extraction_focus,
    grows_frame,
    grows_window,
    log_growth,
    log_missing_discovery,
    log_missing_learning,
)


@pytest.mark.parametrize(
    ("env", "focus"),
    [
        ({}, "all"),
        ({"LOOP_EXTRACTION_FOCUS": "frame"}, "frame"),
        ({"LOOP_EXTRACTION_FOCUS": "window"}, "window"),
        ({"LOOP_EXTRACTION_FOCUS": " Window "}, "window"),
        ({"LOOP_EXTRACTION_FOCUS": ""}, "all"),
    ],
)
def test_focus_from_environment(env, focus, caplog):
    with caplog.at_level(logging.WARNING, logger="engine.procedural.discovery"):
        assert extraction_focus(env) == focus
    assert caplog.records == []


def test_invalid_focus_warns_with_the_bad_value_and_the_valid_ones(caplog):
    with caplog.at_level(logging.WARNING, logger="engine.procedural.discovery"):
        assert extraction_focus({"LOOP_EXTRACTION_FOCUS": "frames"}) == "all"
    (record,) = caplog.records
    assert "'frames'" in record.getMessage()
    assert "frame, window" in record.getMessage()


def test_misspelt_variable_is_ignored_and_named(caplog):
    with caplog.at_level(logging.WARNING, logger="engine.procedural.discovery"):
        assert extraction_focus({"LCXP_EXTRACTION_FOCUS": "frame"}) == "all"
    (record,) = caplog.records
    message = record.getMessage()
    assert "LCXP_EXTRACTION_FOCUS" in message
    assert "LOOP_EXTRACTION_FOCUS" in message


def test_misspelt_variable_warns_even_when_the_right_one_is_set(caplog):
    env = {"LCXP_EXTRACTION_FOCUS": "window", "LOOP_EXTRACTION_FOCUS": "frame"}
    with caplog.at_level(logging.WARNING, logger="engine.procedural.discovery"):
        assert extraction_focus(env) == "frame"
    assert len(caplog.records) == 1


def test_focus_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("LOOP_EXTRACTION_FOCUS", "window")
    assert extraction_focus() == "window"


def test_what_grows_under_each_focus():
    assert grows_frame("frame") and not grows_window("frame")
    assert grows_window("window") and not grows_frame("window")
    assert grows_frame("all") and grows_window("all")


@pytest.mark.parametrize("focus", ["frame", "window", "all"])
def test_growth_line_starts_with_the_tag_operators_search_for(focus, caplog):
    with caplog.at_level(logging.INFO, logger="engine.procedural.discovery"):
        line = log_growth(focus, {"sound": 2, "colour": 5})
    assert line == f"Growth [{focus}] colour=5 sound=2"
    assert caplog.records[0].getMessage() == line


def test_growth_rejects_an_unknown_focus():
    with pytest.raises(ValueError, match="frames"):
        log_growth("frames", {})


def test_missing_record_lines(caplog):
    with caplog.at_level(logging.WARNING, logger="engine.procedural.discovery"):
        log_missing_discovery("job-17")
        log_missing_learning(42)
    assert [r.getMessage() for r in caplog.records] == [
        "Missing discovery (job_id=job-17)",
        "Missing learning (job_id=42)",
    ]
