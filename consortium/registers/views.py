"""/registers: registration bodies, certificates (with import), recognition agreements,
the recognition check, the network view, and trusted data spaces."""
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS
from consortium.catalog.constants import label as catalog_label
from consortium.core.exceptions import DomainError, NotFound
from consortium.core.forms import save_form, show_error
from consortium.core.import_batches import cancel_preview, confirm_preview
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.members.models import Member
from consortium.members.services import active_members
from consortium.core.loaders import found_or_404

from . import charts, imports, permissions, queries, services
from .constants import CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES, label
from .forms import (
    BodyForm,
    CertificateForm,
    RecognitionChangeForm,
    RecognitionForm,
    SpaceForm,
)
from .models import Certificate, Recognition, RegistrationBody

bp = Blueprint("registers", __name__, url_prefix="/registers")
PER_PAGE = 50


def _locale() -> str:
    return str(get_locale())


@bp.context_processor
def _helpers():
    locale = _locale()
    return {"reg_label": lambda vocabulary, code: label(vocabulary, code, locale),
            "cat_label": lambda vocabulary, code: catalog_label(vocabulary, code, locale),
            "CERTIFICATE_STATUSES": CERTIFICATE_STATUSES, "SPACE_KINDS": SPACE_KINDS,
            "SPACE_STATUSES": SPACE_STATUSES, "DOMAINS": DOMAINS, "MODES": CIRCULATION_MODES,
            "state_of": services.current_state}


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


def _date_arg(name="date") -> tuple[date, str | None]:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return services.today(), None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return services.today(), _("Enter a date as YYYY-MM-DD.")


def _member_choices(actor, allow_none=True):
    locale = _locale()
    if is_secretariat(actor):
        members = active_members()
    else:
        members = [actor.member] if actor.member is not None else []
    choices = [("", _("— none —"))] if allow_none and is_secretariat(actor) else []
    return choices + [(m.code, m.display_name(locale)) for m in members]


def _member_from(code):
    return db.session.scalar(select(Member).where(Member.code == code)) if code else None


# ---------------------------------------------------------------- overview and bodies

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


@bp.get("/bodies/<code>")
def body(code):
    b = _or_404(services.get_body, code)
    agreements = list(db.session.scalars(select(Recognition).options(selectinload(Recognition.suspensions)).where(
        or_(Recognition.recognising_body_id == b.id, Recognition.issuing_body_id == b.id))
        .order_by(Recognition.effective_from.desc())))
    certificates, total = [], 0
    if permissions.can_view_certificates(current_user):
        total = db.session.scalar(select(func.count(Certificate.id)).where(Certificate.body_id == b.id))
        certificates = db.session.scalars(select(Certificate).where(Certificate.body_id == b.id)
                                          .order_by(Certificate.issued_on.desc(), Certificate.id.desc()).limit(20)).all()
    return render_template("registers/body.html", b=b, agreements=agreements, certificates=certificates,
                           total=total, can_manage=permissions.can_manage_body(current_user, b))


def _body_form_values(form):
    city = find_city(form.city.data or "")
    if city is None:
        raise DomainError(_("Unknown city: %(name)s", name=form.city.data), field="city")
    return {"name": form.name.data, "name_en": form.name_en.data, "city": city,
            "member": _member_from(form.member.data), "register_url": form.register_url.data}


@bp.route("/bodies/new", methods=["GET", "POST"])
@login_required
def new_body():
    if not permissions.can_create_body(current_user):
        abort(403)
    form = BodyForm()
    form.member.choices = _member_choices(current_user)
    saved = save_form(form, lambda: services.create_body(current_user, code=form.code.data,
                                                         **_body_form_values(form)))
    if saved:
        flash(_("Registration body %(name)s recorded.", name=saved.name), "success")
        return redirect(url_for(".body", code=saved.code))
    return render_template("registers/form.html", form=form, title=_("Record a registration body"))


