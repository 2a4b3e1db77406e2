"""Recognition agreements: the list, an agreement and its history, recording, suspending,
resuming and revoking one."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form, show_error
from consortium.extensions import db

from .. import permissions, queries
from ..forms import RecognitionChangeForm, RecognitionForm
from ..models import Recognition
from ..services import bodies as body_services
from ..services import recognitions as recognition_services
from ..schemas import RecognitionFields
from consortium.core.pickers import make_picker

from .common import more_fields, PER_PAGE, _body_choices, _or_404, bp


@bp.get("/recognitions")
def recognitions():
    body_code = request.args.get("body") or ""
    chosen = body_services.find_body(body_code) if body_code else None
    stmt = select(Recognition).options(selectinload(Recognition.suspensions)).order_by(
        Recognition.effective_from.desc(), Recognition.id.desc())
    if chosen is not None:
        stmt = stmt.where(or_(Recognition.recognising_body_id == chosen.id, Recognition.issuing_body_id == chosen.id))
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("registers/recognitions.html", page=page, chosen=chosen, bodies=queries.list_bodies(),
                           can_record=bool(body_services.managed_bodies(current_user)))


# the fields of RecognitionFields that registers/recognition.html lays out itself
LAID_OUT = {"mutual", "effective_from", "document_ref"}


@bp.get("/recognitions/<int:recognition_id>")
def recognition(recognition_id):
    r = _or_404(recognition_services.get_recognition, recognition_id)
    return render_template("registers/recognition.html", r=r, events=recognition_services.history(r),
                           more=more_fields(RecognitionFields, r, LAID_OUT),
                           state=recognition_services.current_state(r), form=RecognitionChangeForm(),
                           can_change=permissions.can_change_recognition(current_user, r))


@bp.route("/recognitions/new", methods=["GET", "POST"])
@login_required
def new_recognition():
    mine = body_services.managed_bodies(current_user)
    if not mine:
        abort(403)
    form = RecognitionForm()
    everyone = queries.list_bodies()
    make_picker(form.recognising_body, _body_choices(everyone))
    make_picker(form.issuing_body, _body_choices(everyone))
    if request.method == "GET":
        form.recognising_body.data = request.args.get("body") or mine[0].code

    def create():
        by_code = {b.code: b for b in everyone}
        return recognition_services.create_recognition(
            current_user, recognising_body=by_code.get(form.recognising_body.data),
            issuing_body=by_code.get(form.issuing_body.data), **form.values())
    saved = save_form(form, create)
    if saved:
        flash(_("Recognition agreement %(ref)s recorded.", ref=saved.document_ref), "success")
        return redirect(url_for(".recognition", recognition_id=saved.id))
    return render_template("registers/form.html", form=form, title=_("Record a recognition agreement"))


def _change(recognition_id, action, done):
    r = _or_404(recognition_services.get_recognition, recognition_id)
    if not permissions.can_change_recognition(current_user, r):
        abort(403)
    form = RecognitionChangeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for(".recognition", recognition_id=r.id))
    try:
        action(current_user, r, **form.values())
        db.session.commit()
        flash(done, "success")
    except DomainError as e:
        db.session.rollback()
        show_error(form, e)
        if e.field in form:  # show_error put it on the field; this page redirects, so flash it
            flash(e.message, "danger")
    return redirect(url_for(".recognition", recognition_id=r.id))


@bp.post("/recognitions/<int:recognition_id>/suspend")
@login_required
def suspend(recognition_id):
    return _change(recognition_id, recognition_services.suspend_recognition, _("The agreement was suspended."))


@bp.post("/recognitions/<int:recognition_id>/resume")
@login_required
def resume(recognition_id):
    return _change(recognition_id, recognition_services.resume_recognition, _("The agreement was resumed."))


@bp.post("/recognitions/<int:recognition_id>/revoke")
@login_required
def revoke(recognition_id):
    return _change(recognition_id, recognition_services.revoke_recognition, _("The agreement was revoked."))
