"""The weekly digest of one user: a function of (user, week) that the portal shows at
/me/digest and a mailer can call later. A week runs Monday 00:00 to Monday 00:00 in
Beijing time (Asia/Shanghai); each domain contributes its part through the registry."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

from consortium.core import registry
from consortium.core.clock import local_today, utc_start_of_local_day


@dataclass
class Digest:
    user: object
    week_start: date          # a Monday
    sections: list            # [(DigestSection, [WorkspaceItem])]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def iso_week(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def is_empty(self) -> bool:
        return not any(items for _s, items in self.sections)


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


def utc_bounds(week_start: date) -> tuple[datetime, datetime]:
    """The week's start and end (Monday 00:00 Beijing time) as aware UTC datetimes."""
    start = utc_start_of_local_day(week_start)
    return start, start + timedelta(days=7)


def weekly_digest(user, week_start: date) -> Digest:
    """Callable from a page or from a mailer (no request: links are built against
    PORTAL_BASE_URL, in the default language)."""
    from flask import has_request_context
    if not has_request_context():
        with current_app.test_request_context(base_url=current_app.config.get("PORTAL_BASE_URL", "http://localhost/")):
            return weekly_digest(user, week_start)
    week_start = monday_of(week_start)
    start, end = utc_bounds(week_start)
    sections = [(s, s.build(user, start, end) or []) for s in registry.digest_sections(current_app)]
    return Digest(user, week_start, sections)
