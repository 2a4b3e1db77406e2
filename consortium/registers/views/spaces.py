"""Trusted data spaces: the list, a space, recording and editing one, linking catalog entries to it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.catalog.services import get_resource
from consortium.core.naming import named
from consortium.core.exceptions import DomainError, NotFound
from consortium.core.forms import save_form
from consortium.core.loaders import found_or_404
from consortium.core.pickers import make_picker
from consortium.extensions import db
from consortium.geo.services import city_named

from .. import permissions, queries
from ..constants import SPACE_KINDS, SPACE_STATUSES
from ..forms import SpaceForm
from ..schemas import SpaceFields
from ..services import spaces as space_services
from .common import _city_choices, _member_choices, _member_from, _or_404, bp, more_fields


@bp.get("/data-spaces")
def spaces():
    kind = request.args.get("kind") if request.args.get("kind") in SPACE_KINDS else None
    status = request.args.get("status") if request.args.get("status") in SPACE_STATUSES else None
    return render_template("registers/spaces.html", spaces=queries.list_spaces(kind, status), kind=kind,
                           status=status, progress=queries.data_space_progress(),
                           can_create=permissions.can_create_space(current_user))


# the fields of SpaceFields that registers/space.html lays out itself
LAID_OUT = {"name", "name_en", "kind", "domains", "circulation_modes", "status", "launched_on", "description"}


@bp.get("/data-spaces/<int:space_id>")
def space(space_id):
    s = _or_404(space_services.get_space, space_id)
    return render_template("registers/space.html", s=s, resources=queries.resources_of_space(current_user, s.id),
                           more=more_fields(SpaceFields, s, LAID_OUT),
                           can_manage=permissions.can_manage_space(current_user, s))


def _space_form(obj=None):
    form = SpaceForm(obj=obj)
    make_picker(form.operator, _member_choices(current_user))
    make_picker(form.city, _city_choices())
    return form


def _space_values(form):
    return {**form.values(), "operator": _member_from(form.operator.data), "city": city_named(form.city.data)}


@bp.route("/data-spaces/new", methods=["GET", "POST"])
@login_required
def new_space():
    if not permissions.can_create_space(current_user):
        abort(403)
    form = _space_form()
    saved = save_form(form, lambda: space_services.create_space(current_user, **_space_values(form)))
    if saved:
        flash(_("Data space %(name)s recorded.", name=named(saved)), "success")
        return redirect(url_for(".space", space_id=saved.id))
    return render_template("registers/form.html", form=form, title=_("Record a trusted data space"))


@bp.route("/data-spaces/<int:space_id>/edit", methods=["GET", "POST"])
@login_required
def edit_space(space_id):
    s = _or_404(space_services.get_space, space_id)
    if not permissions.can_manage_space(current_user, s):
        abort(403)
    form = _space_form(obj=s)
    if request.method == "GET":
        form.domains.data = s.domain_list
        form.circulation_modes.data = s.circulation_modes
        form.operator.data = s.operator.code if s.operator else ""
        form.city.data = s.city.adcode if s.city else ""
    saved = save_form(form, lambda: space_services.update_space(current_user, s, **_space_values(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".space", space_id=s.id))
    return render_template("registers/form.html", form=form, title=_("Edit %(name)s", name=named(s)))


def _resource_or_404(resource_id):
    return found_or_404(get_resource, current_user, resource_id)


@bp.post("/resources/<int:resource_id>/data-spaces")
@login_required
def link(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_link_resource(current_user, resource):
        abort(403)
    try:
        s = space_services.get_space(int(request.form.get("space") or 0))
    except (NotFound, ValueError):
        flash(_("Choose a data space."), "danger")
        return redirect(url_for("catalog.detail", resource_id=resource.id))
    try:
        space_services.link_resource(current_user, s, resource)
        db.session.commit()
        flash(_("%(title)s is now listed as available in %(space)s.", title=resource.title, space=named(s)), "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "warning")
    return redirect(url_for("catalog.detail", resource_id=resource.id))


@bp.post("/resources/<int:resource_id>/data-spaces/<int:space_id>/unlink")
@login_required
def unlink(resource_id, space_id):
    resource = _resource_or_404(resource_id)
    s = _or_404(space_services.get_space, space_id)
    if not permissions.can_link_resource(current_user, resource):
        abort(403)
    try:
        space_services.unlink_resource(current_user, s, resource)
        db.session.commit()
        flash(_("%(title)s is no longer linked to %(space)s.", title=resource.title, space=named(s)), "info")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "warning")
    return redirect(request.form.get("next") if request.form.get("next") == url_for(".space", space_id=s.id)
                    else url_for("catalog.detail", resource_id=resource.id))
