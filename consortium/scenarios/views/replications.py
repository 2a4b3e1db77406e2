"""A replication's page and its writes: details, stage changes, notes, withdrawal."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.naming import named
from consortium.core.clock import local_today
from consortium.core.exceptions import Conflict, DomainError
from consortium.core.forms import show_error
from consortium.extensions import db

from .. import board as board_data
from .. import permissions
from ..constants import STAGES, label
from ..forms import NoteForm, ReplicationForm, StageForm, WithdrawForm
from ..services import replications as replication_services
from .common import _replication_or_404, _require, bp

# ---------------------------------------------------------------- replications

def _replication_page(rep, edit_form=None, stage_form=None, note_form=None, status=200, conflict=False):
    writer = permissions.can_write_replication(current_user, rep)
    today = local_today()
    if writer:
        submitted = {id(f) for f in (edit_form, stage_form, note_form) if f is not None}
        edit_form = edit_form or ReplicationForm(obj=rep, formdata=None)
        stage_form = stage_form or StageForm(formdata=None, occurred_on=today, to_stage=rep.stage)
        note_form = note_form or NoteForm(formdata=None, occurred_on=today)
        for f in (edit_form, stage_form, note_form):
            if conflict or id(f) not in submitted:
                f.version.data = rep.version  # the version the writer has now seen
    return render_template("scenarios/replication.html", rep=rep, events=replication_services.list_events(rep), writer=writer,
                           edit_form=edit_form, stage_form=stage_form, note_form=note_form, conflict=conflict,
                           stalled=board_data.is_stalled(rep.stage, rep.last_event_on, rep.scenario.group.stall_days,
                                                         today)), status


@bp.get("/replications/<int:replication_id>")
@login_required
def replication(replication_id):
    return _replication_page(_replication_or_404(replication_id))


def _write(replication_id, form_class, action, slot, message):
    rep = _replication_or_404(replication_id)
    _require(permissions.can_write_replication(current_user, rep))
    form = form_class()
    if not form.validate_on_submit():
        return _replication_page(rep, **{slot: form}, status=400)
    try:
        action(rep, form)
        db.session.commit()
        flash(message(rep) if callable(message) else message, "success")
        return redirect(url_for("scenarios.replication", replication_id=rep.id))
    except Conflict:
        db.session.rollback()
        rep = replication_services.get_replication(replication_id)
        return _replication_page(rep, **{slot: form}, status=409, conflict=True)
    except DomainError as e:
        db.session.rollback()
        show_error(form, e)
        return _replication_page(replication_services.get_replication(replication_id), **{slot: form}, status=400)


@bp.post("/replications/<int:replication_id>/edit")
@login_required
def edit_replication(replication_id):
    return _write(replication_id, ReplicationForm, lambda rep, f: replication_services.update_replication(
        current_user, rep, expected_version=f.version.data, **f.values()),
        "edit_form", _("Owner, next step and blockers saved."))


@bp.post("/replications/<int:replication_id>/stage")
@login_required
def change_stage(replication_id):
    return _write(replication_id, StageForm, lambda rep, f: replication_services.change_stage(
        current_user, rep, expected_version=f.version.data, **f.values()), "stage_form",
        lambda rep: _("Stage changed to %(stage)s.", stage=label(STAGES, rep.stage)))


@bp.post("/replications/<int:replication_id>/note")
@login_required
def add_note(replication_id):
    return _write(replication_id, NoteForm, lambda rep, f: replication_services.add_progress_note(
        current_user, rep, f.note.data, expected_version=f.version.data, occurred_on=f.occurred_on.data),
        "note_form", _("Progress note added."))


@bp.route("/replications/<int:replication_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(replication_id):
    """退出: a confirmation page with the reason, kept in the replication's history."""
    rep = _replication_or_404(replication_id)
    _require(permissions.can_write_replication(current_user, rep))
    form = WithdrawForm()
    if request.method == "GET":
        form.version.data = rep.version
        form.occurred_on.data = local_today()
    status = 200
    if form.validate_on_submit():
        try:
            replication_services.withdraw_replication(current_user, rep, expected_version=form.version.data,
                                                      **form.values())
            db.session.commit()
            flash(_("%(city)s withdrew from %(scenario)s; the reason is kept in the history.",
                    city=named(rep.member.city), scenario=named(rep.scenario)), "warning")
            return redirect(url_for("scenarios.replication", replication_id=rep.id))
        except DomainError as e:
            db.session.rollback()
            show_error(form, e)
            rep = replication_services.get_replication(replication_id)
            status = e.status
    elif request.method == "POST":
        status = 400
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Withdraw %(city)s from %(scenario)s?", city=named(rep.member.city),
                                   scenario=named(rep.scenario)),
                           explanation=_("The replication moves to Withdrawn. It stays in the history and on the "
                                         "board; it can be resumed later with a reason."),
                           cancel_url=url_for("scenarios.replication", replication_id=rep.id)), status
