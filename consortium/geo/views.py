from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from consortium.extensions import db
from consortium.members.models import Member

from . import services

bp = Blueprint("geo", __name__, url_prefix="/cities")


@bp.get("/")
def index():
    province = request.args.get("province") or None
    counts = dict(db.session.execute(select(Member.city_id, func.count(Member.id))
                                     .where(Member.status == "active").group_by(Member.city_id)).all())
    return render_template("geo/index.html", provinces=services.list_provinces(),
                           cities=services.list_cities(province), counts=counts, province=province)


@bp.get("/<adcode>")
def detail(adcode):
    city = services.get_city_by_adcode(adcode)
    if city is None:
        abort(404)
    members = db.session.scalars(select(Member).where(Member.city_id == city.id, Member.status == "active")
                                 .order_by(Member.name)).all()
    return render_template("geo/detail.html", city=city, members=members)
