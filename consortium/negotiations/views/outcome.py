"""The outcome page of a negotiation."""
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consortium.core.exceptions import DomainError
from consortium.core.forms import show_error
from consortium.core.validation import parse_date
from consortium.extensions import db

from .. import permissions, services
from .. import terms as term_rules
from ..constants import CONCLUDED, NEGOTIATING, OUTCOME_RESULTS, labels
from ..forms import SignOnForm
from .common import _dossier_or_404, bp


@bp.route("/<int:dossier_id>/outcome", methods=["GET", "POST"])
def outcome(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    coordinating = permissions.can_coordinate(current_user, dossier)
    number = dossier.sign_on_version or dossier.current_version
    v = services.get_version(dossier, number) if number else None
    rows = {o.term_key: o for o in services.outcomes(dossier)}
    form = SignOnForm()  # only for its CSRF check
    typed_summary = None
    if request.method == "POST":
        if not coordinating:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        results = {t["key"]: (request.form.get(f"result-{t['key']}", ""), request.form.get(f"obtained-{t['key']}", ""))
                   for t in (v.terms if v else [])}
        try:
            review_on = parse_date(request.form.get("review_on"), "review_on")
        except DomainError:
            flash(_("The review date must be in the form YYYY-MM-DD."), "danger")
        else:
            try:
                found = services.record_outcome(current_user, dossier, results=results,
                                                summary=request.form.get("summary", ""), review_on=review_on,
                                                acknowledgement=request.form.get("acknowledgement", ""))
                db.session.commit()
                flash(_("Outcome saved."), "success")
                for breach in found:
                    flash(breach.message, "danger")
                return redirect(url_for("negotiations.outcome", dossier_id=dossier.id))
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
                # a refused outcome keeps what was typed (the acknowledgement is asked for beside it)
                rows = {key: SimpleNamespace(result=result, obtained=obtained)
                        for key, (result, obtained) in results.items() if result}
                typed_summary = request.form.get("summary", "")
    return render_template("negotiations/outcome.html", dossier=dossier, v=v, rows=rows, coordinating=coordinating,
                           results=labels(OUTCOME_RESULTS), fmt=term_rules.format_value, form=form,
                           line=term_rules.red_line_text, breached={b.key: b for b in services.breaches(dossier)},
                           summary=dossier.outcome_summary if typed_summary is None else typed_summary,
                           can_record=coordinating and dossier.status in (NEGOTIATING, CONCLUDED))
