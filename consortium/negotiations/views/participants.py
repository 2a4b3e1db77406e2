"""Invitations, answers and withdrawals of participating members."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.naming import named
from consortium.core.exceptions import NotFound
from consortium.core.requests import row_id
from consortium.extensions import db
from consortium.members.models import Member

from .. import services
from ..forms import InviteForm, RespondForm, WithdrawForm
from .common import _act, _back, _coordinated_or_404, _dossier_or_404, _form_errors, bp


@bp.post("/<int:dossier_id>/invite")
def invite(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = InviteForm()
    if not form.validate_on_submit() or row_id(form.member.data) is None:
        return _form_errors(form, dossier, "participants")
    member = db.session.get(Member, row_id(form.member.data))
    return _act(dossier, lambda: services.invite(current_user, dossier, member),
                _("Invitation sent."), "participants")


@bp.post("/<int:dossier_id>/respond")
def respond(dossier_id):
    dossier = _dossier_or_404(dossier_id, invited_ok=True)
    form = RespondForm()
    if not form.validate_on_submit():
        abort(400)
    accept = form.accept.data == "1"
    try:
        services.respond(current_user, dossier, accept=accept, **form.values())
    except NotFound:
        abort(404)
    db.session.commit()
    if accept:
        flash(_("%(member)s now takes part in the negotiation “%(title)s”.", member=named(current_user.member),
                title=dossier.title), "success")
        return _back(dossier)
    flash(_("%(member)s declined the invitation to “%(title)s”; %(coordinator)s was told.",
            member=named(current_user.member), title=dossier.title, coordinator=named(dossier.coordinator)), "info")
    return redirect(url_for("negotiations.index"))


@bp.post("/<int:dossier_id>/withdraw")
def withdraw(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = WithdrawForm()
    if not form.validate_on_submit() or not (form.member.data or "").isdigit():
        return _form_errors(form, dossier, "participants")
    member = db.session.get(Member, int(form.member.data))
    if member is None:
        abort(404)
    return _act(dossier, lambda: services.withdraw(current_user, dossier, member, **form.values()),
                _("%(name)s was withdrawn from this negotiation.", name=named(member)), "participants")
