"""The weekly digest of one user: a function of (user, week) that the portal shows at
/me/digest and the digest e-mail sends. A week runs Monday 00:00 to Monday 00:00 in Beijing
time (``core.weeks``); each domain contributes its part (``core.signals.digest_sections``), taking events
by their own dates (a stage change on the day it occurred, a join on the day it was approved)."""
from dataclasses import dataclass
from datetime import date

from flask import current_app, has_request_context

from consortium.core import signals
from consortium.core.weeks import Week


@dataclass
class Digest:
    user: object
    week_start: date          # a Monday
    sections: list            # [(DigestSection, [WorkspaceItem])]

    @property
    def week(self) -> Week:
        return Week(self.week_start)

    @property
    def week_end(self) -> date:
        return self.week.sunday

    @property
    def iso_week(self) -> str:
        return self.week.name

    @property
    def is_empty(self) -> bool:
        return not any(items for _s, items in self.sections)


def weekly_digest(user, week_start: date, only=None) -> Digest:
    """Callable from a page or from the mailer (no request: links are built against
    PUBLIC_BASE_URL). ``only``: the keys of the sections to build (all when None)."""
    if not has_request_context():
        with current_app.test_request_context(base_url=current_app.config.get("PUBLIC_BASE_URL", "http://localhost/")):
            return weekly_digest(user, week_start, only)
    week = Week.of(week_start)
    start, end = week.utc_bounds()
    sections = [(s, s.build(user, start, end) or []) for s in signals.digest_section_list()
                if only is None or s.key in only]
    return Digest(user, week.monday, sections)
