from datetime import datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms.validators import URL

from consortium.core.clock import utcnow
from consortium.core.entity import Email, shown
from consortium.core.naming import BilingualName
from consortium.core.uscc import check_uscc
from consortium.extensions import db

from .constants import COUNTERPARTY_KINDS


def _credit_code(value, name):
    """The unified social credit code, upper-case, with a valid check character (GB 32100-2015)."""
    return check_uscc(value, field=name)


class Counterparty(BilingualName, db.Model):
    """A platform company the union negotiates with. Never a member: it has no
    users table link at all, so no counterparty account can exist or sign in."""

    __tablename__ = "counterparties"
    __audited__ = True

    # What the secretariat records, in the order of the form (see consortium.core.entity).
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True, info=shown(_l("Name (Chinese)"), required=True))
    name_en: Mapped[str] = mapped_column(String(160), default="", info=shown(_l("Name (English)")))
    kind: Mapped[str] = mapped_column(String(30), default="platform", info=shown(
        _l("Kind"), choices=COUNTERPARTY_KINDS, required=True, plain=True, unknown=_l("Unknown counterparty kind.")))
    credit_code: Mapped[str] = mapped_column(String(18), default="",  # 统一社会信用代码, GB 32100-2015
                                             info=shown(_l("Unified social credit code"), normalise=_credit_code))
    website: Mapped[str] = mapped_column(String(200), default="", info=shown(_l("Website"), checks=[URL()]))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Profile"), max_length=5000,
                                                                          multiline=True))
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
    name: Mapped[str] = mapped_column(String(120), info=shown(_l("Contact name"), required=True))
    title: Mapped[str] = mapped_column(String(120), default="", info=shown(_l("Position")))
    email: Mapped[str] = mapped_column(String(200), default="", info=shown(_l("E-mail"), kind=Email))
    phone: Mapped[str] = mapped_column(String(40), default="", info=shown(_l("Phone")))

    counterparty = relationship("Counterparty", back_populates="contacts")

    @property
    def audit_label(self) -> str:
        return f"{self.counterparty.name if self.counterparty else ''} · {self.name}"
