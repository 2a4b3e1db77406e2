from flask import Blueprint, abort, current_app
from flask_login import current_user

from consortium.core import registry

from . import permissions

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")


def user_json(user) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "member": user.member.code if user.member else None,
            "member_name": user.member.name if user.member else None,
            **{key: fact(user) for key, fact in registry.registry(current_app).profile_facts}}


@bp.get("/me")
def me():
    if not permissions.is_signed_in(current_user):
        abort(401)
    return user_json(current_user)
