"""/resources: the joint city data-resource map (search, facets, entry pages, forms)."""
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.audit.services import history_of
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.exceptions import DomainError, NotFound
from consortium.extensions import db
from consortium.members.services import get_member_by_code

from . import permissions, search, services
from .constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS, label
from .forms import ResourceForm

bp = Blueprint("catalog", __name__, url_prefix="/resources")

def _params_from_request():
    """Shareable URLs keep working when a value no longer exists: the bad parameter is
    dropped with a warning instead of failing the page."""
    args = request.args.to_dict()
    for _attempt in range(len(args) + 1):
        try:
            return search.SearchParams.from_args(args)
        except DomainError as e:
            flash(e.message, "warning")
            if e.field not in args:
                break
            args.pop(e.field)
    return search.SearchParams.from_args({})


def _pages(result):
    pages = max(1, -(-result["total"] // result["per_page"]))
    page = result["page"]
    return SimpleNamespace(page=page, pages=pages, has_prev=page > 1, prev_num=page - 1,
                           has_next=page < pages, next_num=page + 1)


def _facet_titles():
    return {"province": _("Province"), "city": _("City"), "member": _("Member"), "domain": _("Domain"),
            "mode": _("Circulation mode"), "openness": _("Openness"), "frequency": _("Update frequency")}


@bp.get("/")
def index():
    params = _params_from_request()
    result = search.search(current_user, params)
    return render_template("catalog/index.html", params=params, result=result, pages=_pages(result),
                           facet_titles=_facet_titles(), sorts=_sort_labels(),
                           can_create=bool(services.editable_members(current_user)), **_vocab())


def _sort_labels():
    return {"updated": _("Recently updated data"), "newest": _("Newest entries"), "title": _("Title"),
            "records": _("Most records")}


def _vocab():
    locale = str(get_locale())
    return {"vocab_label": lambda vocabulary, code: label(vocabulary, code, locale),
            "DOMAINS": DOMAINS, "FREQUENCIES": FREQUENCIES, "OPENNESS": OPENNESS, "MODES": CIRCULATION_MODES}


def _resource_or_404(resource_id):
    try:
        return services.get_resource(current_user, resource_id)
    except NotFound:
        abort(404)


@bp.get("/<int:resource_id>")
def detail(resource_id):
    resource = _resource_or_404(resource_id)
    history = history_of(resource) if is_signed_in(current_user) else []
    return render_template("catalog/detail.html", r=resource, history=history,
                           can_edit=permissions.can_edit(current_user, resource), **_vocab())


def _prepare(form, members):
    locale = str(get_locale())
    if "member" in form:
        form.member.choices = [(m.code, m.display_name(locale)) for m in members]
    form.domain.choices = [(c, label(DOMAINS, c, locale)) for c in DOMAINS]
    form.frequency.choices = [(c, label(FREQUENCIES, c, locale)) for c in FREQUENCIES]
    form.openness.choices = [(c, label(OPENNESS, c, locale)) for c in OPENNESS]
    form.circulation_modes.choices = [(c, label(CIRCULATION_MODES, c, locale)) for c in CIRCULATION_MODES]


def _field_error(form, error):
    field = getattr(form, error.field or "", None)
    if field is None or error.field == "submit":
        flash(error.message, "danger")
    else:
        field.errors = list(field.errors) + [error.message]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    members = services.editable_members(current_user)
    if not members:
        abort(403)
    form = ResourceForm()
    choose_member = is_secretariat(current_user)
    if not choose_member:
        del form.member
    _prepare(form, members)
    if request.method == "GET":
        if choose_member:
            form.member.data = request.args.get("member") or members[0].code
        form.frequency.data, form.openness.data = "monthly", "conditional"
    if form.validate_on_submit():
        member = get_member_by_code(form.member.data or "") if choose_member else members[0]
        if member is None or member not in members:
            abort(403)
        try:
            resource = services.create_resource(current_user, member, **form.values())
            db.session.commit()
            flash(_("Resource %(title)s added to the map.", title=resource.title), "success")
            return redirect(url_for("catalog.detail", resource_id=resource.id))
        except DomainError as e:
            db.session.rollback()
            _field_error(form, e)
    return render_template("catalog/form.html", form=form, resource=None)


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    form = ResourceForm(obj=resource)
    del form.member
    _prepare(form, [resource.member])
    if request.method == "GET":
        form.circulation_modes.data = resource.circulation_modes
    if form.validate_on_submit():
        try:
            services.update_resource(current_user, resource, **form.values())
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("catalog.detail", resource_id=resource.id))
        except DomainError as e:
            db.session.rollback()
            _field_error(form, e)
    return render_template("catalog/form.html", form=form, resource=resource)


@bp.post("/<int:resource_id>/retire")
@login_required
def retire(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    services.retire_resource(current_user, resource)
    db.session.commit()
    flash(_("%(title)s was retired: it no longer appears on the map.", title=resource.title), "warning")
    return redirect(url_for("catalog.detail", resource_id=resource.id))


@bp.post("/<int:resource_id>/reinstate")
@login_required
def reinstate(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_edit(current_user, resource):
        abort(403)
    services.reinstate_resource(current_user, resource)
    db.session.commit()
    flash(_("%(title)s is back on the map.", title=resource.title), "success")
    return redirect(url_for("catalog.detail", resource_id=resource.id))
