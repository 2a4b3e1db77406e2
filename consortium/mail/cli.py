"""What a job worker does by itself (``dispatch``: mail.send_due every minute, mail.digests
daily), by hand or from cron where no worker runs: `flask mail send` sends what is due;
`flask mail digests` queues yesterday's daily digests and, on Mondays, last week's weekly ones."""
import click
from flask.cli import AppGroup

from consortium.core.clock import local_today
from consortium.extensions import db

from . import outbox
from .delivery import deliver, stale_sending

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
    queued = outbox.queue_digests_for(today)
    db.session.commit()
    click.echo(" ".join(f"{kind}={n}" for kind, n in queued.items()))

