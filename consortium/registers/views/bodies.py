"""The overview and the registration bodies: a body's page, recording and editing one."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from consortium.auth.permissions import is_signed_in
from consortium.core.forms import save_form
from consortium.extensions import db
from consortium.geo.services import city_named

from .. import permissions, queries
from ..forms import BodyForm
from ..models import Certificate, Recognition
from ..services import bodies as body_services
from ..schemas import BodyFields
from consortium.core.pickers import make_picker

from .common import more_fields, _city_choices, _locale, _member_choices, _member_from, _or_404, bp


@bp.get("/")
def index():
    net = queries.network()
    locale = _locale()
    bodies = sorted(queries.list_bodies(), key=lambda b: (-(net.recognises[b.id] + net.recognised_by[b.id]),
                                                          b.display_name(locale)))
    agreements = db.session.scalar(select(func.count(Recognition.id)))
    progress = queries.data_space_progress()
    certificates = db.session.scalar(select(func.count(Certificate.id))) if is_signed_in(current_user) else None
    return render_template("registers/index.html", bodies=bodies, net=net, agreements=agreements,
                           progress=progress, certificates=certificates,
                           can_create=permissions.can_create_body(current_user))


# the fields of BodyFields that registers/body.html lays out itself (the code is the page's address)
LAID_OUT = {"code", "name", "name_en", "register_url"}


@bp.get("/bodies/<code>")
def body(code):
    b = _or_404(body_services.get_body, code)
    agreements = list(db.session.scalars(select(Recognition).options(selectinload(Recognition.suspensions)).where(
        or_(Recognition.recognising_body_id == b.id, Recognition.issuing_body_id == b.id))
        .order_by(Recognition.effective_from.desc())))
    certificates, total = [], 0
    if permissions.can_view_certificates(current_user):
        total = db.session.scalar(select(func.count(Certificate.id)).where(Certificate.body_id == b.id))
        certificates = db.session.scalars(select(Certificate).where(Certificate.body_id == b.id)
                                          .order_by(Certificate.issued_on.desc(), Certificate.id.desc()).limit(20)).all()
    return render_template("registers/body.html", b=b, more=more_fields(BodyFields, b, LAID_OUT),
                           agreements=agreements, certificates=certificates,
                           total=total, can_manage=permissions.can_manage_body(current_user, b))


def _body_form_values(form):
    return {**form.values(), "city": city_named(form.city.data), "member": _member_from(form.member.data)}


@bp.route("/bodies/new", methods=["GET", "POST"])
@login_required
def new_body():
    if not permissions.can_create_body(current_user):
        abort(403)
    form = BodyForm()
    make_picker(form.member, _member_choices(current_user))
    make_picker(form.city, _city_choices())
    saved = save_form(form, lambda: body_services.create_body(current_user, **_body_form_values(form)))
    if saved:
        flash(_("Registration body %(name)s recorded.", name=saved.name), "success")
        return redirect(url_for(".body", code=saved.code))
    return render_template("registers/form.html", form=form, title=_("Record a registration body"))


@bp.route("/bodies/<code>/edit", methods=["GET", "POST"])
@login_required
def edit_body(code):
    b = _or_404(body_services.get_body, code)
    if not permissions.can_manage_body(current_user, b):
        abort(403)
    form = BodyForm(obj=b)
    del form.code
    make_picker(form.member, _member_choices(current_user))
    make_picker(form.city, _city_choices())
    if request.method == "GET":
        form.city.data = b.city.adcode
        form.member.data = b.member.code if b.member else ""
    saved = save_form(form, lambda: body_services.update_body(current_user, b, **_body_form_values(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".body", code=b.code))
    return render_template("registers/form.html", form=form, title=_("Edit %(name)s", name=b.name))
