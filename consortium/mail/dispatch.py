"""When queued mail leaves, through the job engine (``consortium.jobs``): the ids queued in a
transaction are kept until it commits (dropped on rollback); at the end of the request that
committed them, ``send_soon`` hands them to a worker (``mail.send``). A worker also sends
whatever is due every minute (``mail.send_due``: retries, and what was queued outside a
request or while no worker ran), and queues the digests every day after midnight Beijing
time (``mail.digests``). Without a worker, ``flask mail send`` and ``flask mail digests`` do
the same from cron."""
import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from consortium.core.clock import local_today
from consortium.extensions import db
from consortium.jobs import EngineUnavailable, background_task, periodic_task

from . import outbox
from .delivery import deliver

log = logging.getLogger(__name__)
PENDING_KEY, COMMITTED_KEY = outbox.QUEUED_KEY, "mail_committed"


@event.listens_for(Session, "after_commit")
def _committed(session):
    ids = session.info.pop(PENDING_KEY, None)
    if ids:
        session.info.setdefault(COMMITTED_KEY, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop(PENDING_KEY, None)


@background_task("mail.send")
def send_queued(ids: list[int]) -> None:
    """Send these outbox messages (each is claimed first: sent at most once)."""
    deliver(ids)


@periodic_task("mail.send_due", minute="*")
def send_due() -> None:
    deliver()


@periodic_task("mail.digests", hour="16", minute="5")  # 00:05 in Beijing
def queue_digests() -> None:
    outbox.queue_digests_for(local_today())
    db.session.commit()
    deliver()


def send_soon(ids: list[int]) -> None:
    try:
        send_queued.send(list(ids))
    except EngineUnavailable:
        log.warning("no job worker: mail %s is sent by the next mail.send_due or `flask mail send`", ids)


def _after_request(response):
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if ids:
        try:
            send_soon(ids)
        except Exception:  # the request's work is committed; the mail waits for mail.send_due
            current_app.logger.exception("queued mail %s not handed on after the request", ids)
    return response


def register(app) -> None:
    app.after_request(_after_request)
