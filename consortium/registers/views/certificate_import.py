"""Importing certificates from a spreadsheet: upload, preview, confirm or cancel."""
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from consortium.auth.permissions import is_signed_in
from consortium.core.import_batches import cancel_preview, confirm_preview
from consortium.errors import render_error
from consortium.extensions import db

from .. import imports
from ..models import RegistrationBody
from ..services import bodies as body_services
from .common import _locale, bp


def _import_page(error=None, status=200, chosen=None):
    return render_template("registers/import.html", bodies=body_services.managed_bodies(current_user), error=error,
                           chosen=chosen, max_rows=imports.MAX_ROWS,
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(e):
    if request.endpoint == "registers.import_upload" and is_signed_in(current_user):
        return _import_page(_("The file is larger than %(n)d MB. Split it into smaller files.",
                              n=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), 413)
    return render_error(413)


@bp.get("/certificates/import")
@login_required
def import_form():
    if not body_services.managed_bodies(current_user):
        abort(403)
    return _import_page(chosen=request.args.get("body"))


@bp.get("/certificates/import/template.xlsx")
def import_template():
    return Response(imports.template_xlsx(_locale()),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=cdou-certificates-template.xlsx"})


@bp.post("/certificates/import")
@login_required
def import_upload():
    bodies = body_services.managed_bodies(current_user)
    if not bodies:
        abort(403)
    code = request.form.get("body") or (bodies[0].code if len(bodies) == 1 else "")
    chosen = next((b for b in bodies if b.code == code), None)
    if chosen is None:
        return _import_page(_("Choose the body that issued these certificates."), 400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page(_("Choose a file to upload."), 400, chosen=chosen.code)
    try:
        result = imports.parse_upload(upload.read(), upload.filename)
    except imports.UploadRejected as e:
        return _import_page(e.message, 400, chosen=chosen.code)
    token = plan = None
    if result.ok:
        plan = imports.plan_import(chosen, result.rows)
        token = imports.save_batch(current_user, chosen, result.rows, upload.filename)
        db.session.commit()
    return render_template("registers/import_preview.html", result=result, plan=plan, token=token, b=chosen,
                           filename=upload.filename, problems=result.problems[:1000], fields=imports.FIELD_LABELS)


@bp.post("/certificates/import/<token>/confirm")
@login_required
def import_confirm(token):
    b = confirm_preview(imports, current_user, token, RegistrationBody)
    return redirect(url_for(".certificates", body=b.code)) if b else redirect(url_for(".import_form"))


@bp.post("/certificates/import/<token>/cancel")
@login_required
def import_cancel(token):
    cancel_preview(imports, current_user, token)
    return redirect(url_for(".import_form"))
