
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.clock import local_today
from consortium.core.forms import save_form
from consortium.scenarios import services as scenario_services
from consortium.core.loaders import or_404

from . import permissions, services
from .forms import ApplicationForm, DecisionForm, WithdrawApplicationForm

bp = Blueprint("authorisations", __name__, url_prefix="/authorisations")


def _replication_or_404(replication_id):
    return or_404(scenario_services.get_replication(replication_id), lambda r: permissions.can_view(current_user, r))


def _application_or_404(application_id):
    return or_404(services.get_application(application_id),
                  lambda a: permissions.can_view(current_user, a.replication))


def _page(rep, form=None, decision_form=None, status=200):
    writer = permissions.can_write(current_user, rep)
    current = services.current_application(rep)
    if writer and form is None and current is None:
        form = ApplicationForm(formdata=None, submitted_on=local_today())
    if writer and decision_form is None and current is not None and current.is_open:
        decision_form = DecisionForm(formdata=None, decided_on=local_today())
    return render_template("authorisations/replication.html", rep=rep, applications=services.list_applications(rep),
                           current=current, writer=writer, form=form if current is None else None,
                           decision_form=decision_form), status


@bp.get("/replications/<int:replication_id>")
@login_required
def replication(replication_id):
    return _page(_replication_or_404(replication_id))


@bp.post("/replications/<int:replication_id>")
@login_required
def submit(replication_id):
    rep = _replication_or_404(replication_id)
    if not permissions.can_write(current_user, rep):
        abort(403)
    form = ApplicationForm()
    app = save_form(form, lambda: services.submit_application(current_user, rep, **form.values()))
    if app:
        flash(_("Authorisation application to %(authority)s recorded as submitted.", authority=app.authority),
              "success")
        return redirect(url_for("authorisations.replication", replication_id=rep.id))
    return _page(rep, form=form, status=400)


@bp.post("/<int:application_id>/decision")
@login_required
def decide(application_id):
    app = _application_or_404(application_id)
    if not permissions.can_write(current_user, app.replication):
        abort(403)
    form = DecisionForm()
    approved = bool(form.approve.data)
    done = save_form(form, lambda: services.record_decision(current_user, app, approved=approved,
                                                            **form.values()))
    if done:
        what = {"authority": app.authority, "scenario": app.replication.scenario.title,
                "member": app.replication.member.name}
        flash(_("Recorded: %(authority)s approved %(scenario)s in %(member)s; the replication may now move to "
                "the pilot stage.", **what) if approved
              else _("Recorded: %(authority)s rejected %(scenario)s in %(member)s.", **what),
              "success" if approved else "warning")
        return redirect(url_for("authorisations.replication", replication_id=app.replication_id))
    return _page(app.replication, decision_form=form, status=400)


@bp.route("/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(application_id):
    app = _application_or_404(application_id)
    if not permissions.can_write(current_user, app.replication):
        abort(403)
    form = WithdrawApplicationForm()
    if not form.is_submitted():
        form.withdrawn_on.data = local_today()
    if save_form(form, lambda: services.withdraw_application(current_user, app, **form.values())):
        flash(_("The application was withdrawn."), "warning")
        return redirect(url_for("authorisations.replication", replication_id=app.replication_id))
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Withdraw the application to %(authority)s?", authority=app.authority),
                           explanation=_("A withdrawn application stays in the history; a new one can be "
                                         "submitted afterwards."),
                           cancel_url=url_for("authorisations.replication", replication_id=app.replication_id))
