from flask import Blueprint, abort, request
from flask_login import current_user

from consortium.auth import permissions
from consortium.core.api import choice_param, date_param, paginated
from consortium.geo.api import city_json

from . import services
from .constants import MEMBER_KINDS

bp = Blueprint("members_api", __name__, url_prefix="/api/v1/members")


def member_json(member, with_users=False) -> dict:
    data = {"code": member.code, "name": member.name, "name_en": member.name_en, "kind": member.kind,
            "status": member.status, "joined_on": member.joined_on.isoformat(),
            "city": city_json(member.city), "description": member.description, "website": member.website}
    if with_users:
        data["users"] = [{"id": u.id, "email": u.email, "name": u.name, "enabled": u.is_enabled}
                         for u in member.users]
    return data


@bp.get("")
def index():
    stmt = services.list_members(current_user, province=request.args.get("province") or None,
                                 kind=choice_param("kind", MEMBER_KINDS),
                                 joined_from=date_param("joined_from"), joined_to=date_param("joined_to"),
                                 q=request.args.get("q") or None,
                                 include_suspended=request.args.get("status") == "all")
    return paginated(stmt, member_json)


@bp.get("/<code>")
def detail(code):
    member = services.get_member_by_code(code)
    if member is None or not permissions.can_view_member(current_user, member):
        abort(404)
    return member_json(member, with_users=permissions.can_view_member_users(current_user, member))
