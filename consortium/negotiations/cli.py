"""flask negotiations …: what a scheduler calls."""
from datetime import date

import click
from flask.cli import AppGroup

from consortium.extensions import db

from .services import notify_due_reviews
from .services.sign_on import remind_sign_on

group = AppGroup("negotiations", help="Joint negotiations.")


@group.command("notify-reviews")
@click.option("--today", help="Pretend today is YYYY-MM-DD.")
def notify_reviews_cmd(today):
    """Notify the participants of every outcome whose review date has come (once)."""
    count = notify_due_reviews(date.fromisoformat(today) if today else None)
    db.session.commit()
    click.echo(f"review notifications: {count} dossiers")


@group.command("remind-sign-on")
@click.option("--today", help="Pretend today is YYYY-MM-DD.")
def remind_sign_on_cmd(today):
    """Remind the participants that have not answered a sign-on closing within two days (once)."""
    count = remind_sign_on(date.fromisoformat(today) if today else None)
    db.session.commit()
    click.echo(f"sign-on reminders: {count} dossiers")
