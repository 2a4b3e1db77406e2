"""`flask mail send`: send what is due (a cron line every minute, until the job engine runs
it); `flask mail digests`: queue the daily digest of yesterday and, on Mondays, the weekly
digest of last week (a cron line once a day, after midnight Beijing time)."""
from datetime import date, timedelta

import click
from flask.cli import AppGroup

from consortium.core.clock import local_today
from consortium.core.weeks import Week
from consortium.extensions import db

from . import outbox
from .delivery import deliver, stale_sending
from .models import DAILY_DIGEST, WEEKLY_DIGEST

mail_cli = AppGroup("mail", help="E-mail: send the outbox, queue digests.")


@mail_cli.command("send")
def send():
    counts = deliver()
    click.echo(" ".join(f"{state}={n}" for state, n in counts.items()))
    stale = stale_sending()
    if stale:
        click.echo(f"claimed but never finished (check by hand, not retried): {stale}", err=True)


@mail_cli.command("digests")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the digests are queued on (default: today, Beijing time).")
def digests(day):
    today = day.date() if day else local_today()
    queued = queue_digests_for(today)
    db.session.commit()
    click.echo(" ".join(f"{kind}={n}" for kind, n in queued.items()))


def queue_digests_for(today: date) -> dict[str, int]:
    """Yesterday's daily digests; on a Monday, also last week's weekly digests."""
    queued = {DAILY_DIGEST: outbox.queue_digests(DAILY_DIGEST, today - timedelta(days=1))}
    if today.weekday() == 0:
        queued[WEEKLY_DIGEST] = outbox.queue_digests(WEEKLY_DIGEST, Week.of(today).previous.monday)
    return queued
