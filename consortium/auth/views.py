import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consortium.core.clock import utcnow
from consortium.core.exceptions import DomainError
from consortium.core.forms import show_error
from consortium.core.urls import safe_next
from consortium.extensions import db, limiter

from . import services
from .forms import LoginForm, OwnPasswordForm, TokenForm
from .models import ApiToken

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))[:200]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], methods=["POST"],
               key_func=_login_account_key, deduct_when=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("portal.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        notice = services.suspension_notice(form.email.data, form.password.data) if user is None else None
        if notice is not None:
            log.warning("sign-in refused for %r from %s: member suspended", (form.email.data or "")[:100],
                        request.remote_addr)
            flash(_("Your organisation is suspended by the secretariat, so its accounts cannot sign in. "
                    "Reason: %(reason)s", reason=notice or "—"), "danger")
        elif user is None:
            log.warning("sign-in failed for %r from %s", (form.email.data or "")[:100], request.remote_addr)
            flash(_("Wrong e-mail or password, or the account is suspended."), "danger")
        else:
            lang = session.get("lang")
            session.clear()  # no session fixation
            if lang:
                session["lang"] = lang
            session["sid"] = services.start_session(user, request.user_agent.string,
                                                    services.SessionLifetime.from_config(current_app.config))
            login_user(user)
            if lang and user.locale != lang:
                user.locale = lang  # the language chosen before signing in becomes the account's
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.name or user.email), "success")
            return redirect(safe_next(request.args.get("next"), url_for("portal.home")))
    came_for = safe_next(request.args.get("next"), None)
    return render_template("auth/login.html", form=form, came_for=came_for.split("?")[0] if came_for else None)


@bp.post("/logout")
def logout():
    services.end_session(session.get("sid"))
    db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("portal.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    password_form = OwnPasswordForm(prefix="pw")
    token_form = TokenForm(prefix="tok")
    new_token = None
    if password_form.submit.data and password_form.validate_on_submit():
        try:
            revoked = services.change_own_password(current_user, password_form.current.data,
                                                   password_form.password.data,
                                                   current_app.config["PASSWORD_MIN_LENGTH"])
            session["sid"] = services.start_session(current_user, request.user_agent.string)
            db.session.commit()
            flash(_("Your password was changed. Other sessions were signed out and %(n)d API tokens revoked.",
                    n=revoked), "success")
            return redirect(url_for("auth.account"))
        except DomainError as e:
            db.session.rollback()
            show_error(password_form, e)
    elif token_form.submit.data and token_form.validate_on_submit():
        try:
            _token, new_token = services.create_api_token(current_user, current_user, token_form.name.data,
                                                          token_form.expires_on.data,
                                                          current_app.config["API_TOKEN_MAX_DAYS"],
                                                          current_app.config["API_TOKEN_DEFAULT_DAYS"])
            db.session.commit()
            flash(_("Token created. Copy it now: it will not be shown again."), "warning")
        except DomainError as e:
            db.session.rollback()
            show_error(token_form, e)
    return render_template("auth/account.html", password_form=password_form, token_form=token_form,
                           tokens=services.list_api_tokens(current_user), new_token=new_token,
                           now_utc=utcnow(), default_days=current_app.config["API_TOKEN_DEFAULT_DAYS"],
                           max_days=current_app.config["API_TOKEN_MAX_DAYS"])


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    services.revoke_api_token(current_user, token)  # NotFound for someone else's token
    db.session.commit()
    flash(_("Token revoked."), "info")
    return redirect(url_for("auth.account"))
