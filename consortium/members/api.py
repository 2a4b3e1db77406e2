"""/api/v1/members: the member directory (public), one member (its accounts for its own users
and the secretariat)."""
from flask import abort
from flask_login import current_user

from consortium.auth import permissions
from consortium.core.api import Blueprint, answer_context, paginate

from . import services
from .schemas import MemberOut, MemberPage, MemberQuery

bp = Blueprint("members_api", __name__, url_prefix="/api/v1/members", description="Member organisations.")


@bp.route("")
@bp.arguments(MemberQuery, location="query")
@bp.response(200, MemberPage)
def index(query):
    """Members (``province``, ``kind``, ``joined_from``, ``joined_to``, ``q``, ``status``; paginated)."""
    stmt = services.list_members(current_user, province=query.get("province") or None, kind=query.get("kind"),
                                 joined_from=query.get("joined_from"), joined_to=query.get("joined_to"),
                                 q=query.get("q") or None, include_suspended=query.get("status") == "all")
    return paginate(stmt, query)


@bp.route("/<code>")
@bp.response(200, MemberOut)
def detail(code):
    """One member (its accounts for its own users and the secretariat)."""
    member = services.get_member_by_code(code)
    if member is None or not permissions.can_view_member(current_user, member):
        abort(404)
    answer_context()["with_users"] = permissions.can_view_member_users(current_user, member)
    return member
