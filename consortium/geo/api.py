from flask import Blueprint, abort, request
from sqlalchemy import select

from consortium.core.api import paginated

from . import services
from .models import City, Province

bp = Blueprint("geo_api", __name__, url_prefix="/api/v1/cities")


def city_json(city) -> dict:
    return {"adcode": city.adcode, "name": city.name, "name_en": city.name_en, "level": city.level,
            "province": {"code": city.province.code, "name": city.province.name,
                         "name_en": city.province.name_en},
            "longitude": city.longitude, "latitude": city.latitude}


@bp.get("")
def index():
    stmt = select(City).join(City.province).order_by(City.adcode)
    if request.args.get("province"):
        stmt = stmt.where(Province.code == request.args["province"])
    if request.args.get("q"):
        q = request.args["q"]
        stmt = stmt.where(City.name.contains(q, autoescape=True) | City.name_en.contains(q, autoescape=True))
    return paginated(stmt, city_json)


@bp.get("/<adcode>")
def detail(adcode):
    city = services.get_city_by_adcode(adcode)
    if city is None:
        abort(404)
    return city_json(city)
