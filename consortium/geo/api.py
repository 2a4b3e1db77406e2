"""/api/v1/cities: the 337 prefecture-level cities (reference data, public)."""
from flask import abort
from sqlalchemy import select

from consortium.core.api import Blueprint, paginate

from . import services
from .models import City, Province
from .schemas import CityOut, CityPage, CityQuery

bp = Blueprint("geo_api", __name__, url_prefix="/api/v1/cities", description="Provinces and cities.")


@bp.route("")
@bp.arguments(CityQuery, location="query")
@bp.response(200, CityPage)
def index(query):
    """Cities (``province``, ``q``; paginated)."""
    stmt = select(City).join(City.province).order_by(City.adcode)
    if query.get("province"):
        stmt = stmt.where(Province.code == query["province"])
    if query.get("q"):
        q = query["q"]
        stmt = stmt.where(City.name.contains(q, autoescape=True) | City.name_en.contains(q, autoescape=True))
    return paginate(stmt, query)


@bp.route("/<adcode>")
@bp.response(200, CityOut)
def detail(adcode):
    """One city."""
    city = services.get_city_by_adcode(adcode)
    if city is None:
        abort(404)
    return city
