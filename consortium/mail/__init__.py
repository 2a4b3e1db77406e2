"""E-mail: notifications and digests reach people by e-mail as each person chooses
(``preferences``). Flask-Mailman sends (SMTP in production, a file under instance/mail/
without MAIL_SERVER); the outbox (``models.OutboxMessage``) keeps one row per message so
that retries never send twice. A notification is queued in the transaction that creates
it (``notifications.signals.notification_created``) and handed to a job worker once the
request's transaction commits (``dispatch``); the worker retries what failed every minute and
queues the digests every day.
See docs/mail.md."""
from flask_mailman import Mail

from consortium.notifications.signals import notification_created

from . import cli, dispatch, outbox, views


def init_app(app):
    Mail(app)
    notification_created.connect(outbox.on_notification, weak=False)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.mail_cli)
    dispatch.register(app)
