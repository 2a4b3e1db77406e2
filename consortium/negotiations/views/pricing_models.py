"""The register of pricing models (/pricing): list, model page with its calculator,
comparison, and the model form."""

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.core.loaders import or_404
from consortium.core.rows import posted_rows
from consortium.core.validation import parse_date
from consortium.core.requests import row_id

from .. import permissions, pricing, services
from ..constants import PRICING_KINDS, labels
from ..forms import PricingModelForm
from .common import pricing_bp


def _require_pricing_reader():
    if not permissions.can_view_pricing(current_user):
        abort(401)


def _model_or_404(model_id):
    return or_404(services.get_pricing_model(model_id))


def _calculate(model, args):
    raw = args.get("amount")
    if raw in (None, ""):
        return None, None
    try:
        on = parse_date(args.get("on"), "on")
    except DomainError:
        return None, _("The date must be in the form YYYY-MM-DD.")
    try:
        return pricing.calculate(model.kind, model.schedule, raw, on=on, stage=args.get("stage") or None), None
    except DomainError as error:
        return None, error.message


@pricing_bp.get("/", endpoint="index")
def pricing_index():
    _require_pricing_reader()
    return render_template("negotiations/pricing_index.html", models=services.list_pricing_models(),
                           describe=pricing.describe, can_add=permissions.can_add_pricing(current_user))


@pricing_bp.get("/<int:model_id>")
def model(model_id):
    _require_pricing_reader()
    m = _model_or_404(model_id)
    result, error = _calculate(m, request.args)
    return render_template("negotiations/pricing_detail.html", m=m, result=result, error=error,
                           describe=pricing.describe, fmt=pricing.format_amount, args=request.args,
                           can_edit=permissions.can_edit_pricing(current_user, m))


@pricing_bp.get("/compare")
def compare():
    _require_pricing_reader()
    ids = [n for n in map(row_id, request.args.getlist("ids")) if n is not None][:6]
    models = [m for m in (services.get_pricing_model(i) for i in ids) if m is not None]
    results = [(m, *_calculate(m, request.args)) for m in models]
    return render_template("negotiations/pricing_compare.html", results=results, all_models=services.list_pricing_models(),
                           ids=ids, args=request.args, describe=pricing.describe, fmt=pricing.format_amount)


SCHEDULE_ROWS_EXTRA = 2  # blank rows to add tiers or stages without JavaScript


def _pricing_form(model=None):
    """The form, and per kind the rows of its schedule table: as posted, or as stored (for the
    model's kind), and blank rows."""
    form = PricingModelForm(obj=model)
    form.schedule = SimpleNamespace(errors=[])  # where a refused schedule's message goes (core.forms.show_error)
    form.schedule_rows = {}
    for kind, columns in pricing.ROW_COLUMNS.items():
        rows = posted_rows(request.form, pricing.ROW_PREFIX[kind], columns) if request.method == "POST" else None
        if rows is None:
            rows = pricing.schedule_rows(kind, model.schedule) if model is not None and model.kind == kind else []
        form.schedule_rows[kind] = rows + [dict.fromkeys(columns, "") for _ in range(SCHEDULE_ROWS_EXTRA)]
    return form


def _save_pricing(form, model=None):
    def save():
        kind = form.kind.data
        rows = posted_rows(request.form, pricing.ROW_PREFIX.get(kind, ""), pricing.ROW_COLUMNS.get(kind, ()))
        schedule = pricing.schedule_from_rows(kind, rows)
        return services.save_pricing_model(current_user, model, **(form.values() | {"schedule": schedule}),
                                           member=model.member if model else current_user.member)
    return save_form(form, save)


def _form_page(form, m):
    return render_template("negotiations/pricing_form.html", form=form, m=m, kinds=labels(PRICING_KINDS),
                           columns=pricing.ROW_COLUMNS, prefixes=pricing.ROW_PREFIX)


@pricing_bp.route("/new", methods=["GET", "POST"])
@login_required
def new_model():
    if not permissions.can_add_pricing(current_user):
        abort(403)
    form = _pricing_form()
    saved = _save_pricing(form)
    if saved:
        flash(_("Model saved."), "success")
        return redirect(url_for("pricing.model", model_id=saved.id))
    return _form_page(form, None)


@pricing_bp.route("/<int:model_id>/edit", methods=["GET", "POST"])
@login_required
def edit_model(model_id):
    m = _model_or_404(model_id)
    if not permissions.can_edit_pricing(current_user, m):
        abort(403)
    form = _pricing_form(m)
    if _save_pricing(form, m):
        flash(_("Model saved."), "success")
        return redirect(url_for("pricing.model", model_id=m.id))
    return _form_page(form, m)
