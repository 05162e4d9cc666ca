"""ISO weeks ("2026-W47"): parsing, bounds in UTC, and runs of consecutive weeks.

A week runs from Monday 00:00 UTC to the next Monday 00:00 UTC; the store keeps every
timestamp in UTC, so a week means the same thing on every reviewer's machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from engine.core.errors import DailiesError

_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


class WeekError(DailiesError):
    """A week text that is not an ISO week."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def starts(self) -> datetime:
        """Monday 00:00 UTC, included."""
        return datetime.combine(self.monday, datetime.min.time(), tzinfo=UTC)

    @property
    def ends(self) -> datetime:
        """The next Monday 00:00 UTC, excluded."""
        return self.starts + timedelta(days=7)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def span(self) -> str:
        """'Mon 16 Nov - Sun 22 Nov 2026' for headings."""
        sunday = self.monday + timedelta(days=6)
        return f"Mon {self.monday:%d %b} - Sun {sunday:%d %b %Y}"

    @classmethod
    def of(cls, day: date | datetime) -> IsoWeek:
        if isinstance(day, datetime):
            day = (day.astimezone(UTC) if day.tzinfo else day).date()
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def current(cls) -> IsoWeek:
        return cls.of(datetime.now(UTC))


def parse_week(text: str | None) -> IsoWeek:
    """'2026-W47' (also '2026W47', '2026-w47') as an IsoWeek; None or '' is this week."""
    if text is None or not str(text).strip():
        return IsoWeek.current()
    found = _WEEK.match(str(text))
    if found:
        year, week = int(found.group(1)), int(found.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise WeekError(
                f"week '{text.strip()}' does not exist: {year} has "
                f"{date(year, 12, 28).isocalendar().week} ISO weeks"
            ) from None
        return IsoWeek(year, week)
    raise WeekError(f"week '{text}' is not an ISO week (write it as YYYY-Www, e.g. 2026-W47)")


def weeks_ending(last: IsoWeek, count: int) -> list[IsoWeek]:
    """`count` consecutive weeks, oldest first, ending with `last`."""
    return [last.shifted(-i) for i in range(count - 1, -1, -1)]
