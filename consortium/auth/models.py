import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.entity import Email, shown
from consortium.core.naming import named
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db

from . import passwords

ROLE_MEMBER = "member"
ROLE_SECRETARIAT = "secretariat"
ROLES = Vocabulary("roles", [Term(ROLE_MEMBER, "成员用户", _l("Member user")),
                             Term(ROLE_SECRETARIAT, "秘书处", _l("Secretariat"))])


class User(UserMixin, db.Model):
    """A person who signs in. A member user belongs to exactly one member
    organisation; a secretariat user administers the union. Being a scenario
    group lead is not a role stored here: the grant lives on the group."""

    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = {"password_hash"}
    __audit_ignore__ = {"last_login_at", "locale"}  # a sign-in or a language switch is not an audited change

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True,
                                       info=shown(_l("E-mail"), kind=Email, required=True))
    name: Mapped[str] = mapped_column(String(100), default="", info=shown(_l("Name")))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=ROLE_MEMBER,
                                      info=shown(_l("Role"), choices=ROLES, required=True, plain=True,
                                                 unknown=_l("Unknown role.")))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    member = relationship("Member", back_populates="users", lazy="joined")

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.hash_password(password)

    def check_password(self, password: str) -> bool:
        """Whether ``password`` is this account's; a right password kept by an older scheme
        (werkzeug's scrypt) is hashed again with the current one (``auth.passwords``)."""
        right, newer = passwords.verify(password, self.password_hash)
        if right and newer:
            self.password_hash = newer
        return right

    @property
    def is_secretariat(self) -> bool:
        return self.role == ROLE_SECRETARIAT

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled user or suspended member cannot sign in
        if not self.is_enabled:
            return False
        return self.member is None or self.member.is_active

    @property
    def person_label(self) -> str:
        """How the portal names a person: their name and organisation (秘书处 for the
        secretariat), never their bare e-mail address; the organisation in the reader's language."""
        org = named(self.member) if self.member is not None else _("Secretariat")
        return f"{self.name} · {org}" if self.name else org

    @property
    def audit_label(self) -> str:
        return self.person_label


class UserSession(db.Model):
    """A server-side sign-in session. The browser's signed cookie only names
    it; deleting the row (sign-out, suspension) ends the session for good."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(index=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")


class ApiToken(db.Model):
    """A per-user, revocable API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __audited__ = True
    __audit_exclude__ = {"token_hash"}

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="", info=shown(_l("Token name"), required=True))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]  # every token expires (the default lifetime when no date is given)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]  # written at most once a minute (services.TOKEN_TOUCH)

    user = relationship("User", lazy="joined")

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "cdou_" + secrets.token_urlsafe(32)

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @property
    def audit_label(self) -> str:
        return f"token {self.name} of user {self.user_id}"
