"""Errors render as HTML pages or JSON, depending on the client. Refusals (403),
throttling (429) and unexpected errors (500) are logged with the request id.

An error page never needs the database: when the database or the rate-limit store
cannot be reached the answer is a 503 (JSON under /api/, an HTML page otherwise)
drawn for a visitor, in the session's or the browser's language, since the signed-in
user cannot be loaded; and should drawing the full page fail anyway, a plain page
that needs nothing but the language is served."""
import logging

from flask import g, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from limits.errors import StorageError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .core.exceptions import DomainError
from .core.locking import conflict_message
from .extensions import db, is_json_request, login_manager

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
        503: _("The portal is briefly unavailable. Please try again in a minute."),
    }


RETRY_AFTER_SECONDS = 30  # told to clients with every 503


def render_error(code: int, message: str | None = None, field: str | None = None):
    message = message or _messages().get(code, _("Error"))
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == 503 else {}
    if is_json_request():
        body = {"error": {"code": code, "message": message}}
        if field:
            body["error"]["field"] = field
        return jsonify(body), code, headers
    try:
        return render_template("errors/error.html", code=code, message=message,
                               sign_in_url=_sign_in_url(code)), code, headers
    except Exception:  # noqa: BLE001 - the full page needs something that failed too: the plain one needs nothing
        log.exception("the error page could not be drawn; serving the plain one")
        safe_rollback()
        return render_template("errors/plain.html", code=code, message=message), code, headers


def _sign_in_url(code: int) -> str | None:
    """A visitor (not signed in) refused a page (403) or shown a 404 may be looking at a members-only
    page: the error page offers to sign in and come back to it."""
    if code not in (403, 404) or request.method != "GET" or getattr(current_user, "is_authenticated", False):
        return None
    return url_for("auth.login", next=request.full_path.rstrip("?"))


def forget_user() -> None:
    """The signed-in user cannot be loaded (the database is down): the rest of this request,
    error page included, is drawn for a visitor, in the session's or the browser's language.
    The failed transaction is discarded first."""
    safe_rollback()
    g.user_unavailable = True
    login_manager._update_request_context_with_user(None)  # Flask-Login's anonymous user, loaded from nothing


def user_unavailable() -> bool:
    return g.get("user_unavailable", False)


def database_unavailable(e: BaseException | None) -> bool:
    """The database cannot be reached: refused or timed out while connecting (no statement was
    sent), lost during the request (SQLAlchemy invalidated the connection), or every pooled
    connection busy. Other database errors (a missing table, a deadlock) stay 500s: bugs."""
    if isinstance(e, PoolTimeout):
        return True
    return isinstance(e, DBAPIError) and (
        e.connection_invalidated or (isinstance(e, (OperationalError, InterfaceError)) and e.statement is None))


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
        return render_error(409, conflict_message(), "version")

    def _database_down(e):
        log.error("database unavailable on %s %s: %s", request.method, request.path, getattr(e, "orig", e))
        forget_user()
        return render_error(503, _("The database is not answering. Please try again in a minute."))

    def _limiter_store_down(e):
        """Only without the in-memory fallback (RATELIMIT_IN_MEMORY_FALLBACK=0), or when the store
        fails between a request's check and its deduction: refused, never let through."""
        log.error("rate-limit store unavailable on %s %s: %r", request.method, request.path, e.storage_error)
        return render_error(503, _("Sign-in and downloads are paused for a moment. Please try again in a minute."))

    @app.errorhandler(DBAPIError)
    def _dbapi(e):
        return _database_down(e) if database_unavailable(e) else _unexpected(e)

    app.register_error_handler(PoolTimeout, _database_down)
    app.register_error_handler(StorageError, _limiter_store_down)

    @app.errorhandler(HTTPException)
    def _http(e):
        original = getattr(e, "original_exception", None)  # raised outside the view (an after_request hook)
        if isinstance(original, StorageError):
            return _limiter_store_down(original)
        if database_unavailable(original):
            return _database_down(original)
        if e.code == 403:
            _log_refusal()
        elif e.code == 429:
            log.warning("throttled %s %s from %s", request.method, request.path, request.remote_addr)
        if e.code == 401 and not is_json_request():
            return redirect(url_for("auth.login", next=request.full_path))
        response = make_response(render_error(e.code or 500))
        if isinstance(e, MethodNotAllowed) and e.valid_methods:  # TRACE, or a method the route lacks
            response.headers["Allow"] = ", ".join(sorted(e.valid_methods))
        return response

    @app.errorhandler(Exception)
    def _unexpected(e):
        log.exception("unhandled error on %s %s", request.method, request.path)
        safe_rollback()
        return render_error(500)


def _log_refusal():
    who = getattr(current_user, "id", None) if getattr(current_user, "is_authenticated", False) else "anonymous"
    log.info("refused %s %s for user %s", request.method, request.path, who)
