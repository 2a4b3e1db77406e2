"""Reference data: provinces and cities, loaded from the committed CSV files
(derived from the cpca package; see data/README.md)."""
import csv
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select

from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .models import City, Province

DATA = Path(__file__).parent / "data"


def load_reference_data() -> int:
    """Insert provinces and cities that are missing and bring the English names of existing
    ones up to date (official names, see data/README.md); idempotent. Returns rows added."""
    added = 0
    existing = {p.code: p for p in db.session.scalars(select(Province))}
    with open(DATA / "provinces.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"] in existing and existing[row["code"]].name_en != row["name_en"]:
                existing[row["code"]].name_en = row["name_en"]
            if row["code"] not in existing:
                existing[row["code"]] = Province(**row)
                db.session.add(existing[row["code"]])
                added += 1
    db.session.flush()
    known = dict(db.session.execute(select(City.adcode, City.name_en)).all())
    renamed = {}
    with open(DATA / "cities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["adcode"] in known:
                if known[row["adcode"]] != row["name_en"]:
                    renamed[row["adcode"]] = row["name_en"]
                continue
            db.session.add(City(
                adcode=row["adcode"], name=row["name"], name_en=row["name_en"],
                province_id=existing[row["province_code"]].id, level=row["level"],
                longitude=float(row["longitude"]), latitude=float(row["latitude"])))
            added += 1
    for city in db.session.scalars(select(City).where(City.adcode.in_(list(renamed)))) if renamed else ():
        city.name_en = renamed[city.adcode]
    db.session.flush()
    return added


def get_city(city_id) -> City | None:
    return db.session.get(City, int(city_id)) if city_id else None


def get_city_by_adcode(adcode: str) -> City | None:
    return db.session.scalar(select(City).where(City.adcode == adcode))


def find_city(name_or_code: str) -> City | None:
    """By adcode, by full name (青岛市) or short name (青岛)."""
    value = name_or_code.strip()
    if value.isdigit():
        return get_city_by_adcode(value)
    return db.session.scalar(select(City).where(
        (City.name == value) | (City.name == value + "市")).order_by(City.adcode))


def city_named(value: str, *, field: str = "city") -> City | None:
    """The city people typed (adcode, 青岛市 or 青岛); None when left empty; an unknown one is
    refused with its name, on the field it came from."""
    value = (value or "").strip()
    if not value:
        return None
    city = find_city(value)
    if city is None:
        raise DomainError(_("Unknown city: %(name)s", name=value), field=field)
    return city


def list_provinces():
    return db.session.scalars(select(Province).order_by(Province.code)).all()


def list_cities(province_code: str | None = None):
    stmt = select(City).join(City.province).order_by(City.adcode)
    if province_code:
        stmt = stmt.where(Province.code == province_code)
    return db.session.scalars(stmt).all()


def count_cities() -> int:
    return db.session.scalar(select(func.count(City.id)))
