"""/resources/access-requests: ask to use an entry, answer it with the terms, the period and the
way of delivery, deliver, confirm receipt, and follow the history."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.naming import named
from consortium.audit.services import history_of
from consortium.auth.permissions import is_secretariat
from consortium.core.exceptions import NotFound
from consortium.core.forms import save_form
from consortium.core.loaders import found_or_404
from consortium.extensions import db

from .. import extras
from .. import services as catalog_services
from ..constants import OPENNESS, label
from . import permissions, services
from .forms import AccessRequestForm, ApproveForm, DeclineForm, DeliverForm, ReceiptForm
from .models import DELIVERY_METHODS, STATUSES

bp = Blueprint("catalog_access", __name__, url_prefix="/resources")

ROLES = ("outgoing", "incoming", "all")


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
        flash(_("Your organisation already has an open request for %(title)s.", title=resource.title), "info")
        return redirect(url_for(".detail", request_id=pending.id))
    form = AccessRequestForm()
    saved = save_form(form, lambda: services.request_access(current_user, resource, **form.values()))
    if saved:
        flash(_("Your request to use %(title)s was sent to %(member)s.", title=resource.title,
                member=named(resource.member)), "success")
        return redirect(url_for(".detail", request_id=saved.id))
    return render_template("catalog/access/form.html", form=form, r=resource,
                           openness_label=label(OPENNESS, resource.openness, str(get_locale())))


@bp.get("/access-requests/")
@login_required
def index():
    """A member's list opens on its own requests; the secretariat's on all."""
    default = "all" if is_secretariat(current_user) else "outgoing"
    role = request.args.get("role") if request.args.get("role") in ROLES else default
    status = request.args.get("status")
    if status not in STATUSES:
        status = None
    rows = services.list_requests(current_user, role=None if role == "all" else role, status=status)
    return render_template("catalog/access/index.html", rows=rows, role=role, status=status, statuses=STATUSES)


def _space_choices(form, req):
    spaces = extras.delivery_spaces()
    form.delivery_space_id.choices = [("", _("— none —"))] + [
        (str(space_id), name) for space_id, name, _own in (spaces.choices(req.resource) if spaces else [])]


def _forms(req, approve_form=None, decline_form=None, deliver_form=None, receipt_form=None) -> dict:
    """The forms the viewer may use on this request, as they were posted or freshly filled."""
    out = {"approve_form": None, "decline_form": None, "deliver_form": None, "receipt_form": None}
    if permissions.can_decide(current_user, req):
        if approve_form is None:
            defaults = services.grant_defaults(current_user, req)
            space = defaults.pop("delivery_space_id")
            approve_form = ApproveForm(formdata=None, data={**defaults, "delivery_space_id": str(space or "")})
        _space_choices(approve_form, req)
        out["approve_form"] = approve_form
        out["decline_form"] = decline_form or DeclineForm(formdata=None)
    if permissions.can_deliver(current_user, req):
        out["deliver_form"] = deliver_form or DeliverForm(formdata=None)
    if permissions.can_confirm_receipt(current_user, req):
        out["receipt_form"] = receipt_form or ReceiptForm(formdata=None)
    return out


def _render(req, status=200, **forms):
    spaces = extras.delivery_spaces()
    space = spaces.describe(req.delivery_space_id) if spaces and req.delivery_space_id else None
    return render_template("catalog/access/detail.html", req=req, state=req.state(), space=space,
                           delivery_methods=DELIVERY_METHODS, locale=str(get_locale()), history=history_of(req),
                           can_withdraw=permissions.can_withdraw(current_user, req), **_forms(req, **forms)), status


@bp.get("/access-requests/<int:request_id>")
@login_required
def detail(request_id):
    return _render(_request_or_404(request_id))


def _refused(req, **forms):
    db.session.rollback()
    db.session.refresh(req)
    return _render(req, 400, **forms)


@bp.post("/access-requests/<int:request_id>/approve")
@login_required
def approve(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_decide(current_user, req):
        abort(403)
    form = ApproveForm()
    _space_choices(form, req)
    saved = save_form(form, lambda: services.decide_request(current_user, req, approve=True,
                                                             delivery_space_id=form.delivery_space_id.data or None,
                                                             **form.values()))
    if not saved:
        return _refused(req, approve_form=form)
    flash(_("Approved: %(member)s may use %(title)s until %(day)s.", member=named(req.requester_member),
            title=req.resource.title, day=req.granted_until.isoformat()), "success")
    return redirect(url_for(".detail", request_id=req.id))


@bp.post("/access-requests/<int:request_id>/decline")
@login_required
def decline(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_decide(current_user, req):
        abort(403)
    form = DeclineForm()
    if not save_form(form, lambda: services.decide_request(current_user, req, approve=False, **form.values())):
        return _refused(req, decline_form=form)
    flash(_("Declined the request of %(member)s to use %(title)s.", member=named(req.requester_member),
            title=req.resource.title), "info")
    return redirect(url_for(".detail", request_id=req.id))


@bp.post("/access-requests/<int:request_id>/deliver")
@login_required
def deliver(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_deliver(current_user, req):
        abort(403)
    form = DeliverForm()
    if not save_form(form, lambda: services.mark_delivered(current_user, req, **form.values())):
        return _refused(req, deliver_form=form)
    flash(_("%(title)s is marked as delivered to %(member)s; it will confirm receipt.", title=req.resource.title,
            member=named(req.requester_member)), "success")
    return redirect(url_for(".detail", request_id=req.id))


@bp.post("/access-requests/<int:request_id>/receipt")
@login_required
def receipt(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_confirm_receipt(current_user, req):
        abort(403)
    form = ReceiptForm()
    if not save_form(form, lambda: services.confirm_receipt(current_user, req, **form.values())):
        return _refused(req, receipt_form=form)
    flash(_("Receipt of %(title)s from %(member)s confirmed.", title=req.resource.title,
            member=named(req.owner_member)), "success")
    return redirect(url_for(".detail", request_id=req.id))


@bp.post("/access-requests/<int:request_id>/withdraw")
@login_required
def withdraw(request_id):
    req = _request_or_404(request_id)
    if not permissions.can_withdraw(current_user, req):
        abort(403)
    services.withdraw_request(current_user, req)
    db.session.commit()
    flash(_("Your request to use %(title)s was withdrawn; %(member)s was told.", title=req.resource.title,
            member=named(req.owner_member)), "info")
    return redirect(url_for(".detail", request_id=req.id))


def status_label(code) -> str:
    """A request's status as the reader's language names it (templates: ``access_status_label``)."""
    return STATUSES.label(code, str(get_locale()))
