"""When queued mail leaves: the ids queued in a transaction are kept until it commits
(dropped on rollback); at the end of the request that committed them, ``send_soon`` sends
them. ``send_soon`` is the one place where queued mail is handed on: the job engine, once it
is in the portal, runs it as its task instead of inside the request. Whatever is not sent
then (a request that queued without a request context, a refused or absent SMTP server) is
sent by ``flask mail send``, which retries on a schedule (``delivery``)."""
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from consortium.extensions import db

PENDING_KEY, COMMITTED_KEY = "mail_queued", "mail_committed"


def after_commit(outbox_id: int) -> None:
    db.session.info.setdefault(PENDING_KEY, []).append(outbox_id)


@event.listens_for(Session, "after_commit")
def _committed(session):
    ids = session.info.pop(PENDING_KEY, None)
    if ids:
        session.info.setdefault(COMMITTED_KEY, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop(PENDING_KEY, None)


def send_soon(ids: list[int]) -> None:
    """Send these outbox messages now (each is claimed first: sent at most once)."""
    from .delivery import deliver
    deliver(ids)


def _after_request(response):
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if ids and current_app.config.get("MAIL_SEND_AFTER_REQUEST", True):
        try:
            send_soon(ids)
        except Exception:  # the request's work is committed; the mail waits for `flask mail send`
            current_app.logger.exception("queued mail %s not sent after the request", ids)
            db.session.rollback()
    return response


def register(app) -> None:
    app.after_request(_after_request)
