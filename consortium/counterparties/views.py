from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.naming import named
from consortium.core.entity import more_fields
from consortium.core.exceptions import NotFound
from consortium.core.forms import save_form
from consortium.extensions import db
from consortium.core.loaders import or_404
from consortium.core.signals import values_from

from . import permissions, services
from .forms import ContactForm, CounterpartyForm
from .signals import page_panels
from .schemas import CounterpartyFields

bp = Blueprint("counterparties", __name__, url_prefix="/counterparties")


def _require_manager():
    if not permissions.can_manage(current_user):
        abort(403 if current_user.is_authenticated else 401)


def _counterparty_or_404(counterparty_id):
    return or_404(services.get_counterparty(counterparty_id))


def _fields(form):
    return form.values()


@bp.get("/")
def index():
    return render_template("counterparties/index.html", items=services.list_counterparties())


@bp.get("/<int:counterparty_id>")
def detail(counterparty_id):
    cp = _counterparty_or_404(counterparty_id)
    return render_template("counterparties/detail.html", cp=cp, panels=[html for html in values_from(page_panels, cp, user=current_user) if html],
                           show_contacts=permissions.can_view_contacts(current_user),
                           contact_form=ContactForm() if permissions.can_manage(current_user) else None,
                           more_fields=more_fields(CounterpartyFields, cp, LAID_OUT, str(get_locale())))


# The fields counterparties/detail.html lays out itself; any other defined field is listed under them.
LAID_OUT = {"name", "name_en", "kind", "credit_code", "website", "description"}


@bp.route("/manage", methods=["GET", "POST"])
@login_required
def manage():
    _require_manager()
    form = CounterpartyForm()
    cp = save_form(form, lambda: services.add_counterparty(current_user, **_fields(form)))
    if cp:
        flash(_("Counterparty %(name)s recorded.", name=named(cp)), "success")
        return redirect(url_for("counterparties.manage"))
    return render_template("counterparties/manage.html", form=form, items=services.list_counterparties())


@bp.route("/<int:counterparty_id>/edit", methods=["GET", "POST"])
@login_required
def edit(counterparty_id):
    _require_manager()
    cp = _counterparty_or_404(counterparty_id)
    form = CounterpartyForm(obj=cp)
    if save_form(form, lambda: services.update_counterparty(current_user, cp, **_fields(form))):
        flash(_("Changes saved."), "success")
        return redirect(url_for("counterparties.detail", counterparty_id=cp.id))
    return render_template("counterparties/form.html", form=form, cp=cp)


@bp.post("/<int:counterparty_id>/contacts")
@login_required
def add_contact(counterparty_id):
    _require_manager()
    cp = _counterparty_or_404(counterparty_id)
    form = ContactForm()
    if save_form(form, lambda: services.add_contact(current_user, cp, **form.values())):
        flash(_("Contact added."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(url_for("counterparties.detail", counterparty_id=cp.id))


@bp.post("/<int:counterparty_id>/contacts/<int:contact_id>/remove")
@login_required
def remove_contact(counterparty_id, contact_id):
    _require_manager()
    cp = _counterparty_or_404(counterparty_id)
    try:
        services.remove_contact(current_user, cp, contact_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("Contact removed."), "info")
    return redirect(url_for("counterparties.detail", counterparty_id=cp.id))
