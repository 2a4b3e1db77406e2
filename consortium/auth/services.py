"""Accounts, passwords, sessions and API tokens."""
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from consortium.audit.services import set_actor
from consortium.core.clock import local_today, utc_start_of_local_day, utcnow
from consortium.core.entity import clean_values, row_values
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.core.requests import row_id
from consortium.extensions import db

from . import permissions
from .models import ROLE_MEMBER, ROLE_SECRETARIAT, ApiToken, User, UserSession
from .schemas import TokenFields, UserFields

_COMMON = None


def common_passwords() -> frozenset:
    """The 30,000 most common passwords shipped with zxcvbn."""
    global _COMMON
    if _COMMON is None:
        _COMMON = frozenset(FREQUENCY_LISTS["passwords"])
    return _COMMON


def password_problems(password: str, min_length: int = 10) -> list[str]:
    problems = []
    if len(password) < min_length:
        problems.append(_("The password must have at least %(n)d characters.", n=min_length))
    lowered = password.lower()
    if lowered in common_passwords():
        problems.append(_("This password is too common; choose another."))
    return problems


def _check_password(password: str, min_length: int) -> None:
    problems = password_problems(password, min_length)
    if problems:
        raise DomainError(" ".join(problems), field="password")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user if the credentials are right and the account may sign in."""
    user = get_user_by_email(email)
    if user is None:
        User(password_hash="").set_password(password)  # same cost as a real check
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def suspension_notice(email: str, password: str) -> str | None:
    """For a right password on an account whose member is suspended: why (shown at sign-in)."""
    user = get_user_by_email(email)
    if user is None or user.member is None or user.member.is_active or not user.is_enabled:
        return None
    if not user.check_password(password):
        return None
    return user.member.suspension_reason or ""


def create_user(actor, *, password, member=None, min_length: int = 10, **fields) -> User:
    """The secretariat creates accounts (the CLI acts as the system, actor=None); ``fields`` are
    those of ``schemas.UserFields`` (a member user unless ``role`` says otherwise). The password is
    not a field of the account: only its hash is kept."""
    if actor is not None and not permissions.can_administer_members(actor):
        raise PermissionDenied(_("Only the secretariat can create accounts."))
    set_actor(actor)
    clean = clean_values(UserFields, {"role": ROLE_MEMBER, **fields}, creating=True,  # limits, address, role
                         messages={"email": _("An e-mail address is required.")})
    clean["email"] = normalise_email(fields["email"])  # checked above; kept as people sign in with it
    if clean["role"] == ROLE_MEMBER and member is None:
        raise DomainError(_("A member user must belong to a member organisation."), field="member")
    if clean["role"] == ROLE_SECRETARIAT:
        member = None
    if get_user_by_email(clean["email"]):
        raise DomainError(_("An account with this e-mail already exists."), field="email")
    _check_password(password, min_length)
    user = User(**row_values(UserFields, clean), member=member)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def reset_password(actor, user: User, new_password: str, min_length: int = 10) -> int:
    """Sets a new password, ends every session of the account and revokes its API
    tokens (whoever knew the old password may have made them). Returns the number
    of tokens revoked."""
    if actor is not None and not (permissions.is_secretariat(actor) or actor.id == user.id):
        raise PermissionDenied(_("You cannot change this password."))
    set_actor(actor)
    _check_password(new_password, min_length)
    user.set_password(new_password)
    end_all_sessions(user)
    revoked = revoke_all_tokens(user)
    db.session.flush()
    return revoked


def change_own_password(actor, current_password: str, new_password: str, min_length: int = 10) -> int:
    """A user changes their own password, proving they know the current one."""
    if not permissions.is_signed_in(actor):
        raise PermissionDenied(_("You cannot change this password."))
    if not actor.check_password(current_password or ""):
        raise DomainError(_("The current password is wrong."), field="current")
    return reset_password(actor, actor, new_password, min_length)


def set_user_enabled(actor, user: User, enabled: bool) -> None:
    if not permissions.is_secretariat(actor):
        raise PermissionDenied(_("Only the secretariat can suspend accounts."))
    if user.id == actor.id and not enabled:
        raise DomainError(_("You cannot suspend your own account."))
    set_actor(actor)
    user.is_enabled = enabled
    if not enabled:
        end_all_sessions(user)
    db.session.flush()


# --- server-side sessions -------------------------------------------------

class SessionLifetime:
    """How long a sign-in session lives: ``idle`` since its last use, ``absolute`` since sign-in."""

    def __init__(self, idle: timedelta, absolute: timedelta, touch: timedelta = timedelta(seconds=60)):
        self.idle, self.absolute, self.touch = idle, absolute, touch

    @classmethod
    def from_config(cls, config) -> "SessionLifetime":
        return cls(timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                   timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
                   timedelta(seconds=config["SESSION_TOUCH_SECONDS"]))

    def expired(self, row: UserSession, now: datetime) -> bool:
        return (row.created_at <= now - self.absolute
                or (row.last_seen_at or row.created_at) <= now - self.idle)


def start_session(user: User, user_agent: str = "", lifetime: SessionLifetime | None = None) -> str:
    """Returns the raw key to keep in the signed cookie; only its hash is stored.
    Expired sessions of every account are deleted on the way (see also ``prune_sessions``)."""
    now = utcnow()
    if lifetime is not None:
        prune_sessions(lifetime, now)
    raw = secrets.token_urlsafe(32)
    db.session.add(UserSession(key_hash=ApiToken.digest(raw), user_id=user.id, created_at=now,
                               last_seen_at=now, user_agent=(user_agent or "")[:200]))
    user.last_login_at = now
    db.session.flush()
    return raw


class SessionCheck(NamedTuple):
    """What ``user_for_session`` found: the user (None when the session is unknown, another
    account's or expired) and whether it wrote the session row (its last use, or its deletion
    when expired); the write is flushed, and the caller commits it at once."""
    user: User | None
    wrote: bool


def user_for_session(user_id: str, raw_key: str | None, lifetime: SessionLifetime | None = None,
                     now: datetime | None = None) -> SessionCheck:
    """The session's user. An expired session is deleted; a live one's last use is updated (at
    most once per ``lifetime.touch``). A write is flushed and reported in ``wrote``: the caller
    commits it before the request's own work, so no request leaves it in an open transaction
    (on SQLite an open write transaction sends every search of the request down its private,
    slow path, and holds the database's one write lock)."""
    if not raw_key or row_id(user_id) is None:
        return SessionCheck(None, False)
    row = db.session.scalar(select(UserSession).where(UserSession.key_hash == ApiToken.digest(raw_key)))
    if row is None or row.user_id != row_id(user_id):
        return SessionCheck(None, False)
    wrote = False
    if lifetime is not None:
        now = now or utcnow()
        if lifetime.expired(row, now):
            db.session.delete(row)
            db.session.flush()
            return SessionCheck(None, True)
        if row.last_seen_at is None or row.last_seen_at <= now - lifetime.touch:
            row.last_seen_at = now
            wrote = True
    user = db.session.get(User, row.user_id)
    if wrote:
        db.session.flush()
    return SessionCheck(user, wrote)


def prune_sessions(lifetime: SessionLifetime, now: datetime | None = None) -> int:
    """Deletes every expired session row; returns how many."""
    now = now or utcnow()
    result = db.session.execute(delete(UserSession).where(or_(
        UserSession.created_at <= now - lifetime.absolute,
        func.coalesce(UserSession.last_seen_at, UserSession.created_at) <= now - lifetime.idle)))
    return result.rowcount or 0


def end_session(raw_key: str | None) -> None:
    if raw_key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == ApiToken.digest(raw_key)))


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def count_sessions(user: User) -> int:
    return db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == user.id))