@bp.route("/bodies/<code>/edit", methods=["GET", "POST"])
@login_required
def edit_body(code):
    b = _or_404(services.get_body, code)
    if not permissions.can_manage_body(current_user, b):
        abort(403)
    form = BodyForm(obj=b)
    del form.code
    form.member.choices = _member_choices(current_user)
    if request.method == "GET":
        form.city.data = b.city.name
        form.member.data = b.member.code if b.member else ""
    saved = save_form(form, lambda: services.update_body(current_user, b, **_body_form_values(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".body", code=b.code))
    return render_template("registers/form.html", form=form, title=_("Edit %(name)s", name=b.name))


# ---------------------------------------------------------------- certificates

def _body_choices(bodies):
    locale = _locale()
    return [(b.code, b.display_name(locale)) for b in bodies]


@bp.get("/certificates")
@login_required
def certificates():
    if not permissions.can_view_certificates(current_user):
        abort(404)
    q = (request.args.get("q") or "").strip()[:100]
    body_code = request.args.get("body") or ""
    stmt = select(Certificate)
    chosen = None
    if body_code:
        chosen = services.find_body(body_code)
        if chosen is None:
            flash(_("Parameter %(name)s has an unknown value: %(value)s", name="body", value=body_code), "warning")
        else:
            stmt = stmt.where(Certificate.body_id == chosen.id)
    if q:
        # a number or a credit code is found by its index; only then fall back to a text match
        exact = stmt.where(or_(Certificate.number == q, Certificate.holder_uscc == services.normalise_uscc(q)))
        if db.session.scalar(exact.with_only_columns(Certificate.id).limit(1)) is not None:
            stmt = exact
        else:
            stmt = stmt.where(or_(Certificate.holder_name.contains(q, autoescape=True),
                                  Certificate.product_name.contains(q, autoescape=True)))
    page = db.paginate(stmt.order_by(Certificate.id.desc()),  # newest recorded first (the primary key: cheap at 1M)
                       per_page=PER_PAGE, error_out=False, count=True)
    return render_template("registers/certificates.html", page=page, q=q, chosen=chosen,
                           bodies=queries.list_bodies(), can_record=bool(services.managed_bodies(current_user)))


@bp.get("/certificates/<int:certificate_id>")
@login_required
def certificate(certificate_id):
    c = _or_404(services.get_certificate, current_user, certificate_id)
    return render_template("registers/certificate.html", c=c, bodies=queries.list_bodies(),
                           can_manage=permissions.can_manage_body(current_user, c.body))


def _certificate_form(obj=None):
    form = CertificateForm(obj=obj)
    locale = _locale()
    form.status.choices = [(k, label(CERTIFICATE_STATUSES, k, locale)) for k in CERTIFICATE_STATUSES]
    return form


@bp.route("/certificates/new", methods=["GET", "POST"])
@login_required
def new_certificate():
    bodies = services.managed_bodies(current_user)
    if not bodies:
        abort(403)
    form = _certificate_form()
    form.body.choices = _body_choices(bodies)
    if request.method == "GET" and request.args.get("body"):
        form.body.data = request.args["body"]

    def create():
        chosen = next((b for b in bodies if b.code == form.body.data), None)
        if chosen is None:
            raise DomainError(_("Choose the issuing body."), field="body")
        return services.create_certificate(current_user, chosen, **form.values())
    saved = save_form(form, create)
    if saved:
        flash(_("Certificate %(number)s recorded.", number=saved.number), "success")
        return redirect(url_for(".certificate", certificate_id=saved.id))
    return render_template("registers/form.html", form=form, title=_("Record a certificate"))


@bp.route("/certificates/<int:certificate_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certificate(certificate_id):
    c = _or_404(services.get_certificate, current_user, certificate_id)
    if not permissions.can_manage_body(current_user, c.body):
        abort(403)
    form = _certificate_form(obj=c)
    del form.body
    saved = save_form(form, lambda: services.update_certificate(current_user, c, **form.values()))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".certificate", certificate_id=c.id))
    return render_template("registers/form.html", form=form, title=_("Edit certificate %(number)s", number=c.number))


