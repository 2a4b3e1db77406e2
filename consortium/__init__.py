"""The CDOU portal: create_app() binds extensions, blueprints, CLI and error pages."""
import functools
import importlib
import os
import secrets
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, errors, logs
from . import models  # noqa: F401  (every model registered before migrations look)
from .auth import permissions
from .auth.loaders import has_bearer
from .config import CONFIGS, Config
from .core import api, assets, health, openapi, signals
from .core.collation import search_text, sort_for_locale
from .core.requests import PortalFlask, check_query_and_form, is_signed_link
from .extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# The domains, in layer order: each package's init_app(app) registers its blueprints,
# CLI commands, navigation entries and demo seeder. Adding a domain edits this list.
DOMAINS = ("jobs", "audit", "auth", "geo", "members", "notifications", "counterparties", "catalog", "harvest",
           "scenarios", "agreements", "authorisations", "registers", "negotiations", "dashboards", "workspace", "mail", "portal")


def create_app(config: type[Config] | str | None = None) -> Flask:
    app = PortalFlask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    if config is None:
        config = os.environ.get("CDOU_ENV", "development")
    if isinstance(config, str):
        config = CONFIGS[config]
    app.config.from_object(config(app.instance_path))
    app.json.ensure_ascii = False  # Chinese stays readable in JSON

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    logs.configure(app)
    _bind_extensions(app)
    _init_domains(app)
    _register_hooks(app)
    assets.init_app(app)  # after every blueprint: fingerprinted static URLs, compression

    errors.register(app)
    cli.register(app)
    return app


def _select_locale():
    """The session's language, else the signed-in account's; when the account cannot be loaded
    (the database is down: errors.forget_user), the browser's preferred one."""
    if not has_request_context():  # CLI and service calls outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    lang = session.get("lang") or _account_locale()
    if lang is None and errors.user_unavailable():
        lang = request.accept_languages.best_match(list(languages))
    return _parsed_locale(lang if lang in languages else current_app.config["BABEL_DEFAULT_LOCALE"])


def _account_locale() -> str | None:
    if errors.user_unavailable():
        return None
    try:
        return current_user.locale if getattr(current_user, "is_authenticated", False) else None
    except SQLAlchemyError:  # loading the user failed: the page (an error page, soon) is drawn without it
        errors.forget_user()
        return None


@functools.lru_cache(maxsize=16)
def _parsed_locale(code):
    """A Locale object per code, parsed once: Flask-Babel would parse the string on every
    request, and Babel's parse scans its whole list of locales (about 1 ms)."""
    return Locale.parse(code)


def _request_translations():
    """Flask-Babel's translations of this request, looked up once per request and locale
    (its own lookup walks several context proxies: about 15 µs per string, and a page
    shows dozens). Keyed by the Locale object, so force_locale and refresh still apply."""
    ctx = g.get("_flask_babel")
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:
        return get_translations()
    memo = getattr(ctx, "fast_translations", None)
    if memo is None or memo[0] is not locale:
        memo = ctx.fast_translations = (locale, get_translations())
    return memo[1]


def _install_template_gettext(app):
    """The same template callables Flask-Babel installs, over ``_request_translations``."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True)


def _bind_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    _install_template_gettext(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # sessions are server-side rows (auth.services)


def _init_domains(app):
    api.init_app(app)  # the domains register their API blueprints with it (core.api.register)
    for name in DOMAINS:
        importlib.import_module(f"consortium.{name}").init_app(app)
    health.init_app(app)  # /healthz: the database and the rate-limit store; domains add their own checks
    api.register(app, openapi.spec_bp)
    api.register_all(app)
    app.register_blueprint(openapi.bp)


def _anonymous_api_call() -> bool:
    """An API call with neither a token nor a signed-in session: CSRF protects nothing
    there (no credentials ride along), and the endpoint itself answers 401."""
    return request.path.startswith("/api/") and not current_user.is_authenticated


def _register_hooks(app):
    @app.before_request
    def _check_input_csrf_and_session():
        g.csp_nonce = secrets.token_urlsafe(16)
        check_query_and_form(request)
        if (request.method in UNSAFE_METHODS and not has_bearer() and not _anonymous_api_call()
                and not is_signed_link(app, request.endpoint)):
            csrf.protect()
        if request.endpoint not in (None, "static", "bootstrap.static", "health.healthz"):
            # loads the user now, before the view: an expired session is ended and a live one's
            # last use written (and committed) before any of the view's own changes
            current_user._get_current_object()

    @app.after_request
    def _security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/api/") or "Set-Cookie" in response.headers:
            response.headers.setdefault("Cache-Control", "no-store")
        if request.is_secure and app.config["HSTS_SECONDS"]:
            response.headers["Strict-Transport-Security"] = f"max-age={app.config['HSTS_SECONDS']}"
        return response

    @app.context_processor
    def _template_globals():
        locale = "en" if str(get_locale()).startswith("en") else "zh_CN"  # a key of LANGUAGES
        return {
            "csp_nonce": lambda: g.get("csp_nonce", ""),
            "locale": locale,
            "languages": app.config["LANGUAGES"],
            "perm": permissions,
            "dn": lambda obj: obj.display_name(locale) if obj is not None else "",
            # searchable pickers written in a template (consortium.core.pickers): the reader's order, what the filter finds
            "by_name": lambda items: sort_for_locale(items, locale),
            "finds": lambda obj: search_text(*(getattr(obj, f, "") for f in getattr(obj, "bilingual_fields", ()))),
            "nav_entries": lambda menu="main": signals.nav_entries(current_user, menu),
            "page_sections": lambda page, obj: signals.page_blocks(page, obj, current_user),
        }
