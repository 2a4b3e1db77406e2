"""The sign-on: calling, cancelling, completing it, and signing."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from .. import services
from ..forms import SignForm, SignOnForm, TransitionForm
from .common import _act, _coordinated_or_404, _dossier_or_404, _form_errors, bp


@bp.post("/<int:dossier_id>/sign-on")
def call_sign_on(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = SignOnForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "sign-on")
    return _act(dossier, lambda: services.call_sign_on(current_user, dossier, deadline=form.deadline.data,
                                                                  override=form.override.data or ""),
                _("Sign-on called."), "sign-on")


@bp.post("/<int:dossier_id>/sign-on/cancel")
def cancel_sign_on(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    if not TransitionForm(to_status="cancel").validate_on_submit():
        abort(400)
    return _act(dossier, lambda: services.cancel_sign_on(current_user, dossier), _("Sign-on cancelled."), "sign-on")


@bp.post("/<int:dossier_id>/sign-on/complete")
def complete_sign_on(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = TransitionForm(to_status="agreed")
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "sign-on")
    return _act(dossier, lambda: services.complete_sign_on(current_user, dossier, **form.values()),
                _("The quorum is met: the common position is agreed."), "sign-on")


@bp.post("/<int:dossier_id>/sign")
def sign(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    form = SignForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "sign-on")
    signed = form.signed.data == "1"
    return _act(dossier, lambda: services.sign(current_user, dossier, signed=signed, **form.values()),
                _("Your organisation signed.") if signed else _("Your organisation declined to sign."), "sign-on")
