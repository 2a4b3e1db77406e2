from datetime import date, datetime

from flask_babel import get_locale
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.clock import utcnow
from consortium.core.naming import BilingualName
from consortium.extensions import db

from .constants import MEMBER_KINDS, MEMBER_LEVELS, MEMBER_STATUSES


class Member(BilingualName, db.Model):
    """A member organisation of the union (数据集团, 数商, research institute, other)."""

    __tablename__ = "members"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(160), default="")
    kind: Mapped[str] = mapped_column(String(30), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    joined_on: Mapped[date] = mapped_column(index=True)
    # "city" (a prefecture-level data group) or "province" (a provincial one, seated in its capital)
    level: Mapped[str] = mapped_column(String(20), default="city", server_default="city")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    suspension_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # shown to its users
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(200), default="")
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
