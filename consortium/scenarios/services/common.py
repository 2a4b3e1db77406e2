"""What every scenario service shares: who wrote an event, the lead's notification,
the permission and text checks, and a flush that turns a concurrent edit into a Conflict."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from consortium.core.exceptions import Conflict, PermissionDenied
from consortium.core.locking import conflict_message
from consortium.extensions import db
from consortium.members.services import active_members
from consortium.notifications.services import notify


def _label_of(actor) -> str:
    """Who wrote an event, as stored: the person's name and organisation; empty for the
    system, which pages show as 系统 / System in the reader's language."""
    if actor is None:
        return ""
    return actor.person_label



def notify_leads(actor, group, kind, **fields):
    """Tell the group's lead member (every one of its users) — unless the lead itself acted, or
    the system did (demo data, scripts: nobody asked anything of the lead)."""
    if actor is None or getattr(actor, "member_id", None) == group.lead_member_id:
        return None
    return notify(actor, group.lead_member, kind, **fields)


def _require(allowed: bool, message=None):
    if not allowed:
        raise PermissionDenied(message or _l("You are not allowed to do this."))


def _flush():
    """Flush, turning a concurrent edit detected by the version column into a Conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(conflict_message()) from None


def _text(value, limit=None) -> str:
    value = (value or "").strip()
    return value[:limit] if limit else value


def list_active_members(kind=None):
    return active_members(kind=kind)
