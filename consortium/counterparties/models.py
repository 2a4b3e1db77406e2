from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.naming import BilingualName
from consortium.extensions import db

from .constants import COUNTERPARTY_KINDS


class Counterparty(BilingualName, db.Model):
    """A platform company the union negotiates with. Never a member: it has no
    users table link at all, so no counterparty account can exist or sign in."""

    __tablename__ = "counterparties"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(160), default="")
    kind: Mapped[str] = mapped_column(String(30), default="platform")
    credit_code: Mapped[str] = mapped_column(String(18), default="")  # 统一社会信用代码, GB 32100-2015
    website: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contacts = relationship("CounterpartyContact", back_populates="counterparty",
                            order_by="CounterpartyContact.id", cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return COUNTERPARTY_KINDS.label(self.kind, get_locale())

    @property
    def audit_label(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class CounterpartyContact(db.Model):
    """A person the union talks to at a counterparty (a contact, not an account)."""

    __tablename__ = "counterparty_contacts"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("counterparties.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    counterparty = relationship("Counterparty", back_populates="contacts")

    @property
    def audit_label(self) -> str:
        return f"{self.counterparty.name if self.counterparty else ''} · {self.name}"
