"""Inviting a city from the where-next list, and the invited city's answer."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.naming import named
from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.core.loaders import or_404
from consortium.extensions import db

from .. import permissions
from ..forms import AcceptInvitationForm, DeclineInvitationForm
from ..services import invitations as invitation_services
from .common import _member, _opening_fields, _require, _scenario_or_404, bp


@bp.post("/<int:scenario_id>/invite")
@login_required
def invite(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    _require(permissions.can_lead(current_user, scenario.group))
    member = _member(request.form.get("member_id"))
    if member is None or not member.is_active:
        abort(404)
    try:
        invitation_services.invite_city(current_user, scenario, member, request.form.get("note", ""))
        db.session.commit()
        flash(_("%(member)s was invited; its users have been notified and will accept or decline.",
                member=named(member)), "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
    return redirect(url_for("scenarios.where_next", scenario_id=scenario.id))


def _invitation_or_404(invitation_id):
    return or_404(invitation_services.get_invitation(invitation_id),
                  lambda i: permissions.can_view_invitation(current_user, i))


@bp.get("/invitations/<int:invitation_id>")
@login_required
def invitation(invitation_id, accept_form=None, decline_form=None, status=200):
    inv = _invitation_or_404(invitation_id)
    can_answer = permissions.can_answer_invitation(current_user, inv) and inv.status == "pending"
    return render_template("scenarios/invitation.html", inv=inv, can_answer=can_answer,
                           accept_form=accept_form or AcceptInvitationForm(formdata=None),
                           decline_form=decline_form or DeclineInvitationForm(formdata=None)), status


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id):
    inv = _invitation_or_404(invitation_id)
    _require(permissions.can_answer_invitation(current_user, inv))
    form = AcceptInvitationForm()
    rep = save_form(form, lambda: invitation_services.accept_invitation(current_user, inv, **_opening_fields(form)))
    if rep:
        flash(_("Invitation accepted: the replication of %(scenario)s is open at the interest stage; the "
                "group's lead was told.", scenario=named(inv.scenario)), "success")
        return redirect(url_for("scenarios.replication", replication_id=rep.id))
    return invitation(invitation_id, accept_form=form, status=400)


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id):
    inv = _invitation_or_404(invitation_id)
    _require(permissions.can_answer_invitation(current_user, inv))
    form = DeclineInvitationForm()
    if save_form(form, lambda: invitation_services.decline_invitation(current_user, inv, form.reason.data)):
        flash(_("Invitation declined; the group's lead was told your reason."), "info")
        return redirect(url_for("scenarios.invitation", invitation_id=inv.id))
    return invitation(invitation_id, decline_form=form, status=400)
