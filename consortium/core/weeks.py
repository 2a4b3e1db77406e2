"""The week the digests speak of: Monday to Sunday in Beijing time, named as ISO weeks
(``2026-W48``). The personal digest (/me/digest), the group digest and the digest e-mails
all read their week here, so they agree on which events belong to it."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clock import local_today, utc_start_of_local_day


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(value: str | None, today: date | None = None) -> date:
    """'2026-W48' → that week's Monday; anything else → this week's Monday."""
    today = today or local_today()
    if value:
        try:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            pass
    return monday_of(today)


def iso_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Week:
    monday: date

    @classmethod
    def of(cls, day: date) -> "Week":
        return cls(monday_of(day))

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def name(self) -> str:
        return iso_week(self.monday)

    @property
    def previous(self) -> "Week":
        return Week(self.monday - timedelta(days=7))

    @property
    def next(self) -> "Week":
        return Week(self.monday + timedelta(days=7))

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Monday 00:00 Beijing time to the next Monday 00:00, as aware UTC datetimes."""
        start = utc_start_of_local_day(self.monday)
        return start, start + timedelta(days=7)

    def contains(self, day: date) -> bool:
        return self.monday <= day <= self.sunday
