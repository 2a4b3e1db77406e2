"""Amendments: proposing one and the coordinator's decision."""

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.extensions import db

from .. import services
from .. import terms as term_rules
from ..forms import AmendmentForm, DecideForm
from ..models import Amendment
from .common import _act, _coordinated_or_404, _dossier_or_404, _form_errors, bp


@bp.post("/<int:dossier_id>/amendments")
def propose(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    tiers = term_rules.tiers_text_from_rows(request.form)  # a tiered term proposed in the tier editor's rows
    if tiers is not None:
        posted = request.form.copy()
        posted["value"] = tiers
        form = AmendmentForm(formdata=posted)
    else:
        form = AmendmentForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "amendments")
    return _act(dossier, lambda: services.propose_amendment(current_user, dossier, term_key=form.term_key.data,
                                                            **form.values()),
                _("Amendment proposed to the coordinator."), "amendments")


@bp.post("/<int:dossier_id>/amendments/<int:amendment_id>/decide")
def decide(dossier_id, amendment_id):
    dossier = _coordinated_or_404(dossier_id)
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None or amendment.dossier_id != dossier.id:
        abort(404)
    form = DecideForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "amendments")
    accept = form.accept.data == "1"
    return _act(dossier, lambda: services.decide_amendment(current_user, dossier, amendment, accept=accept,
                                                           **form.values()),
                _("Amendment accepted: a new version was saved.") if accept else _("Amendment rejected."),
                "amendments")
