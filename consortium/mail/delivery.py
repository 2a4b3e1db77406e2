"""Sending the outbox: each message is claimed with one conditional UPDATE (pending → sending)
before it is composed and handed to the SMTP server, so two senders never send it twice; it
ends sent, skipped (nothing its recipient may see), failed (refused for good, or after the
last retry) or pending again with the time of its next attempt (the server was down or
answered "try later")."""
import logging
import smtplib
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from consortium.core.clock import utcnow
from consortium.extensions import db

from .compose import compose
from .models import FAILED, PENDING, SENDING, SENT, SKIPPED, OutboxMessage

log = logging.getLogger(__name__)

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=8))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
BATCH = 200


def due_ids(now=None, limit: int = BATCH) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.state == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))


def _claim(outbox_id: int, now) -> bool:
    claimed = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == outbox_id, OutboxMessage.state == PENDING, OutboxMessage.next_attempt_at <= now)
        .values(state=SENDING, attempts=OutboxMessage.attempts + 1).execution_options(synchronize_session=False))
    db.session.commit()
    return claimed.rowcount == 1


def _permanent(error: Exception) -> bool:
    """A refusal for good (5xx, or every recipient refused); anything else is worth a retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def deliver(ids: list[int] | None = None, *, now=None) -> dict[str, int]:
    """Send the outbox messages ``ids`` (by default every one due); returns how many ended in
    each state. Each message is committed on its own."""
    now = now or utcnow()
    counts = {SENT: 0, SKIPPED: 0, FAILED: 0, PENDING: 0}
    for outbox_id in (due_ids(now) if ids is None else ids):
        if not _claim(outbox_id, now):
            continue
        row = db.session.get(OutboxMessage, outbox_id)
        state = _send_one(row)
        db.session.commit()
        counts[state] += 1
    return counts


def _send_one(row) -> str:
    try:
        message = compose(row)
    except Exception as e:  # a bug in composing: recorded, not retried for ever
        log.exception("mail %s could not be composed", row.id)
        return _failed(row, f"compose: {e}", permanent=row.attempts >= MAX_ATTEMPTS)
    if message is None:
        row.state = SKIPPED
        return SKIPPED
    row.to_address, row.subject = message.to[0], message.subject
    row.message_id = message.extra_headers.get("Message-ID", "")
    try:
        with current_app.extensions["mailman"].get_connection(fail_silently=False) as connection:
            connection.send_messages([message])
    except (smtplib.SMTPException, OSError) as e:
        log.warning("mail %s to %s not sent (attempt %d): %s", row.id, row.to_address, row.attempts, e)
        return _failed(row, str(e) or type(e).__name__, permanent=_permanent(e) or row.attempts >= MAX_ATTEMPTS)
    row.state, row.sent_at, row.last_error = SENT, utcnow(), ""
    return SENT


def _failed(row, error: str, *, permanent: bool) -> str:
    row.last_error = error[:2000]
    if permanent:
        row.state = FAILED
        return FAILED
    row.state = PENDING
    row.next_attempt_at = utcnow() + RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
    return PENDING


def stale_sending(older_than=timedelta(minutes=30)) -> list[int]:
    """Messages claimed but never finished (their sender died while sending): left for a person
    to look at, never retried blindly, since the server may have taken them."""
    return list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.state == SENDING, OutboxMessage.created_at < utcnow() - older_than)))
