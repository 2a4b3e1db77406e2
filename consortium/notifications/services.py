"""Sending and reading notifications. Visibility is checked when a notification is
read (list, badge, mark-read), not only when it is sent: a member that may no longer
see the target (a withdrawn participant, a removed group member) no longer sees it."""
from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import case, select

from consortium.auth.permissions import is_signed_in
from consortium.core.clock import utcnow
from consortium.core.exceptions import NotFound
from consortium.extensions import db

from .models import Notification
from .registry import action_kinds, can_see_target
from .signals import notification_created

LIST_LIMIT = 200
UNREAD_SCAN_LIMIT = 500
FILTER_SCAN_LIMIT = 5000  # a filtered list or page looks at this many of the newest matching notifications


def _label_of(actor) -> str:
    if actor is None:
        return ""
    member = getattr(actor, "member", None)
    return member.name if member is not None else (getattr(actor, "name", "") or _("Secretariat"))


def refs(**objects) -> dict:
    """Payload entries naming objects (members, cities, scenarios …): each one's id, named when the
    notification is read in the reader's language (``registry.payload_name``), and its Chinese name
    as it is now, shown should the object go."""
    payload = {}
    for key, obj in objects.items():
        payload[key], payload[f"{key}_id"] = obj.display_name("zh_CN"), obj.id
    return payload


def notify(actor, member, kind: str, *, target_type: str | None = None, target_id: int | None = None,
           payload: dict | None = None, text: str = "") -> Notification:
    """One notification for every user of ``member``."""
    payload = dict(payload or {})
    sender = getattr(actor, "member", None)
    if sender is not None:  # named when read, in the reader's language (registry.sender_of)
        payload["sender_id"] = sender.id
    note = Notification(member_id=member.id, kind=kind, target_type=target_type, target_id=target_id,
                        payload=payload, text=text or "", created_by_label=_label_of(actor))
    db.session.add(note)
    db.session.flush()
    notification_created.send(note)
    return note


def _visible(actor, notes):
    """Each target's rule is asked once per call (many notifications point at the same one)."""
    answers: dict = {}
    actor = getattr(actor, "_get_current_object", lambda: actor)()  # current_user: one proxy lookup, not one per row

    def visible(target_type, target_id):
        key = (target_type, target_id)
        if key not in answers:
            answers[key] = can_see_target(actor, target_type, target_id)
        return answers[key]
    return [n for n in notes if visible(n.target_type, n.target_id)]


def list_notifications(actor, *, unread_only=False, limit=LIST_LIMIT) -> list[Notification]:
    if not is_signed_in(actor) or actor.member_id is None:
        return []
    stmt = select(Notification).where(Notification.member_id == actor.member_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    rows = db.session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
                              .limit(limit)).all()
    return _visible(actor, rows)


def recent(actor, limit=5) -> list[Notification]:
    """The newest notifications the actor may see (a few more read, to fill ``limit`` after filtering)."""
    return list_notifications(actor, limit=limit * 4)[:limit]


