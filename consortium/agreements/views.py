"""The agreement pages: list, detail (with the parties' confirmations), record, edit, confirm."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.counterparties.queries import list_counterparties
from consortium.members.pickers import member_choices
from consortium.members.services import active_members
from consortium.scenarios.pickers import scenario_choices
from consortium.core.pickers import make_picker, picker_choices
from consortium.core.entity import more_fields
from consortium.core.forms import save_form
from consortium.extensions import db
from consortium.counterparties.models import Counterparty
from consortium.members.models import Member
from consortium.scenarios import services as scenarios
from consortium.core.loaders import or_404
from consortium.core.requests import row_id

from . import permissions, services
from .forms import AgreementForm, ConfirmForm
from .schemas import AgreementFields

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


def _require(allowed):
    if not allowed:
        abort(403 if current_user.is_authenticated else 401)


def _agreement_or_404(agreement_id):
    return or_404(services.get_agreement(agreement_id), lambda a: permissions.can_view(current_user, a))


@bp.get("/")
def index():
    items = db.session.scalars(services.list_agreements(current_user)).all()
    return render_template("agreements/index.html", items=items)


@bp.get("/<int:agreement_id>")
def detail(agreement_id):
    a = _agreement_or_404(agreement_id)
    confirm_form = ConfirmForm(formdata=None, version=a.version) if services.awaiting(current_user, a) else None
    return render_template("agreements/detail.html", a=a, confirm_form=confirm_form,
                           can_edit=permissions.can_edit(current_user, a),
                           more_fields=more_fields(AgreementFields, a, LAID_OUT, str(get_locale())))


# The fields agreements/detail.html lays out itself; any other defined field is listed under them.
LAID_OUT = {"subject", "signed_on", "status", "is_public", "description", "documents"}


def _form(a=None):
    form = AgreementForm(obj=a)
    locale = str(get_locale())  # names in the page's language, sorted by pinyin in Chinese
    make_picker(form.members, member_choices(active_members(), locale))
    make_picker(form.counterparties, picker_choices(list_counterparties(), locale, value=lambda c: c.id))
    make_picker(form.scenarios, scenario_choices(db.session.scalars(scenarios.list_scenarios()), locale))
    if a is not None and request.method == "GET":
        form.members.data = [str(p.member_id) for p in a.parties if p.member_id]
        form.counterparties.data = [str(p.counterparty_id) for p in a.parties if p.counterparty_id]
        form.scenarios.data = [str(s.id) for s in a.scenarios]
    return form


def _fields(form):
    def objects(get, ids):
        return [o for o in (get(n) for n in map(row_id, ids) if n is not None) if o is not None]
    return {**form.values(),
            "members": objects(lambda i: db.session.get(Member, i), form.members.data),
            "counterparties": objects(lambda i: db.session.get(Counterparty, i), form.counterparties.data),
            "scenarios": objects(scenarios.get_scenario, form.scenarios.data)}


def _saved_message(a):
    if a.is_draft:
        return _("Saved as a draft: the other parties see it and confirm it; until then it is not public.")
    return _("Changes saved.")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _require(permissions.can_record(current_user))
    form = _form()
    a = save_form(form, lambda: services.record_agreement(current_user, **_fields(form)))
    if a:
        flash(_saved_message(a), "success")
        return redirect(url_for("agreements.detail", agreement_id=a.id))
    return render_template("agreements/form.html", form=form, title=_("Record a co-operation agreement"))


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agreement_id):
    a = _agreement_or_404(agreement_id)
    _require(permissions.can_edit(current_user, a))
    form = _form(a)
    saved = save_form(form, lambda: services.update_agreement(current_user, a, expected_version=form.version.data,
                                                              **_fields(form)))
    if saved:
        flash(_saved_message(a), "success")
        if not permissions.can_view(current_user, a):  # withdrew from a draft
            return redirect(url_for("agreements.index"))
        return redirect(url_for("agreements.detail", agreement_id=a.id))
    return render_template("agreements/form.html", form=form, title=a.subject)


@bp.post("/<int:agreement_id>/confirm")
@login_required
def confirm(agreement_id):
    a = _agreement_or_404(agreement_id)
    _require(permissions.can_confirm(current_user, a))
    form = ConfirmForm()
    done = save_form(form, lambda: services.confirm_agreement(current_user, a, expected_version=form.version.data))
    if done:
        flash(_("Your confirmation was recorded.") if a.is_draft else
              _("Every party has confirmed: the agreement is in effect as shown."), "success")
    return redirect(url_for("agreements.detail", agreement_id=a.id))
