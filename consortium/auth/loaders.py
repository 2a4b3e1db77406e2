"""How a request is tied to a user: a server-side session named by the signed
cookie, or an ``Authorization: Bearer`` API token (never both). A token is an
API credential only: it authenticates requests under /api/v1/ and nothing else
(on HTML pages the header is ignored, so a leaked token cannot reach the
account page, mint more tokens or change the password)."""
from flask import abort, current_app, request, session

from consortium.extensions import db, login_manager

from . import services

API_PREFIX = "/api/v1/"


def has_bearer() -> bool:
    """A bearer-token API call (which needs no CSRF token): only under /api/v1/."""
    return request.path.startswith(API_PREFIX) and request.headers.get("Authorization", "").startswith("Bearer ")


@login_manager.user_loader
def load_user(user_id):
    if has_bearer():
        return None  # a token request ignores cookies entirely
    lifetime = services.SessionLifetime.from_config(current_app.config)
    user, wrote = services.user_for_session(user_id, session.get("sid"), lifetime)
    if wrote:  # the session's last use written, or the expired session deleted: committed now
        db.session.commit()
    if user is None:
        session.pop("sid", None)
    return user if user is not None and user.is_active else None


@login_manager.request_loader
def load_user_from_token(req):
    if not has_bearer():
        return None
    user, touched = services.token_user_and_touch(req.headers["Authorization"][len("Bearer "):].strip())
    if touched:  # the token's last use, written at most once a minute: committed now, before the view runs
        db.session.commit()
    return user


@login_manager.unauthorized_handler
def unauthorized():
    abort(401)  # errors.py answers JSON for the API and redirects browsers to sign-in
