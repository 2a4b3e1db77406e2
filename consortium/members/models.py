from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from wtforms.validators import URL

from consortium.core.clock import utcnow
from consortium.core.entity import shown
from consortium.core.naming import BilingualName
from consortium.extensions import db

from .constants import MEMBER_KINDS, MEMBER_LEVELS, MEMBER_STATUSES


class Member(BilingualName, db.Model):
    """A member organisation of the union (数据集团, 数商, research institute, other)."""

    __tablename__ = "members"
    __audited__ = True

    # What the secretariat edits, in the order of the form (see consortium.core.entity). Its city (a
    # choice among the reference cities) and its status (suspension) are not free fields.
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, info=shown(
        _l("Code"), required=True,
        help=_l("Chosen by the secretariat, used in addresses and imports: lower-case letters, digits, "
                "hyphens, e.g. yantai. It cannot be changed later.")))
    name: Mapped[str] = mapped_column(String(120), unique=True, info=shown(_l("Name (Chinese)"), required=True))
    name_en: Mapped[str] = mapped_column(String(160), default="", info=shown(_l("Name (English)")))
    kind: Mapped[str] = mapped_column(String(30), index=True, info=shown(
        _l("Kind"), choices=MEMBER_KINDS, required=True, plain=True, unknown=_l("Unknown member kind.")))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    # "city" (a prefecture-level data group) or "province" (a provincial one, seated in its capital)
    level: Mapped[str] = mapped_column(String(20), default="city", server_default="city", info=shown(
        _l("Level"), choices=MEMBER_LEVELS, required=True, plain=True, unknown=_l("Unknown level."),
        help=_l("A province-level data group is seated in its provincial capital.")))
    joined_on: Mapped[date] = mapped_column(index=True, info=shown(_l("Joined on"), required=True))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    suspension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # shown to its users
    website: Mapped[str] = mapped_column(String(200), default="", info=shown(_l("Website"), checks=[URL()]))
    description: Mapped[str] = mapped_column(Text, default="", info=shown(_l("Description"), max_length=5000,
                                                                          multiline=True))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")  # optimistic lock

    __mapper_args__ = {"version_id_col": version}

    city = relationship("City", lazy="joined")
    users = relationship("User", back_populates="member", order_by="User.email")

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def kind_label(self):
        return MEMBER_KINDS.label(self.kind, get_locale())

    @property
    def level_label(self):
        return MEMBER_LEVELS.label(self.level, get_locale())

    @property
    def status_label(self):
        return MEMBER_STATUSES.label(self.status, get_locale())

    @property
    def audit_label(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name