# ---------------------------------------------------------------- certificate import

def _import_page(error=None, status=200, chosen=None):
    return render_template("registers/import.html", bodies=services.managed_bodies(current_user), error=error,
                           chosen=chosen, max_rows=imports.MAX_ROWS,
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(e):
    if request.endpoint == "registers.import_upload" and is_signed_in(current_user):
        return _import_page(_("The file is larger than %(n)d MB. Split it into smaller files.",
                              n=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), 413)
    from consortium.errors import render_error
    return render_error(413)


@bp.get("/certificates/import")
@login_required
def import_form():
    if not services.managed_bodies(current_user):
        abort(403)
    return _import_page(chosen=request.args.get("body"))


@bp.get("/certificates/import/template.xlsx")
def import_template():
    return Response(imports.template_xlsx(_locale()),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=cdou-certificates-template.xlsx"})


@bp.post("/certificates/import")
@login_required
def import_upload():
    bodies = services.managed_bodies(current_user)
    if not bodies:
        abort(403)
    code = request.form.get("body") or (bodies[0].code if len(bodies) == 1 else "")
    chosen = next((b for b in bodies if b.code == code), None)
    if chosen is None:
        return _import_page(_("Choose the body that issued these certificates."), 400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page(_("Choose a file to upload."), 400, chosen=chosen.code)
    try:
        result = imports.parse_upload(upload.read(), upload.filename)
    except imports.UploadRejected as e:
        return _import_page(e.message, 400, chosen=chosen.code)
    token = plan = None
    if result.ok:
        plan = imports.plan_import(chosen, result.rows)
        token = imports.save_batch(current_user, chosen, result.rows, upload.filename)
        db.session.commit()
    return render_template("registers/import_preview.html", result=result, plan=plan, token=token, b=chosen,
                           filename=upload.filename, problems=result.problems[:1000], fields=imports.FIELD_LABELS)


@bp.post("/certificates/import/<token>/confirm")
@login_required
def import_confirm(token):
    b = confirm_preview(imports, current_user, token, RegistrationBody)
    return redirect(url_for(".certificates", body=b.code)) if b else redirect(url_for(".import_form"))


@bp.post("/certificates/import/<token>/cancel")
@login_required
def import_cancel(token):
    cancel_preview(imports, current_user, token)
    return redirect(url_for(".import_form"))


# ---------------------------------------------------------------- recognition agreements

@bp.get("/recognitions")
def recognitions():
    body_code = request.args.get("body") or ""
    chosen = services.find_body(body_code) if body_code else None
    stmt = select(Recognition).options(selectinload(Recognition.suspensions)).order_by(
        Recognition.effective_from.desc(), Recognition.id.desc())
    if chosen is not None:
        stmt = stmt.where(or_(Recognition.recognising_body_id == chosen.id, Recognition.issuing_body_id == chosen.id))
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("registers/recognitions.html", page=page, chosen=chosen, bodies=queries.list_bodies(),
                           can_record=bool(services.managed_bodies(current_user)))


@bp.get("/recognitions/<int:recognition_id>")
def recognition(recognition_id):
    r = _or_404(services.get_recognition, recognition_id)
    return render_template("registers/recognition.html", r=r, events=services.history(r),
                           state=services.current_state(r), form=RecognitionChangeForm(),
                           can_change=permissions.can_change_recognition(current_user, r))


@bp.route("/recognitions/new", methods=["GET", "POST"])
@login_required
def new_recognition():
    mine = services.managed_bodies(current_user)
    if not mine:
        abort(403)
    form = RecognitionForm()
    everyone = queries.list_bodies()
    form.recognising_body.choices = _body_choices(everyone)
    form.issuing_body.choices = _body_choices(everyone)
    if request.method == "GET":
        form.recognising_body.data = request.args.get("body") or mine[0].code

    def create():
        by_code = {b.code: b for b in everyone}
        return services.create_recognition(
            current_user, recognising_body=by_code.get(form.recognising_body.data),
            issuing_body=by_code.get(form.issuing_body.data), mutual=form.mutual.data,
            effective_from=form.effective_from.data, document_ref=form.document_ref.data)
    saved = save_form(form, create)
    if saved:
        flash(_("Recognition agreement %(ref)s recorded.", ref=saved.document_ref), "success")
        return redirect(url_for(".recognition", recognition_id=saved.id))
    return render_template("registers/form.html", form=form, title=_("Record a recognition agreement"))


def _change(recognition_id, action, done):
    r = _or_404(services.get_recognition, recognition_id)
    if not permissions.can_change_recognition(current_user, r):
        abort(403)
    form = RecognitionChangeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for(".recognition", recognition_id=r.id))
    try:
        action(current_user, r, on=form.on.data, reason=form.reason.data)
        db.session.commit()
        flash(done, "success")
    except DomainError as e:
        db.session.rollback()
        show_error(form, e)
        if e.field in form:  # show_error put it on the field; this page redirects, so flash it
            flash(e.message, "danger")
    return redirect(url_for(".recognition", recognition_id=r.id))


@bp.post("/recognitions/<int:recognition_id>/suspend")
@login_required
def suspend(recognition_id):
    return _change(recognition_id, services.suspend_recognition, _("The agreement was suspended."))


@bp.post("/recognitions/<int:recognition_id>/resume")
@login_required
def resume(recognition_id):
    return _change(recognition_id, services.resume_recognition, _("The agreement was resumed."))


@bp.post("/recognitions/<int:recognition_id>/revoke")
@login_required
def revoke(recognition_id):
    return _change(recognition_id, services.revoke_recognition, _("The agreement was revoked."))


# ---------------------------------------------------------------- the check and the network

@bp.get("/check")
@login_required
def check():
    if not permissions.can_check_recognition(current_user):
        abort(404)
    answer = error = None
    if request.args.get("certificate") or request.args.get("body"):
        try:
            answer = services.check_from_params(current_user, request.args)
        except DomainError as e:
            error = e
    return render_template("registers/check.html", answer=answer, error=error, args=request.args,
                           bodies=queries.list_bodies(), today=services.today())


@bp.get("/network")
def network():
    on, problem = _date_arg()
    if problem:
        flash(problem, "warning")
    body_code = request.args.get("body") or ""
    chosen = services.find_body(body_code) if body_code else None
    net = queries.network(on, chosen)
    locale = _locale()
    prefix = url_for(".body", code="_").rstrip("_")
    figure = charts.network_figure(net, locale, lambda b: prefix + b.code)
    rows = sorted(net.bodies, key=lambda b: (-(net.recognises[b.id] + net.recognised_by[b.id]), b.name))
    if chosen is None:
        rows = [b for b in rows if net.recognises[b.id] or net.recognised_by[b.id]]
    config = {"topojsonURL": url_for("static", filename="vendor/topojson/"), "displaylogo": False,
              "responsive": True, "modeBarButtonsToRemove": ["toImage", "select2d", "lasso2d"]}
    mutual = sum(1 for e in net.edges if e[2] == "mutual")
    return render_template("registers/network.html", net=net, figure=figure, config=config, rows=rows[:400],
                           hidden=max(0, len(rows) - 400), chosen=chosen, on=on, bodies=net.bodies,
                           mutual=mutual, one_way=len(net.edges) - mutual)


# ---------------------------------------------------------------- trusted data spaces

@bp.get("/data-spaces")
def spaces():
    kind = request.args.get("kind") if request.args.get("kind") in SPACE_KINDS else None
    status = request.args.get("status") if request.args.get("status") in SPACE_STATUSES else None
    return render_template("registers/spaces.html", spaces=queries.list_spaces(kind, status), kind=kind,
                           status=status, progress=queries.data_space_progress(),
                           can_create=permissions.can_create_space(current_user))


@bp.get("/data-spaces/<int:space_id>")
def space(space_id):
    s = _or_404(services.get_space, space_id)
    return render_template("registers/space.html", s=s, resources=queries.resources_of_space(current_user, s.id),
                           can_manage=permissions.can_manage_space(current_user, s))


def _space_form(obj=None):
    form = SpaceForm(obj=obj)
    locale = _locale()
    form.kind.choices = [(k, label(SPACE_KINDS, k, locale)) for k in SPACE_KINDS]
    form.status.choices = [(k, label(SPACE_STATUSES, k, locale)) for k in SPACE_STATUSES]
    form.domains.choices = [(k, catalog_label(DOMAINS, k, locale)) for k in DOMAINS]
    form.circulation_modes.choices = [(k, catalog_label(CIRCULATION_MODES, k, locale)) for k in CIRCULATION_MODES]
    form.operator.choices = _member_choices(current_user)
    return form


def _space_values(form):
    city = None
    if form.city.data:
        city = find_city(form.city.data)
        if city is None:
            raise DomainError(_("Unknown city: %(name)s", name=form.city.data), field="city")
    return {"name": form.name.data, "name_en": form.name_en.data, "kind": form.kind.data,
            "status": form.status.data, "domains": form.domains.data, "circulation_modes": form.circulation_modes.data,
            "operator": _member_from(form.operator.data), "city": city, "launched_on": form.launched_on.data,
            "description": form.description.data}


@bp.route("/data-spaces/new", methods=["GET", "POST"])
@login_required
def new_space():
    if not permissions.can_create_space(current_user):
        abort(403)
    form = _space_form()
    saved = save_form(form, lambda: services.create_space(current_user, **_space_values(form)))
    if saved:
        flash(_("Data space %(name)s recorded.", name=saved.name), "success")
        return redirect(url_for(".space", space_id=saved.id))
    return render_template("registers/form.html", form=form, title=_("Record a trusted data space"))


@bp.route("/data-spaces/<int:space_id>/edit", methods=["GET", "POST"])
@login_required
def edit_space(space_id):
    s = _or_404(services.get_space, space_id)
    if not permissions.can_manage_space(current_user, s):
        abort(403)
    form = _space_form(obj=s)
    if request.method == "GET":
        form.domains.data = s.domain_list
        form.circulation_modes.data = s.circulation_modes
        form.operator.data = s.operator.code if s.operator else ""
        form.city.data = s.city.name if s.city else ""
    saved = save_form(form, lambda: services.update_space(current_user, s, **_space_values(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".space", space_id=s.id))
    return render_template("registers/form.html", form=form, title=_("Edit %(name)s", name=s.name))


def _resource_or_404(resource_id):
    from consortium.catalog.services import get_resource
    return found_or_404(get_resource, current_user, resource_id)


@bp.post("/resources/<int:resource_id>/data-spaces")
@login_required
def link(resource_id):
    resource = _resource_or_404(resource_id)
    if not permissions.can_link_resource(current_user, resource):
        abort(403)
    try:
        s = services.get_space(int(request.form.get("space") or 0))
    except (NotFound, ValueError):
        flash(_("Choose a data space."), "danger")
        return redirect(url_for("catalog.detail", resource_id=resource.id))
    try:
        services.link_resource(current_user, s, resource)
        db.session.commit()
        flash(_("%(title)s is now listed as available in %(space)s.", title=resource.title, space=s.name), "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "warning")
    return redirect(url_for("catalog.detail", resource_id=resource.id))


@bp.post("/resources/<int:resource_id>/data-spaces/<int:space_id>/unlink")
@login_required
def unlink(resource_id, space_id):
    resource = _resource_or_404(resource_id)
    s = _or_404(services.get_space, space_id)
    if not permissions.can_link_resource(current_user, resource):
        abort(403)
    try:
        services.unlink_resource(current_user, s, resource)
        db.session.commit()
        flash(_("%(title)s is no longer linked to %(space)s.", title=resource.title, space=s.name), "info")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "warning")
    return redirect(request.form.get("next") if request.form.get("next") == url_for(".space", space_id=s.id)
                    else url_for("catalog.detail", resource_id=resource.id))
