from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from consortium.auth.models import User
from consortium.core.exceptions import DomainError
from consortium.core.requests import signed_link
from consortium.extensions import db
from consortium.notifications import registry as kinds

from .compose import read_unsubscribe_token
from .models import CHANNELS
from .preferences import DIGEST, DIGEST_CHANNELS, preferences_of, scope_label, set_preferences, unsubscribe

bp = Blueprint("mail", __name__)


def _field(code: str) -> str:
    return "k_" + code.replace(".", "__")


def _rows():
    """(code, label, needs action) of every choice on the page: the weekly digest, then each kind."""
    return [(DIGEST, _("Weekly digest of activity in my groups and entries"), False),
            *((k.code, str(k.label), bool(k.action)) for k in kinds.kinds())]


def _form(prefs):
    class SettingsForm(FlaskForm):
        pass
    for code, label, _action in _rows():
        allowed = DIGEST_CHANNELS if code == DIGEST else tuple(CHANNELS)
        setattr(SettingsForm, _field(code), SelectField(label, choices=[SelectChoice(c, t) for c, t in CHANNELS.choices(get_locale())
                                                                 if c in allowed],
                                                        default=prefs[code]))
    return SettingsForm()


@bp.route("/me/email", methods=["GET", "POST"])
@login_required
def settings():
    prefs = preferences_of(current_user)
    form = _form(prefs)
    if form.validate_on_submit():
        choices = {code: form[_field(code)].data for code, _l, _a in _rows()}
        try:
            set_preferences(current_user, current_user, choices)
        except DomainError as e:
            db.session.rollback()
            flash(str(e), "danger")
        else:
            db.session.commit()
            changed = sum(1 for code, chosen in choices.items() if prefs[code] != chosen)
            flash(_("E-mail settings saved for %(email)s: %(n)d choices changed.", email=current_user.email,
                    n=changed), "success")
            return redirect(url_for("mail.settings"))
    return render_template("mail/settings.html", form=form, rows=[(code, label, action, form[_field(code)])
                                                                  for code, label, action in _rows()])


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"], endpoint="unsubscribe")
@signed_link
def unsubscribe_view(token):
    """The link in every e-mail: a page with one button (GET changes nothing: link checkers and
    previews open it), and the one-click POST a mail client sends (RFC 8058)."""
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None:
        abort(404)
    scope = found[1]
    what = scope_label(scope)
    if request.method == "POST":
        try:
            unsubscribe(user, scope)
        except DomainError:
            abort(404)
        db.session.commit()
        return render_template("mail/unsubscribed.html", what=what, email=user.email)
    return render_template("mail/unsubscribe.html", what=what, email=user.email, token=token)

