from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consortium.core.naming import BilingualName
from consortium.extensions import db


class Province(BilingualName, db.Model):
    """Provincial-level division (adcode prefix)."""

    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))

    cities = relationship("City", back_populates="province", order_by="City.adcode")



class City(BilingualName, db.Model):
    """Prefecture-level division; province-level municipalities count as cities."""

    __tablename__ = "cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    adcode: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    name_en: Mapped[str] = mapped_column(String(80))
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))  # prefecture | municipality
    longitude: Mapped[float]
    latitude: Mapped[float]

    province = relationship("Province", back_populates="cities", lazy="joined")


    def __str__(self) -> str:
        return self.name