# --- API tokens ------------------------------------------------------------

def _token_days(given, key) -> int:
    return int(given if given is not None else current_app.config[key])


def create_api_token(actor, user: User, name: str = "", expires_on=None,
                     max_days: int | None = None, default_days: int | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the raw secret, shown once. Every token expires: ``expires_on``
    (a date) ends it at the start of that day (Beijing time, as the date is shown); without one it
    ends ``default_days`` after today (``API_TOKEN_DEFAULT_DAYS``). The day must lie in the future,
    at most ``max_days`` ahead (``API_TOKEN_MAX_DAYS``)."""
    if actor is not None and not permissions.can_manage_tokens(actor, user):
        raise PermissionDenied(_("You cannot create tokens for this user."))
    set_actor(actor)
    max_days = _token_days(max_days, "API_TOKEN_MAX_DAYS")
    if expires_on is None:
        expires_on = local_today() + timedelta(days=_token_days(default_days, "API_TOKEN_DEFAULT_DAYS"))
    expires_at = utc_start_of_local_day(expires_on)
    if expires_at <= utcnow():
        raise DomainError(_("The expiry date must lie in the future."), field="expires_on")
    if expires_at > utcnow() + timedelta(days=max_days):
        raise DomainError(_("A token may live at most %(n)d days: choose an expiry date before %(day)s.",
                            n=max_days, day=(local_today() + timedelta(days=max_days + 1)).isoformat()),
                          field="expires_on")
    raw = ApiToken.new_secret()
    token = ApiToken(user_id=user.id, name=clean_values(TokenFields, {"name": name})["name"],
                     token_hash=ApiToken.digest(raw),
                     expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke_api_token(actor, token: ApiToken) -> None:
    if actor is not None and not permissions.can_manage_tokens(actor, token.user):
        raise NotFound(_("No such token."))
    set_actor(actor)
    token.revoked_at = utcnow()
    db.session.flush()


def revoke_all_tokens(user: User) -> int:
    """Revokes every live token of the account; returns how many."""
    live = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                     ApiToken.revoked_at.is_(None))).all()
    for token in live:  # row by row, so each revocation is audited
        token.revoked_at = utcnow()
    return len(live)


def list_api_tokens(user: User):
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.id.desc())).all()


TOKEN_TOUCH = timedelta(minutes=1)  # a token's last use is written at most this often


def token_user_and_touch(raw: str, now: datetime | None = None) -> tuple[User | None, bool]:
    """(the token's user or None, whether its last use was written). A usable token's last use is
    written at most once per ``TOKEN_TOUCH`` by one UPDATE, which the caller commits at once
    (``loaders.load_user_from_token``): a GET never leaves a write pending."""
    now = now or utcnow()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(raw)))
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None, False
    touched = False
    if token.last_used_at is None or token.last_used_at <= now - TOKEN_TOUCH:
        # a plain UPDATE, not an audited change: a use is not an edit of the token
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                           .execution_options(synchronize_session=False, audit_bypass_ok=True))
        touched = True
    return token.user, touched
