"""The resource map's section of 我的工作台: the member's entries, stale ones first.
An entry is stale when its data has not been updated for longer than its declared
update frequency allows (a daily entry untouched for three days, a monthly one for
two months …); irregular entries never are."""
from datetime import date, timedelta

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, and_, case, func, or_, select

from consortium.auth.permissions import is_signed_in
from consortium.core.clock import local_datetime, local_today
from consortium.core.signals import DigestSection, WorkspaceItem, WorkspaceSection
from consortium.extensions import db

from .constants import FREQUENCIES
from .models import DataResource

# Days without an update after which an entry of each frequency is stale (a day's grace included).
MAX_AGE_DAYS = {"realtime": 2, "daily": 3, "weekly": 10, "monthly": 35, "quarterly": 100, "annual": 380}
LIMIT = 10


def _last_update():
    return func.coalesce(DataResource.data_updated_on, func.date(DataResource.updated_at, type_=Date), type_=Date)


def stale_clause(today: date):
    return or_(*[and_(DataResource.frequency == freq, _last_update() < today - timedelta(days=days))
                 for freq, days in MAX_AGE_DAYS.items()])


def _mine(member_id):
    return [DataResource.member_id == member_id, DataResource.status == "active"]


def entries(user):
    if not is_signed_in(user) or user.member_id is None:
        return None
    today = local_today()
    stale = stale_clause(today)
    rows = db.session.execute(
        select(DataResource.id, DataResource.title, DataResource.frequency, DataResource.data_updated_on,
               DataResource.updated_at, case((stale, 1), else_=0).label("stale"))
        .where(*_mine(user.member_id))
        .order_by(case((stale, 0), else_=1), DataResource.updated_at.desc(), DataResource.id.desc())
        .limit(LIMIT)).all()
    items = []
    for rid, title, freq, data_on, updated_at, is_stale in rows:
        last = data_on or (local_datetime(updated_at).date() if updated_at else None)  # a Beijing day
        items.append(WorkspaceItem(
            text=title, url=url_for("catalog.detail", resource_id=rid), when=last,
            badge=FREQUENCIES.label(freq, str(get_locale())),
            detail=_("data last updated %(d)s", d=last.isoformat()) if last else "",
            flag=_("stale: not updated for %(n)d days", n=(today - last).days) if is_stale and last else None))
    return items


def overdue(user):
    """"Waiting for me": the member's entries not updated as often as they say, the longest overdue
    first, each with the day it fell due and a link to its form."""
    if not is_signed_in(user) or user.member_id is None:
        return None
    today = local_today()
    rows = db.session.execute(
        select(DataResource.id, DataResource.title, DataResource.frequency, _last_update().label("last"))
        .where(*_mine(user.member_id), stale_clause(today))
        .order_by(_last_update(), DataResource.id).limit(LIMIT)).all()
    items = []
    for rid, title, freq, last in rows:
        due = last + timedelta(days=MAX_AGE_DAYS[freq])
        items.append(WorkspaceItem(
            text=title, url=url_for("catalog.edit", resource_id=rid), badge=FREQUENCIES.label(freq, str(get_locale())),
            detail=_("data last updated %(d)s", d=last.isoformat()), action=_("Update the entry"), due=due,
            flag=_("stale: not updated for %(n)d days", n=(today - last).days)))
    return items


def counts(member_id, today: date | None = None) -> tuple[int, int]:
    """(entries, stale entries) of a member."""
    today = today or local_today()
    total, stale = db.session.execute(
        select(func.count(DataResource.id), func.coalesce(func.sum(case((stale_clause(today), 1), else_=0)), 0))
        .where(*_mine(member_id))).one()
    return total, int(stale)


def digest_entries(user, start, end):
    """The member's entries added or changed this week."""
    if not is_signed_in(user) or user.member_id is None:
        return []
    rows = db.session.execute(
        select(DataResource.id, DataResource.title, DataResource.created_at, DataResource.updated_at)
        .where(DataResource.member_id == user.member_id, DataResource.updated_at >= start,
               DataResource.updated_at < end)
        .order_by(DataResource.updated_at.desc()).limit(100)).all()
    return [WorkspaceItem(text=title, url=url_for("catalog.detail", resource_id=rid), when=updated,
                          badge=_("added") if created and created >= start else _("updated"))
            for rid, title, created, updated in rows]


def digest_sections(sender, **kwargs):
    yield DigestSection("entries", _l("My organisation's entries added or changed"), digest_entries,
                       order=30)


def workspace_sections(sender, **kwargs):
    def total(user):
        return counts(user.member_id)[0] if is_signed_in(user) and user.member_id else 0

    def more(user):
        if not is_signed_in(user) or user.member_id is None:
            return None
        n_total, n_stale = counts(user.member_id)
        return (url_for("catalog.index", member=user.member.code),
                _("All %(n)d entries (%(s)d stale)", n=n_total, s=n_stale))

    yield WorkspaceSection("overdue_entries", _l("Entries overdue for an update"), overdue, order=40,
                           waiting=True, total=lambda user: counts(user.member_id)[1]
                           if is_signed_in(user) and user.member_id else 0)
    yield WorkspaceSection("entries", _l("My organisation's resource-map entries"), entries,
                           order=50, empty=_l("No entries yet."), total=total, more=more)
