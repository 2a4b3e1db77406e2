from flask import Blueprint, abort, request
from sqlalchemy import select

from consortium.core.api import paginated
from consortium.core.openapi import api_doc

from . import services
from .models import City, Province
from .schemas import CityOut, CityPage

bp = Blueprint("geo_api", __name__, url_prefix="/api/v1/cities")


def city_json(city) -> dict:
    return CityOut().dump(city)


@bp.get("")
@api_doc(summary="Cities (``province``, ``q``; paginated).", response=CityPage)
def index():
    stmt = select(City).join(City.province).order_by(City.adcode)
    if request.args.get("province"):
        stmt = stmt.where(Province.code == request.args["province"])
    if request.args.get("q"):
        q = request.args["q"]
        stmt = stmt.where(City.name.contains(q, autoescape=True) | City.name_en.contains(q, autoescape=True))
    return paginated(stmt, city_json)


@bp.get("/<adcode>")
@api_doc(summary="One city.", response=CityOut)
def detail(adcode):
    city = services.get_city_by_adcode(adcode)
    if city is None:
        abort(404)
    return city_json(city)
