"""Errors render as HTML pages or JSON, depending on the client. Refusals (403),
throttling (429) and unexpected errors (500) are logged with the request id."""
import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .core.exceptions import DomainError
from .extensions import db, is_json_request

log = logging.getLogger(__name__)


def _messages():
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in to continue."),
        403: _("You do not have permission to see this page."),
        404: _("This page does not exist, or you cannot see it."),
        405: _("This method is not allowed here."),
        409: _("This was changed by someone else since you opened it."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. The error has been logged."),
    }


def render_error(code: int, message: str | None = None, field: str | None = None):
    message = message or _messages().get(code, _("Error"))
    if is_json_request():
        body = {"error": {"code": code, "message": message}}
        if field:
            body["error"]["field"] = field
        return jsonify(body), code
    return render_template("errors/error.html", code=code, message=message), code


def safe_rollback() -> None:
    """Roll the request's transaction back even when its connection died (a restarted
    database): then the session is discarded, and the pool hands out a fresh connection."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; nothing left to undo
        db.session.remove()


def register(app):
    @app.errorhandler(IntegrityError)
    def _integrity(e):
        """Two requests created the same key at once (the check before the insert passed for both):
        the loser gets 409 and a message, never a 500."""
        safe_rollback()
        log.info("integrity conflict: %s", e.orig)
        return render_error(409, _("Someone else just saved an entry with the same code or key. "
                                   "Reload and try again."))

    @app.errorhandler(DataError)
    def _data(e):
        """A value the database cannot hold (too long, out of range) that no check caught first."""
        safe_rollback()
        log.warning("database refused a value: %s", e.orig)
        return render_error(400, _("A value is too long or out of range."))

    @app.errorhandler(CSRFError)
    def _csrf(e):
        return render_error(400, _("The form expired or was sent from elsewhere. Please try again."))

    @app.errorhandler(DomainError)
    def _domain(e):
        safe_rollback()
        if e.status == 403:
            _log_refusal()
        return render_error(e.status, e.message, e.field)

    @app.errorhandler(StaleDataError)
    def _stale(e):  # a concurrent edit won the race for the version column
        db.session.rollback()
        from .core.locking import conflict_message
        return render_error(409, conflict_message(), "version")

    @app.errorhandler(HTTPException)
    def _http(e):
        if e.code == 403:
            _log_refusal()
        elif e.code == 429:
            log.warning("throttled %s %s from %s", request.method, request.path, request.remote_addr)
        if e.code == 401 and not is_json_request():
            from flask import redirect, url_for
            return redirect(url_for("auth.login", next=request.full_path))
        response = make_response(render_error(e.code or 500))
        if isinstance(e, MethodNotAllowed) and e.valid_methods:  # TRACE, or a method the route lacks
            response.headers["Allow"] = ", ".join(sorted(e.valid_methods))
        return response

    @app.errorhandler(Exception)
    def _unexpected(e):
        log.exception("unhandled error on %s %s", request.method, request.path)
        safe_rollback()
        try:
            return render_error(500)
        except Exception:  # noqa: BLE001 - the page itself needs the database (the signed-in user)
            from flask import Response
            return Response(_messages()[500], status=500, mimetype="text/plain")


def _log_refusal():
    from flask_login import current_user
    who = getattr(current_user, "id", None) if getattr(current_user, "is_authenticated", False) else "anonymous"
    log.info("refused %s %s for user %s", request.method, request.path, who)
