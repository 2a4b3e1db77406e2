"""The common position: its editor, versions, differences, the position paper, and the
stances taken on it."""

from types import SimpleNamespace

from flask import abort, flash, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from werkzeug.datastructures import MultiDict
from wtforms import Form, ValidationError

from consortium.core.clock import utcnow
from consortium.core.entity import described, form_class, more_fields
from consortium.core.exceptions import Conflict, DomainError, PermissionDenied
from consortium.core.requests import row_id
from consortium.extensions import db

from .. import schemas, services
from .. import terms as term_rules
from ..constants import EDITABLE, TERM_TEMPLATES, TERM_TYPES, labels, standard_text
from ..forms import StanceForm, VersionForm
from .common import _act, _back, _coordinated_or_404, _dossier_or_404, _form_errors, bp

# the term's fields the editor and the version page lay out by hand; any other field of the
# term's definition (schemas.TermFields) gets an input of its kind and shows on the version page
LAID_OUT = ("key", "label", "type", "rationale", "red_line")


def _terms_from_form(form) -> list[dict]:
    """The editor posts term-<i>-<field> for every row (every field of the term's definition,
    its value and options); rows marked for removal are dropped."""
    rows = []
    indexes = sorted({n for k in form if k.startswith("term-") and (n := row_id(k.split("-")[1])) is not None})
    for i in indexes:
        get = lambda f: form.get(f"term-{i}-{f}", "")  # noqa: E731
        if get("remove"):
            continue
        tiers = term_rules.tiers_text_from_rows(form, prefix=f"term-{i}-")  # a tiered value edited in rows
        rows.append({**{name: get(name) for name in described(schemas.TermFields)}, "key": get("key").strip(),
                     "value": tiers if tiers is not None else get("value"),
                     "options": [o.strip() for o in get("options").replace("，", ",").replace("、", ",").split(",")]})
    return rows


def _editor_rows(terms):
    return [dict(t, text=term_rules.value_as_text(t), options_text=", ".join(t.get("options") or []))
            for t in terms]


def _more_inputs(rows) -> list:
    """For each row of the editor, a form of the term's defined fields the page does not lay out
    (``core.entity.form_class``), its inputs named term-<i>-<field> and holding the row's values."""
    form = form_class("TermRowForm", Form, schemas.TermFields, exclude=LAID_OUT)
    inputs = []
    for i, row in enumerate(rows):
        given = MultiDict({f"term-{i}-{name}": "y" if row.get(name) is True else str(row.get(name))
                           for name in form.FIELDS if row.get(name) not in (None, "", False)})
        inputs.append(form(formdata=given, prefix=f"term-{i}-"))
    return inputs


def more_term(term) -> list[tuple[str, object]]:
    """A stored term's defined fields the version page does not lay out, as (label, value)."""
    return more_fields(schemas.TermFields, SimpleNamespace(**term), LAID_OUT, str(get_locale()))


@bp.route("/<int:dossier_id>/position", methods=["GET", "POST"])
def position(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    current = services.current_position(dossier)
    base = dossier.current_version
    rows = _editor_rows(current.terms if current else [])
    error, status = None, 200
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        raw = _terms_from_form(request.form)
        base = request.form.get("base_version", type=int) or 0
        add = request.form.get("add_template")
        if add:  # add a standard or blank term and show the editor again, nothing saved
            new_term = term_rules.template_term(add) or term_rules.blank_term(
                key="", label="", type=add if add in TERM_TYPES else "text")
            rows = [dict(r, text=r["value"], options_text=", ".join(o for o in r["options"] if o)) for r in raw]
            rows.append(dict(new_term, text="", options_text=", ".join(new_term["options"])))
        else:
            try:
                version = services.save_position(current_user, dossier, raw, base_version=base,
                                                 **VersionForm(request.form).values())
                db.session.commit()
                flash(_("Version %(n)d of the position saved.", n=version.number), "success")
                return _back(dossier, "position")
            except Conflict as conflict:
                db.session.rollback()
                error, status = conflict.message, 409
            except DomainError as refused:
                db.session.rollback()
                if isinstance(refused, PermissionDenied):
                    abort(403)
                error, status = refused.message, 400
            rows = [dict(r, text=r["value"], options_text=", ".join(o for o in r["options"] if o)) for r in raw]
    used = {r["key"] for r in rows}
    templates = [(k, standard_text(label)) for k, label, _t, _o in TERM_TEMPLATES if k not in used]
    return render_template("negotiations/position.html", dossier=dossier, rows=rows, base=base, error=error,
                           term_types=labels(TERM_TYPES), templates=templates, editable=dossier.status in EDITABLE,
                           tier_rows=term_rules.tier_rows,
                           more_inputs=_more_inputs(rows), version_form=VersionForm(
                               request.form if request.method == "POST" else None),
                           sign_on_open=dossier.sign_on_version is not None), status


@bp.get("/<int:dossier_id>/versions")
def versions(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    return render_template("negotiations/versions.html", dossier=dossier, versions=services.versions(dossier))


@bp.get("/<int:dossier_id>/versions/<int:number>")
def version(dossier_id, number):
    dossier = _dossier_or_404(dossier_id)
    v = services.get_version(dossier, number)
    if v is None:
        abort(404)
    return render_template("negotiations/version.html", dossier=dossier, v=v, fmt=term_rules.format_value,
                           term_types=labels(TERM_TYPES), more_term=more_term,
                           more_version=more_fields(schemas.VersionFields, v, ("note",), str(get_locale())))


@bp.get("/<int:dossier_id>/diff")
def diff(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    all_versions = services.versions(dossier)
    numbers = [v.number for v in all_versions]
    to_n = request.args.get("to", type=int) or (numbers[-1] if numbers else 0)
    from_n = request.args.get("from", type=int) or max(to_n - 1, 1)
    entries = None
    if numbers:
        if from_n not in numbers or to_n not in numbers:
            flash(_("No such version."), "warning")
        else:
            entries = services.diff_versions(dossier, from_n, to_n)
    return render_template("negotiations/diff.html", dossier=dossier, numbers=numbers, from_n=from_n, to_n=to_n,
                           entries=entries)


@bp.get("/<int:dossier_id>/paper")
def paper(dossier_id):
    """The print-friendly position paper of the signed (else the current) version."""
    dossier = _dossier_or_404(dossier_id)
    number = dossier.sign_on_version or dossier.current_version
    v = services.get_version(dossier, number) if number else None
    if v is None:
        abort(404)
    sigs = [s for s in services.signatures(dossier, number) if s.signed]
    return render_template("negotiations/paper.html", dossier=dossier, v=v, signatories=sigs,
                           fmt=term_rules.format_value, printed_at=utcnow(), more_term=more_term,
                           breaches=services.breaches(dossier),
                           acknowledgements=[e for e in dossier.events if e.breached and e.acknowledgement])


@bp.post("/<int:dossier_id>/stance")
def stance(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    form = StanceForm()
    anchor = f"term-{form.term_key.data}" if form.term_key.data else "whole"
    if not form.validate_on_submit():
        return _form_errors(form, dossier, anchor)
    return _act(dossier, lambda: services.record_stance(current_user, dossier, term_key=form.term_key.data or "",
                                                        **form.values()),
                _("Your organisation's stance was recorded."), anchor)
