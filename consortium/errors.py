"""Errors render as HTML pages or JSON, depending on the client. Refusals (403),
throttling (429) and unexpected errors (500) are logged with the request id."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def register(app):
    @app.errorhandler(CSRFError)
    def _csrf(e):
        return render_error(400, _("The form expired or was sent from elsewhere. Please try again."))

    @app.errorhandler(DomainError)
    def _domain(e):
        db.session.rollback()
        if e.status == 403:
            _log_refusal()
        return render_error(e.status, e.message, e.field)

    @app.errorhandler(HTTPException)
    def _http(e):
        if e.code == 403:
            _log_refusal()
        elif e.code == 429:
            log.warning("throttled %s %s from %s", request.method, request.path, request.remote_addr)
        if e.code == 401 and not is_json_request():
            from flask import redirect, url_for
            return redirect(url_for("auth.login", next=request.full_path))
        return render_error(e.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(e):
        log.exception("unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()
        except Exception:  # the connection itself may be gone; the page must still render
            log.exception("rollback failed after an unhandled error")
        return render_error(500)


def _log_refusal():
    from flask_login import current_user
    who = getattr(current_user, "id", None) if getattr(current_user, "is_authenticated", False) else "anonymous"
    log.info("refused %s %s for user %s", request.method, request.path, who)
