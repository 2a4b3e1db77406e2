"""Certificates: the list (members and the secretariat only), a certificate, recording and editing one."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.core.spreadsheets import to_csv, to_xlsx
from consortium.extensions import db

from .. import permissions, queries
from ..constants import CERTIFICATE_STATES
from ..forms import CertificateForm
from ..models import Certificate
from ..services import bodies as body_services
from ..services import certificates as certificate_services
from consortium.core.uscc import normalise_uscc
from ..services import check as check_services
from ..services import common as common_services
from ..schemas import CertificateFields
from consortium.core.pickers import make_picker

from .common import PER_PAGE, _body_choices, _locale, _or_404, bp, more_fields


def _certificate_search():
    """(the list's statement, the chosen body, the chosen state, q) from the query string: a number
    or a credit code is found by its index (a number whatever its case or width); only then a text
    match on the holder and the product; ``state`` is the derived state today."""
    q = (request.args.get("q") or "").strip()[:100]
    body_code = request.args.get("body") or ""
    state = request.args.get("state") or ""
    stmt = select(Certificate)
    chosen = None
    if body_code:
        chosen = body_services.find_body(body_code)
        if chosen is None:
            flash(_("Parameter %(name)s has an unknown value: %(value)s", name="body", value=body_code), "warning")
        else:
            stmt = stmt.where(Certificate.body_id == chosen.id)
    if state:
        if state not in CERTIFICATE_STATES:
            flash(_("Parameter %(name)s has an unknown value: %(value)s", name="state", value=state), "warning")
            state = ""
        else:
            stmt = stmt.where(certificate_services.state_clause(state))
    if q:
        exact = stmt.where(or_(Certificate.number_key == certificate_services.number_key(q),
                               Certificate.holder_uscc == normalise_uscc(q)))
        if db.session.scalar(exact.with_only_columns(Certificate.id).limit(1)) is not None:
            stmt = exact
        else:
            stmt = stmt.where(or_(Certificate.holder_name.contains(q, autoescape=True),
                                  Certificate.product_name.contains(q, autoescape=True)))
    return stmt, chosen, state, q


@bp.get("/certificates")
@login_required
def certificates():
    if not permissions.can_view_certificates(current_user):
        abort(404)
    stmt, chosen, state, q = _certificate_search()
    page = db.paginate(stmt.order_by(Certificate.id.desc()),  # newest recorded first (the primary key: cheap at 1M)
                       per_page=PER_PAGE, error_out=False, count=True)
    return render_template("registers/certificates.html", page=page, q=q, chosen=chosen, state=state,
                           states=CERTIFICATE_STATES, bodies=queries.list_bodies(),
                           can_record=bool(body_services.managed_bodies(current_user)),
                           export_args={k: v for k, v in (("q", q), ("body", chosen.code if chosen else ""),
                                                          ("state", state)) if v})


EXPORT_LIMIT = 100_000  # rows in one download; a narrower search gets the rest


@bp.get("/certificates.<any(csv, xlsx):fmt>")
@login_required
def export_certificates(fmt):
    """The list's search as a spreadsheet: the certificate's columns (as the import reads them) and its
    state today, derived from its dates (the same rule as the list and the check)."""
    if not permissions.can_view_certificates(current_user):
        abort(404)
    stmt, _chosen, _state, _q = _certificate_search()
    headers, rows = certificate_services.certificate_table(
        db.session.scalars(stmt.order_by(Certificate.id).limit(EXPORT_LIMIT)), _locale())
    name = f"cdou-certificates-{common_services.today().isoformat()}.{fmt}"
    if fmt == "csv":
        return Response(to_csv(headers, rows), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    return Response(to_xlsx(headers, rows, _("Certificates")),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


# the fields of CertificateFields that registers/certificate.html lays out itself
LAID_OUT = {"number", "holder_name", "holder_uscc", "product_name", "issued_on", "valid_until", "status",
            "status_changed_on", "status_reason"}


@bp.get("/certificates/<int:certificate_id>")
@login_required
def certificate(certificate_id):
    c = _or_404(certificate_services.get_certificate, current_user, certificate_id)
    today = common_services.today()
    return render_template("registers/certificate.html", c=c, bodies=queries.list_bodies(),
                           more=more_fields(CertificateFields, c, LAID_OUT), today=today,
                           recognised=check_services.recognised_by(c, today, _locale()),
                           cities=queries.cities_with_bodies(),
                           can_manage=permissions.can_manage_body(current_user, c.body))


@bp.route("/certificates/new", methods=["GET", "POST"])
@login_required
def new_certificate():
    bodies = body_services.managed_bodies(current_user)
    if not bodies:
        abort(403)
    form = CertificateForm()
    make_picker(form.body, _body_choices(bodies))
    if request.method == "GET" and request.args.get("body"):
        form.body.data = request.args["body"]

    def create():
        chosen = next((b for b in bodies if b.code == form.body.data), None)
        if chosen is None:
            raise DomainError(_("Choose the issuing body."), field="body")
        return certificate_services.create_certificate(current_user, chosen, **form.values())
    saved = save_form(form, create)
    if saved:
        flash(_("Certificate %(number)s recorded.", number=saved.number), "success")
        return redirect(url_for(".certificate", certificate_id=saved.id))
    return render_template("registers/form.html", form=form, title=_("Record a certificate"))


@bp.route("/certificates/<int:certificate_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certificate(certificate_id):
    c = _or_404(certificate_services.get_certificate, current_user, certificate_id)
    if not permissions.can_manage_body(current_user, c.body):
        abort(403)
    form = CertificateForm(obj=c)
    del form.body
    saved = save_form(form, lambda: certificate_services.update_certificate(current_user, c, **form.values()))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for(".certificate", certificate_id=c.id))
    return render_template("registers/form.html", form=form, title=_("Edit certificate %(number)s", number=c.number))
