from flask import Blueprint, abort, request
from flask_babel import get_locale
from flask_login import current_user

from consortium.auth import permissions
from consortium.core.api import choice_param, date_param, paginated
from consortium.core.entity import to_json
from consortium.core.openapi import api_doc

from . import services
from .constants import MEMBER_KINDS
from .schemas import NOT_IN_JSON, MemberExtraOut, MemberFields, MemberOut, MemberPage, MemberUserOut

bp = Blueprint("members_api", __name__, url_prefix="/api/v1/members")


def member_json(member, with_users=False, locale=None) -> dict:
    """A member as the API shows it (``schemas.MemberOut``): its defined fields as the definition
    writes them, its status and city, and its accounts for those who may see them."""
    defined = to_json(MemberFields, member, locale or str(get_locale()))
    data = {name: value for name, value in defined.items() if name not in NOT_IN_JSON}
    data.update(MemberExtraOut().dump(member))
    if with_users:
        data["users"] = MemberUserOut(many=True).dump(member.users)
    return data


@bp.get("")
@api_doc(summary="Members (``province``, ``kind``, ``joined_from``, ``joined_to``, ``q``; paginated).",
         response=MemberPage)
def index():
    stmt = services.list_members(current_user, province=request.args.get("province") or None,
                                 kind=choice_param("kind", MEMBER_KINDS),
                                 joined_from=date_param("joined_from"), joined_to=date_param("joined_to"),
                                 q=request.args.get("q") or None,
                                 include_suspended=request.args.get("status") == "all")
    return paginated(stmt, member_json)


@bp.get("/<code>")
@api_doc(summary="One member (its accounts for its own users and the secretariat).", response=MemberOut,
         auth=True)
def detail(code):
    member = services.get_member_by_code(code)
    if member is None or not permissions.can_view_member(current_user, member):
        abort(404)
    return member_json(member, with_users=permissions.can_view_member_users(current_user, member))
