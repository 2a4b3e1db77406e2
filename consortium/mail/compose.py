"""What one outbox message says, composed when it is sent: in its recipient's language, as
HTML and plain text, with a signed one-click unsubscribe link (and the List-Unsubscribe
headers, RFC 2369 and 8058). It holds only what its recipient may see at that moment: a
notification whose target they may no longer see, or a digest with nothing they may see,
is composed as None and not sent."""
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from consortium.core.clock import utc_start_of_local_day
from consortium.extensions import db
from consortium.notifications import registry as kinds
from consortium.notifications.models import Notification
from consortium.workspace.digest import weekly_digest

from .models import DAILY, DAILY_DIGEST, NOTIFICATION, WEEKLY
from .preferences import DIGEST, channel_for, kinds_on, scope_label

SALT = "cdou-mail-unsubscribe"
ACTIVITY_SKIPPED = {"notifications"}  # the weekly digest's own list of notifications: sent by preference instead


def unsubscribe_token(user_id: int, scope: str) -> str:
    return URLSafeSerializer(current_app.secret_key, salt=SALT).dumps([user_id, scope])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, scope = URLSafeSerializer(current_app.secret_key, salt=SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return int(user_id), str(scope)


@dataclass
class Item:
    text: str
    url: str | None = None
    detail: str = ""


@dataclass
class Mail:
    subject: str
    intro: str
    sections: list = field(default_factory=list)   # [(title, [Item])]
    scope: str = ""                                 # what the unsubscribe link stops


def _note_item(note) -> Item:
    url = kinds.url_of(note)
    return Item(kinds.message_of(note), url_for("notifications.open_target", notification_id=note.id, _external=True)
                if url else None, kinds.detail_of(note))


def _visible_notes(user, start, end, kind_codes) -> list:
    if not kind_codes or user.member_id is None:
        return []
    notes = db.session.scalars(select(Notification).where(
        Notification.member_id == user.member_id, Notification.kind.in_(kind_codes),
        Notification.created_at >= start, Notification.created_at < end)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(200)).all()
    return [n for n in notes if kinds.can_see_target(user, n.target_type, n.target_id)]


def _notification(row, user) -> Mail | None:
    note = db.session.get(Notification, row.notification_id)
    if (note is None or note.member_id != user.member_id
            or not kinds.can_see_target(user, note.target_type, note.target_id)):
        return None
    kind = kinds.get_kind(note.kind)
    label = str(kind.label) if kind else note.kind
    return Mail(subject=kinds.message_of(note), intro=label, sections=[("", [_note_item(note)])], scope=note.kind)


def _daily(row, user) -> Mail | None:
    start = utc_start_of_local_day(row.day)
    notes = _visible_notes(user, start, start + timedelta(days=1), kinds_on(user, DAILY))
    if not notes:
        return None
    return Mail(subject=_("Daily digest of %(day)s", day=row.day.isoformat()),
                intro=_("Your notifications of %(day)s (Beijing time).", day=row.day.isoformat()),
                sections=[(_("Notifications"), [_note_item(n) for n in notes])], scope=DAILY)


def _weekly(row, user) -> Mail | None:
    sections = []
    if channel_for(user, DIGEST) == WEEKLY:
        digest = weekly_digest(user, row.day)
        for section, items in digest.sections:
            if section.key in ACTIVITY_SKIPPED or not items:
                continue
            sections.append((str(section.title), [
                Item(i.text + (f" · {i.badge}" if i.badge else ""), _absolute(i.url), i.detail or "") for i in items]))
    start = utc_start_of_local_day(row.day)
    notes = _visible_notes(user, start, start + timedelta(days=7), kinds_on(user, WEEKLY))
    if notes:
        sections.append((_("Notifications"), [_note_item(n) for n in notes]))
    if not sections:
        return None
    end = row.day + timedelta(days=6)
    return Mail(subject=_("Weekly digest, %(a)s to %(b)s", a=row.day.isoformat(), b=end.isoformat()),
                intro=_("What happened in your groups, your entries and your notifications from %(a)s to %(b)s "
                        "(Beijing time).", a=row.day.isoformat(), b=end.isoformat()),
                sections=sections, scope=WEEKLY)


def _absolute(url: str | None) -> str | None:
    if not url or "://" in url:
        return url
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url


BUILDERS = {NOTIFICATION: _notification, DAILY_DIGEST: _daily}


def compose(row) -> EmailMultiAlternatives | None:
    """The e-mail of an outbox row for its recipient now, or None when there is nothing they
    may see (then nothing is sent)."""
    user = row.user
    if user is None or not user.is_active or not user.email:
        return None
    base = current_app.config["PUBLIC_BASE_URL"]
    with current_app.test_request_context(base_url=base), \
            force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        mail = BUILDERS.get(row.kind, _weekly)(row, user)
        if mail is None:
            return None
        token = unsubscribe_token(user.id, mail.scope)
        unsubscribe = url_for("mail.unsubscribe", token=token, _external=True)
        context = {"mail": mail, "user": user, "unsubscribe_url": unsubscribe,
                   "settings_url": url_for("mail.settings", _external=True),
                   "scope_label": scope_label(mail.scope)}
        subject = "[" + _("CDOU portal") + "] " + mail.subject
        message = EmailMultiAlternatives(
            subject=subject[:250], body=render_template("mail/message.txt", **context), to=[user.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                     "Message-ID": f"<cdou-{row.key}@{_host(base)}>", "Auto-Submitted": "auto-generated"})
        message.attach_alternative(render_template("mail/message.html", **context), "text/html")
        return message


def _host(base: str) -> str:
    return urlsplit(base).hostname or "localhost"
