"""How a request is tied to a user: a server-side session named by the signed
cookie, or an ``Authorization: Bearer`` API token (never both)."""
from flask import request, session

from consortium.extensions import login_manager

from . import services


def has_bearer() -> bool:
    return request.headers.get("Authorization", "").startswith("Bearer ")


@login_manager.user_loader
def load_user(user_id):
    if has_bearer():
        return None  # a token request ignores cookies entirely
    user = services.user_for_session(user_id, session.get("sid"))
    return user if user is not None and user.is_active else None


@login_manager.request_loader
def load_user_from_token(req):
    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return services.user_for_token(header[len("Bearer "):].strip())
    return None


@login_manager.unauthorized_handler
def unauthorized():
    from flask import abort
    abort(401)  # errors.py answers JSON for the API and redirects browsers to sign-in