def in_period(actor, start, end, limit=LIST_LIMIT) -> list[Notification]:
    """The actor's visible notifications created in [start, end) (naive UTC)."""
    if not is_signed_in(actor) or actor.member_id is None:
        return []
    rows = db.session.scalars(select(Notification).where(
        Notification.member_id == actor.member_id, Notification.created_at >= start, Notification.created_at < end)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
    return _visible(actor, rows)


def get_visible(actor, notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id) if is_signed_in(actor) else None
    if (note is None or note.member_id != actor.member_id
            or not can_see_target(actor, note.target_type, note.target_id)):
        raise NotFound(_("No such notification."))
    return note


def unread_count(actor) -> int:
    """Unread notifications the actor may see (at most UNREAD_SCAN_LIMIT are looked at): only
    their targets are read, not whole rows — the badge is on every page."""
    if not is_signed_in(actor) or actor.member_id is None:
        return 0
    rows = db.session.execute(
        select(Notification.target_type, Notification.target_id)
        .where(Notification.member_id == actor.member_id, Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(UNREAD_SCAN_LIMIT)).all()
    return len(_visible(actor, [SimpleNamespace(target_type=t, target_id=i) for t, i in rows]))


def mark_read_many(actor, ids) -> int:
    """Mark these notifications of the actor's member read; one it may not see is a NotFound."""
    notes = [get_visible(actor, int(i)) for i in ids]
    now = utcnow()
    for note in notes:
        if note.read_at is None:
            note.read_at = now
    db.session.flush()
    return len(notes)


def mark_read(actor, notification_id: int | None = None) -> int:
    """Mark one (or every visible unread) notification of the actor's member as read."""
    if not is_signed_in(actor) or actor.member_id is None:
        raise NotFound(_("No such notification."))
    if notification_id is not None:
        note = get_visible(actor, notification_id)
        notes = [note] if note.read_at is None else []
    else:
        notes = list_notifications(actor, unread_only=True, limit=UNREAD_SCAN_LIMIT)
    now = utcnow()
    for note in notes:
        note.read_at = now
    db.session.flush()
    return len(notes)


# ------------------------------------------------ filtered, grouped and paged (the page and the API)

def _filtered(actor, *, kind=None, needs_action=False, unread=False):
    stmt = select(Notification.id, Notification.target_type, Notification.target_id).where(
        Notification.member_id == actor.member_id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    if needs_action:
        stmt = stmt.where(Notification.kind.in_(action_kinds() or [""]))
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def visible_ids(actor, *, kind=None, needs_action=False, unread=False, unread_first=False) -> list[int]:
    """The ids of the actor's visible notifications matching the filters, newest first (unread
    ones first with ``unread_first``); at most FILTER_SCAN_LIMIT rows are looked at. Only the
    targets are read, each target's rule asked once."""
    if not is_signed_in(actor) or actor.member_id is None:
        return []
    order = [Notification.created_at.desc(), Notification.id.desc()]
    if unread_first:
        order.insert(0, case((Notification.read_at.is_(None), 0), else_=1))
    rows = db.session.execute(_filtered(actor, kind=kind, needs_action=needs_action, unread=unread)
                              .order_by(*order).limit(FILTER_SCAN_LIMIT)).all()
    return [r.id for r in _visible(actor, [SimpleNamespace(id=i, target_type=t, target_id=x) for i, t, x in rows])]


def load(ids: list[int]) -> list[Notification]:
    """The notifications of ``ids``, in that order."""
    if not ids:
        return []
    by_id = {n.id: n for n in db.session.scalars(select(Notification).where(Notification.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def page_of(actor, *, page: int, per_page: int, **filters) -> tuple[list[Notification], int]:
    """One page of the actor's visible notifications (newest first) and how many there are."""
    ids = visible_ids(actor, **filters)
    start = (page - 1) * per_page
    return load(ids[start:start + per_page]), len(ids)


@dataclass
class Group:
    """The notifications about one object (or one without an object), newest first."""
    target_type: str | None
    target_id: int | None
    notes: list

    @property
    def latest(self):
        return self.notes[0]

    @property
    def unread(self) -> int:
        return sum(1 for n in self.notes if n.read_at is None)


def grouped(actor, *, limit=LIST_LIMIT, **filters) -> list[Group]:
    """The newest ``limit`` visible notifications matching the filters, grouped by the object
    they concern: groups with unread notifications first, then by their latest notification."""
    notes = load(visible_ids(actor, **filters)[:limit])
    groups: dict = {}
    for n in notes:
        key = (n.target_type, n.target_id) if n.target_type else ("", n.id)
        groups.setdefault(key, Group(n.target_type, n.target_id, [])).notes.append(n)
    return sorted(groups.values(), key=lambda g: (g.unread == 0, -g.latest.created_at.timestamp(), -g.latest.id))
