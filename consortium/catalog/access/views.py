"""/resources/access-requests: ask to use an entry, answer, and follow the history."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.audit.services import history_of
from consortium.auth.permissions import is_secretariat
from consortium.core.exceptions import NotFound
from consortium.core.forms import save_form
from consortium.extensions import db
from consortium.core.loaders import found_or_404

from .. import services as catalog_services
from . import permissions, services
from .forms import AccessRequestForm, DecisionForm
from .models import STATUSES

bp = Blueprint("catalog_access", __name__, url_prefix="/resources")

ROLES = ("incoming", "outgoing", "all")


def _request_or_404(request_id):
    return found_or_404(services.get_request, current_user, request_id)


@bp.route("/<int:resource_id>/request-access", methods=["GET", "POST"])
@login_required
def new(resource_id):
    try:
        resource = catalog_services.get_resource(current_user, resource_id)
    except NotFound:
        abort(404)
    if not permissions.can_request(current_user, resource):
        abort(403)
    pending = services.open_request_of(current_user, resource)
    if pending is not None:
        flash(_("Your organisation already has an open request for this entry."), "info")
        return redirect(url_for(".detail", request_id=pending.id))
    form = AccessRequestForm()
    saved = save_form(form, lambda: services.request_access(current_user, resource, **form.values()))
    if saved:
        flash(_("Your request was sent to %(member)s.", member=resource.member.name), "success")
        return redirect(url_for(".detail", request_id=saved.id))
    from flask_babel import get_locale

    from ..constants import OPENNESS, label
    return render_template("catalog/access/form.html", form=form, r=resource,
                           openness_label=label(OPENNESS, resource.openness, str(get_locale())))


@bp.get("/access-requests/")
@login_required
def index():
    default = "all" if is_secretariat(current_user) else "incoming"
    role = request.args.get("role") if request.args.get("role") in ROLES else default
    status = request.args.get("status")
    if status not in STATUSES:
        status = "pending" if role == "incoming" and "status" not in request.args else None
    rows = services.list_requests(current_user, role=None if role == "all" else role, status=status)
    return render_template("catalog/access/index.html", rows=rows, role=role, status=status, statuses=STATUSES)


@bp.get("/access-requests/<int:request_id>")
@login_required
def detail(request_id):
    req = _request_or_404(request_id)
    form = DecisionForm() if permissions.can_decide(current_user, req) else None
    return render_template("catalog/access/detail.html", req=req, form=form, history=history_of(req),
                           can_withdraw=permissions.can_withdraw(current_user, req))


@bp.post("/access-requests/<int:request_id>/decide")
@login_required
def decide(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_decide(current_user, req):
        abort(403)
    form = DecisionForm()
    approve = bool(form.approve.data)
    saved = save_form(form, lambda: services.decide_request(current_user, req, approve=approve,
                                                             **form.values()))
    if saved:
        flash(_("Request approved.") if approve else _("Request declined."), "success")
        return redirect(url_for(".detail", request_id=req.id))
    db.session.refresh(req)
    return render_template("catalog/access/detail.html", req=req, form=form, history=history_of(req),
                           can_withdraw=False), 400


@bp.post("/access-requests/<int:request_id>/withdraw")
@login_required
def withdraw(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_withdraw(current_user, req):
        abort(403)
    services.withdraw_request(current_user, req)
    db.session.commit()
    flash(_("Your request was withdrawn."), "info")
    return redirect(url_for(".detail", request_id=req.id))


def status_label(code) -> str:
    """A request's status as the reader's language names it (templates: ``access_status_label``)."""
    from flask_babel import get_locale
    return STATUSES.label(code, str(get_locale()))

