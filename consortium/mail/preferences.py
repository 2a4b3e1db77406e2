"""Each person's e-mail choices: for every kind of notification, at once, in the daily digest,
in the weekly digest or not by e-mail; and whether the weekly digest (the week's activity in
their groups and entries) is sent. What asks its recipient to act goes at once unless they
chose otherwise; everything else goes in the weekly digest."""
from flask_babel import gettext as _
from sqlalchemy import select

from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.notifications import registry as kinds

from .models import CHANNELS, DAILY, DIGEST, IMMEDIATE, NONE, WEEKLY, MailPreference

DIGEST_CHANNELS = (WEEKLY, NONE)


def default_channel(kind: str) -> str:
    if kind == DIGEST:
        return WEEKLY
    found = kinds.get_kind(kind)
    return IMMEDIATE if found is not None and found.action else WEEKLY


def preferences_of(user) -> dict[str, str]:
    """kind → channel for every registered kind and the weekly digest (defaults filled in)."""
    stored = dict(db.session.execute(select(MailPreference.kind, MailPreference.channel)
                                     .where(MailPreference.user_id == user.id)).all())
    codes = [DIGEST, *(k.code for k in kinds.kinds())]
    return {code: stored.get(code) or default_channel(code) for code in codes}


def channel_for(user, kind: str) -> str:
    stored = db.session.scalar(select(MailPreference.channel).where(MailPreference.user_id == user.id,
                                                                    MailPreference.kind == kind))
    return stored or default_channel(kind)


def kinds_on(user, channel: str) -> list[str]:
    """The notification kinds this person receives on ``channel``."""
    return [code for code, chosen in preferences_of(user).items() if code != DIGEST and chosen == channel]


def _check(kind: str, channel: str) -> None:
    if kind != DIGEST and kinds.get_kind(kind) is None:
        raise DomainError(_("Unknown kind of notification: %(kind)s", kind=kind), field=kind)
    allowed = DIGEST_CHANNELS if kind == DIGEST else tuple(CHANNELS)
    if channel not in allowed:
        raise DomainError(_("Unknown value: %(value)s", value=channel), field=kind)


def set_preferences(actor, user, choices: dict[str, str]) -> dict[str, str]:
    """Store a person's choices (any subset of kinds); only the person themself may. Every
    choice is checked before any is written."""
    if actor is None or actor.id != user.id:
        raise PermissionDenied(_("Only you choose your e-mails."))
    for kind, channel in choices.items():
        _check(kind, channel)
    _write(user, choices)
    return preferences_of(user)


def _write(user, choices: dict[str, str]) -> None:
    rows = {p.kind: p for p in db.session.scalars(select(MailPreference).where(MailPreference.user_id == user.id))}
    for kind, channel in choices.items():
        if kind in rows:
            rows[kind].channel = channel
        else:
            db.session.add(MailPreference(user_id=user.id, kind=kind, channel=channel))
    db.session.flush()


def unsubscribe(user, scope: str) -> list[str]:
    """What an unsubscribe link does (no sign-in: its signed token names the person and the
    scope): a kind stops being e-mailed; ``daily`` or ``weekly`` stops that digest (every kind
    in it, and for ``weekly`` the week's activity). Returns the kinds changed."""
    if scope == DAILY:
        changed = kinds_on(user, DAILY)
    elif scope == WEEKLY:
        changed = [DIGEST, *kinds_on(user, WEEKLY)]
    else:
        _check(scope, NONE)
        changed = [scope]
    _write(user, dict.fromkeys(changed, NONE))
    return changed


def scope_label(scope: str) -> str:
    if scope == DAILY:
        return _("the daily digest")
    if scope == WEEKLY:
        return _("the weekly digest")
    kind = kinds.get_kind(scope)
    return str(kind.label) if kind else scope
