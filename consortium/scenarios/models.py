from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.extensions import db


class ScenarioGroup(db.Model):
    """A vertical scenario group (垂直场景联合攻坚小组). The lead grant lives here:
    users of the lead member are the group's leads."""

    __tablename__ = "scenario_groups"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str] = mapped_column(String(160), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    lead_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    lead_member = relationship("Member", lazy="joined")

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    @property
    def audit_label(self) -> str:
        return self.name
