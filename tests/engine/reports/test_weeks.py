from datetime import UTC, datetime

import pytest

from engine.takes.reports.weeks import IsoWeek, WeekError, parse_week, weeks_ending


def test_a_week_runs_monday_to_monday_utc():
    week = parse_week("2026-W47")
    assert str(week) == "2026-W47"
    assert week.starts == datetime(2026, 11, 16, tzinfo=UTC)
    assert week.ends == datetime(2026, 11, 23, tzinfo=UTC)


def test_lenient_spellings_and_the_current_week_by_default():
    assert parse_week("2026w47") == parse_week(" 2026-w47 ") == IsoWeek(2026, 47)
    assert parse_week(None) == IsoWeek.of(datetime.now(UTC))


@pytest.mark.parametrize("text", ["47", "2026-47", "W47", "2026-W4 7", "last week"])
def test_text_that_is_not_a_week_is_named_in_the_error(text):
    with pytest.raises(WeekError, match=f"'{text}' is not an ISO week.*2026-W47"):
        parse_week(text)


def test_a_week_the_year_does_not_have():
    assert parse_week("2026-W53") == IsoWeek(2026, 53)  # 2026 has 53 ISO weeks
    with pytest.raises(WeekError, match="'2025-W53' does not exist: 2025 has 52"):
        parse_week("2025-W53")


def test_runs_of_weeks_cross_the_new_year():
    assert [str(w) for w in weeks_ending(IsoWeek(2027, 2), 4)] == [
        "2026-W52", "2026-W53", "2027-W01", "2027-W02"
    ]
