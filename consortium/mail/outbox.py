"""What goes into the outbox: a notification for each person of its member who wants it at
once; a daily or weekly digest for each person who may receive one. A row's ``key`` is
unique, so queuing the same message twice adds nothing; what it says is composed when it
is sent (``compose``), from what its recipient may see then."""
from datetime import date, timedelta

from sqlalchemy import select

from consortium.auth.models import User
from consortium.core.clock import utcnow
from consortium.core.weeks import Week
from consortium.extensions import db

from .models import DAILY, DAILY_DIGEST, IMMEDIATE, NOTIFICATION, WEEKLY, WEEKLY_DIGEST, OutboxMessage
from .preferences import channel_for, preferences_of


QUEUED_KEY = "mail_queued"


def recipients(member_id: int) -> list[User]:
    """The people of a member who can receive mail: enabled, with an address, member active."""
    users = db.session.scalars(select(User).where(User.member_id == member_id, User.is_enabled.is_(True))
                               .order_by(User.id)).all()
    return [u for u in users if u.is_active and u.email]


def queue(user, kind: str, key: str, *, notification_id: int | None = None, day: date | None = None):
    """Add one message to the outbox unless one with ``key`` is there already."""
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return None
    row = OutboxMessage(key=key, user_id=user.id, kind=kind, notification_id=notification_id, day=day,
                        next_attempt_at=utcnow())
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(QUEUED_KEY, []).append(row.id)  # sent once committed: dispatch
    return row


def on_notification(note, **_kw) -> None:
    """A new notification: queued at once for each of its member's people who chose so (the
    default for what asks them to act). The others read it in their digest."""
    for user in recipients(note.member_id):
        if channel_for(user, note.kind) == IMMEDIATE:
            queue(user, NOTIFICATION, f"n{note.id}-u{user.id}", notification_id=note.id)


def queue_digests(kind: str, day: date) -> int:
    """Queue the daily digest of ``day`` (DAILY_DIGEST) or the weekly digest of the week whose
    Monday is ``day`` (WEEKLY_DIGEST) for every person who may receive one. A digest with
    nothing in it is composed as nothing and not sent (``compose``)."""
    prefix = "d" if kind == DAILY_DIGEST else "w"
    channel = DAILY if kind == DAILY_DIGEST else WEEKLY
    users = db.session.scalars(select(User).where(User.member_id.is_not(None), User.is_enabled.is_(True))
                               .order_by(User.id)).all()
    added = 0
    for user in users:
        if not (user.is_active and user.email) or channel not in preferences_of(user).values():
            continue
        added += queue(user, kind, f"{prefix}{day.isoformat()}-u{user.id}", day=day) is not None
    return added


def queue_digests_for(today: date) -> dict[str, int]:
    """Yesterday's daily digests; on a Monday, also last week's weekly digests."""
    queued = {DAILY_DIGEST: queue_digests(DAILY_DIGEST, today - timedelta(days=1))}
    if today.weekday() == 0:
        queued[WEEKLY_DIGEST] = queue_digests(WEEKLY_DIGEST, Week.of(today).previous.monday)
    return queued
