"""HTML pages of joint negotiations (/negotiations) and of the pricing-model register
(/pricing). A dossier the viewer may not see answers 404 on every page, whoever asks."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consortium.core.clock import local_today
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.core.forms import save_form, show_error
from consortium.counterparties.services import get_counterparty, list_counterparties
from consortium.extensions import db
from consortium.members.models import Member
from consortium.members.services import active_members
from consortium.core.loaders import or_404
from consortium.core.validation import parse_date

from . import permissions, pricing, services, terms as term_rules
from .constants import (ABANDONED, CONCLUDED, EDITABLE, NEGOTIATING, OUTCOME_RESULTS, PRICING_KINDS, STANCES,
                        STATUSES, TERM_TEMPLATES, TERM_TYPES, TRANSITIONS)
from .forms import (AmendmentForm, as_choices, DecideForm, DossierForm, InviteForm, PricingModelForm, RespondForm, SignForm,
                    SignOnForm, StanceForm, TransitionForm, WithdrawForm)

bp = Blueprint("negotiations", __name__, url_prefix="/negotiations")
pricing_bp = Blueprint("pricing", __name__, url_prefix="/pricing")


def _dossier_or_404(dossier_id, *, invited_ok=False):
    dossier = services.get_dossier(dossier_id)
    if dossier is None:
        abort(404)
    if permissions.can_view(current_user, dossier):
        return dossier
    if invited_ok and permissions.can_answer_invitation(current_user, dossier):
        return dossier
    abort(404)


def _coordinated_or_404(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    if not permissions.can_coordinate(current_user, dossier):
        abort(403)
    return dossier


def _back(dossier, anchor=None):
    return redirect(url_for("negotiations.detail", dossier_id=dossier.id, _anchor=anchor))


def _act(dossier, action, success, anchor=None):
    """Run a service for a POST, commit, flash; a refused rule is flashed and nothing is saved."""
    try:
        action()
        db.session.commit()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _back(dossier, anchor)
    if success:
        flash(success, "success")
    return _back(dossier, anchor)


def _form_errors(form, dossier, anchor=None):
    for errors in form.errors.values():
        for error in errors:
            flash(error, "danger")
    return _back(dossier, anchor)


def counterparty_panel(user, counterparty):
    """The dossiers with a counterparty, on its page: only those ``user`` may see, else nothing."""
    from markupsafe import Markup

    from .queries import list_visible_dossiers_with
    dossiers = list_visible_dossiers_with(user, counterparty)
    if not dossiers:
        return ""
    return Markup(render_template("negotiations/_counterparty_panel.html", dossiers=dossiers))


# ---- list, create, edit

@bp.get("/")
@login_required
def index():
    if not permissions.can_open_dossier(current_user):
        abort(403)
    status = request.args.get("status")
    q = (request.args.get("q") or "").strip() or None
    page = db.paginate(services.list_dossiers(current_user, status=status, q=q),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("negotiations/index.html", page=page, statuses=STATUSES, status=status, q=q or "",
                           invitations=services.list_invitations(current_user))


def _dossier_choices(form):
    form.counterparty.choices = as_choices((c.id, c.name) for c in list_counterparties())
    members = active_members()
    if current_user.is_secretariat:
        form.coordinator.choices = as_choices((m.id, m.name) for m in members)
    else:
        form.coordinator.choices = as_choices([(current_user.member_id, current_user.member.name)])
    from consortium.scenarios.services import list_scenarios
    form.scenarios.choices = as_choices((s.id, s.title) for s in db.session.scalars(list_scenarios()))


def _linked(form):
    from consortium.catalog.models import DataResource
    from consortium.catalog.permissions import can_view
    from consortium.scenarios.models import Scenario
    ids = [int(x) for x in form.scenarios.data or [] if str(x).isdigit()]
    scenarios = db.session.scalars(select(Scenario).where(Scenario.id.in_(ids))).all() if ids else []
    raw = [x.strip().lstrip("#") for x in (form.resources.data or "").replace("，", ",").split(",") if x.strip()]
    if any(not x.isdigit() for x in raw):
        raise DomainError(_("Resource-map entries are given by number, separated by commas."), field="resources")
    resources = db.session.scalars(select(DataResource).where(DataResource.id.in_([int(x) for x in raw]))).all()
    if len(resources) != len(set(raw)) or not all(can_view(current_user, r) for r in resources):
        raise DomainError(_("Some resource-map entries do not exist."), field="resources")
    return scenarios, resources


def _quorum_text(dossier):
    return "all" if dossier.quorum_num == dossier.quorum_den else f"{dossier.quorum_num}/{dossier.quorum_den}"


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_open_dossier(current_user):
        abort(403)
    form = DossierForm()
    _dossier_choices(form)

    def create():
        scenarios, resources = _linked(form)
        return services.create_dossier(
            current_user, title=form.title.data, subject=form.subject.data,
            counterparty=get_counterparty(int(form.counterparty.data)),
            coordinator=db.session.get(Member, int(form.coordinator.data)), deadline=form.deadline.data,
            quorum=form.quorum.data, scenarios=scenarios, resources=resources)
    dossier = save_form(form, create)
    if dossier:
        flash(_("Dossier opened. Write the first version of the common position."), "success")
        return redirect(url_for("negotiations.position", dossier_id=dossier.id))
    return render_template("negotiations/form.html", form=form, dossier=None)


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
def edit(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = DossierForm(obj=dossier)
    _dossier_choices(form)
    form.counterparty.choices = as_choices([(dossier.counterparty_id, dossier.counterparty.name)])
    form.coordinator.choices = as_choices([(dossier.coordinator_id, dossier.coordinator.name)])
    if request.method == "GET":
        form.counterparty.data, form.coordinator.data = str(dossier.counterparty_id), str(dossier.coordinator_id)
        form.quorum.data = _quorum_text(dossier)
        form.scenarios.data = [str(s.id) for s in dossier.scenarios]
        form.resources.data = ", ".join(str(r.id) for r in dossier.resources)

    def change():
        scenarios, resources = _linked(form)
        return services.update_dossier(current_user, dossier, title=form.title.data, subject=form.subject.data,
                                       deadline=form.deadline.data, quorum=form.quorum.data, scenarios=scenarios,
                                       resources=resources)
    if save_form(form, change):
        flash(_("Changes saved."), "success")
        return _back(dossier)
    return render_template("negotiations/form.html", form=form, dossier=dossier)


# ---- the dossier page

def _simulation(position):
    key, raw = request.args.get("simulate"), request.args.get("amount")
    if not key or raw in (None, "") or position is None:
        return None, None
    term = position.term(key)
    if term is None or term["type"] != "tiered":
        return None, None
    try:
        return term, pricing.calculate("revenue_share", term["value"], raw)
    except DomainError as error:
        flash(error.message, "danger")
        return term, None


def _stance_rows(dossier, position, stances):
    """For each term ('' = whole): (organisation name, its latest stance or None), built once
    here rather than by a template macro per term (40 organisations × 30 terms)."""
    from flask_babel import get_locale
    locale = "en" if str(get_locale()).startswith("en") else "zh"
    names = [(p.member_id, p.member.display_name(locale)) for p in dossier.active_participants]
    keys = [""] + ([t["key"] for t in position.terms] if position else [])
    return {key: [(name, stances.get((member_id, key))) for member_id, name in names] for key in keys}


@bp.get("/<int:dossier_id>")
def detail(dossier_id):
    dossier = _dossier_or_404(dossier_id, invited_ok=True)
    if not permissions.can_view(current_user, dossier):   # invited: the invitation only
        return render_template("negotiations/invitation.html", dossier=dossier, form=RespondForm())
    position = services.current_position(dossier)
    stances = services.current_stances(dossier)
    coordinating = permissions.can_coordinate(current_user, dossier)
    taking_part = permissions.can_take_part(current_user, dossier)
    invite_form = None
    if coordinating and dossier.status not in (CONCLUDED, ABANDONED):
        invite_form = InviteForm()
        taken = {p.member_id for p in dossier.participants if p.status in ("invited", "active")}
        invite_form.member.choices = as_choices((m.id, m.name) for m in active_members() if m.id not in taken)
    amendment_form = None
    if taking_part and position is not None and dossier.status in EDITABLE:
        amendment_form = AmendmentForm()
        amendment_form.term_key.choices = as_choices((t["key"], t["label"]) for t in position.terms)
    sim_term, simulation = _simulation(position)
    stance_rows = _stance_rows(dossier, position, stances)
    outcome_rows = {o.term_key: o for o in services.outcomes(dossier)}
    return render_template(
        "negotiations/detail.html", dossier=dossier, position=position, stances=stances,
        meters=services.consensus(dossier, stances), coordinating=coordinating, taking_part=taking_part,
        my_member_id=current_user.member_id if taking_part else None,
        amendments=services.list_amendments(dossier), quorum=services.quorum_status(dossier),
        signatures={s.member_id: s for s in services.signatures(dossier)}, outcome_rows=outcome_rows,
        next_statuses=[s for s in TRANSITIONS[dossier.status]], statuses=STATUSES, stance_labels=STANCES,
        invite_form=invite_form, amendment_form=amendment_form, editable=dossier.status in EDITABLE,
        fmt=term_rules.format_value, term_types=TERM_TYPES, sim_term=sim_term, simulation=simulation,
        outcome_results=OUTCOME_RESULTS, today=local_today(), fmt_amount=pricing.format_amount,
        stance_rows=stance_rows, stance_text={k: str(v) for k, v in STANCES.items()},
        on_version={n: _("on version %(n)d", n=n) for n in range(1, dossier.current_version + 1)})


# ---- status, participants

@bp.post("/<int:dossier_id>/transition")
def transition(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier)
    return _act(dossier, lambda: services.transition(current_user, dossier, form.to_status.data, form.note.data),
                _("Status changed."))


@bp.post("/<int:dossier_id>/invite")
def invite(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = InviteForm()
    if not form.validate_on_submit() or not (form.member.data or "").isdigit():
        return _form_errors(form, dossier, "participants")
    member = db.session.get(Member, int(form.member.data))
    return _act(dossier, lambda: services.invite(current_user, dossier, member),
                _("Invitation sent."), "participants")


@bp.post("/<int:dossier_id>/respond")
def respond(dossier_id):
    dossier = _dossier_or_404(dossier_id, invited_ok=True)
    form = RespondForm()
    if not form.validate_on_submit():
        abort(400)
    accept = form.accept.data == "1"
    try:
        services.respond(current_user, dossier, accept=accept, reason=form.reason.data)
    except NotFound:
        abort(404)
    db.session.commit()
    if accept:
        flash(_("Your organisation now takes part in this negotiation."), "success")
        return _back(dossier)
    flash(_("Invitation declined."), "info")
    return redirect(url_for("negotiations.index"))


@bp.post("/<int:dossier_id>/withdraw")
def withdraw(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = WithdrawForm()
    if not form.validate_on_submit() or not (form.member.data or "").isdigit():
        return _form_errors(form, dossier, "participants")
    member = db.session.get(Member, int(form.member.data))
    if member is None:
        abort(404)
    return _act(dossier, lambda: services.withdraw(current_user, dossier, member, form.reason.data),
                _("%(name)s was withdrawn from this negotiation.", name=member.name), "participants")


# ---- the position and its versions

def _terms_from_form(form) -> list[dict]:
    """The editor posts term-<i>-<field> for every row; rows marked for removal are dropped."""
    rows = []
    indexes = sorted({int(k.split("-")[1]) for k in form if k.startswith("term-") and k.split("-")[1].isdigit()})
    for i in indexes:
        get = lambda f: form.get(f"term-{i}-{f}", "")  # noqa: E731
        if get("remove"):
            continue
        rows.append({"key": get("key").strip(), "label": get("label"), "type": get("type"), "value": get("value"),
                     "options": [o.strip() for o in get("options").replace("，", ",").replace("、", ",").split(",")],
                     "rationale": get("rationale"), "red_line": bool(get("red_line"))})
    return rows


def _editor_rows(terms):
    return [dict(t, text=term_rules.value_as_text(t), options_text=", ".join(t.get("options") or []))
            for t in terms]


@bp.route("/<int:dossier_id>/position", methods=["GET", "POST"])
def position(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    current = services.current_position(dossier)
    base = dossier.current_version
    rows = _editor_rows(current.terms if current else [])
    error, status = None, 200
    if request.method == "POST":
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        raw = _terms_from_form(request.form)
        base = request.form.get("base_version", type=int) or 0
        add = request.form.get("add_template")
        if add:  # add a standard or blank term and show the editor again, nothing saved
            new_term = term_rules.template_term(add) or {"key": "", "label": "", "type": add if add in TERM_TYPES
                                                          else "text", "options": [], "value": None,
                                                          "rationale": "", "red_line": False}
            rows = [dict(r, text=r["value"], options_text=", ".join(o for o in r["options"] if o)) for r in raw]
            rows.append(dict(new_term, text="", options_text=", ".join(new_term["options"])))
        else:
            try:
                version = services.save_position(current_user, dossier, raw, base_version=base,
                                                 note=request.form.get("note", ""))
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
    templates = [(k, label) for k, label, _t, _o in TERM_TEMPLATES if k not in used]
    return render_template("negotiations/position.html", dossier=dossier, rows=rows, base=base, error=error,
                           term_types=TERM_TYPES, templates=templates, editable=dossier.status in EDITABLE,
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
                           term_types=TERM_TYPES)


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
    from consortium.core.clock import utcnow
    return render_template("negotiations/paper.html", dossier=dossier, v=v, signatories=sigs,
                           fmt=term_rules.format_value, printed_at=utcnow())


# ---- stances, amendments

@bp.post("/<int:dossier_id>/stance")
def stance(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    form = StanceForm()
    anchor = f"term-{form.term_key.data}" if form.term_key.data else "whole"
    if not form.validate_on_submit():
        return _form_errors(form, dossier, anchor)
    return _act(dossier, lambda: services.record_stance(current_user, dossier, term_key=form.term_key.data or "",
                                                        stance=form.stance.data, comment=form.comment.data),
                _("Your organisation's stance was recorded."), anchor)


@bp.post("/<int:dossier_id>/amendments")
def propose(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    form = AmendmentForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "amendments")
    return _act(dossier, lambda: services.propose_amendment(current_user, dossier, term_key=form.term_key.data,
                                                            value=form.value.data, reason=form.reason.data),
                _("Amendment proposed to the coordinator."), "amendments")


@bp.post("/<int:dossier_id>/amendments/<int:amendment_id>/decide")
def decide(dossier_id, amendment_id):
    dossier = _coordinated_or_404(dossier_id)
    from .models import Amendment
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None or amendment.dossier_id != dossier.id:
        abort(404)
    form = DecideForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "amendments")
    accept = form.accept.data == "1"
    return _act(dossier, lambda: services.decide_amendment(current_user, dossier, amendment, accept=accept,
                                                           reason=form.reason.data),
                _("Amendment accepted: a new version was saved.") if accept else _("Amendment rejected."),
                "amendments")


# ---- sign-on

@bp.post("/<int:dossier_id>/sign-on")
def call_sign_on(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = SignOnForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "sign-on")
    return _act(dossier, lambda: services.call_sign_on(current_user, dossier, deadline=form.deadline.data),
                _("Sign-on called."), "sign-on")


@bp.post("/<int:dossier_id>/sign-on/cancel")
def cancel_sign_on(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    if not TransitionForm(to_status="cancel").validate_on_submit():
        abort(400)
    return _act(dossier, lambda: services.cancel_sign_on(current_user, dossier), _("Sign-on cancelled."), "sign-on")


@bp.post("/<int:dossier_id>/sign-on/complete")
def complete_sign_on(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = TransitionForm(to_status="agreed")
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "sign-on")
    return _act(dossier, lambda: services.complete_sign_on(current_user, dossier, form.note.data),
                _("The quorum is met: the common position is agreed."), "sign-on")


@bp.post("/<int:dossier_id>/sign")
def sign(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    form = SignForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier, "sign-on")
    signed = form.signed.data == "1"
    return _act(dossier, lambda: services.sign(current_user, dossier, signed=signed, comment=form.comment.data),
                _("Your organisation signed.") if signed else _("Your organisation declined to sign."), "sign-on")


# ---- outcome

@bp.route("/<int:dossier_id>/outcome", methods=["GET", "POST"])
def outcome(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    coordinating = permissions.can_coordinate(current_user, dossier)
    number = dossier.sign_on_version or dossier.current_version
    v = services.get_version(dossier, number) if number else None
    rows = {o.term_key: o for o in services.outcomes(dossier)}
    form = SignOnForm()  # only for its CSRF check
    if request.method == "POST":
        if not coordinating:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        results = {t["key"]: (request.form.get(f"result-{t['key']}", ""), request.form.get(f"obtained-{t['key']}", ""))
                   for t in (v.terms if v else [])}
        try:
            review_on = parse_date(request.form.get("review_on"), "review_on")
        except DomainError:
            flash(_("The review date must be in the form YYYY-MM-DD."), "danger")
        else:
            try:
                services.record_outcome(current_user, dossier, results=results,
                                        summary=request.form.get("summary", ""), review_on=review_on)
                db.session.commit()
                flash(_("Outcome saved."), "success")
                return redirect(url_for("negotiations.outcome", dossier_id=dossier.id))
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
    return render_template("negotiations/outcome.html", dossier=dossier, v=v, rows=rows, coordinating=coordinating,
                           results=OUTCOME_RESULTS, fmt=term_rules.format_value, form=form,
                           can_record=coordinating and dossier.status in (NEGOTIATING, CONCLUDED))


# ---- pricing models

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
    ids = [int(x) for x in request.args.getlist("ids") if x.isdigit()][:6]
    models = [m for m in (services.get_pricing_model(i) for i in ids) if m is not None]
    results = [(m, *_calculate(m, request.args)) for m in models]
    return render_template("negotiations/pricing_compare.html", results=results, all_models=services.list_pricing_models(),
                           ids=ids, args=request.args, describe=pricing.describe, fmt=pricing.format_amount)


def _pricing_form(model=None):
    form = PricingModelForm(obj=model)
    if request.method == "GET" and model is not None:
        form.schedule.data = pricing.schedule_to_text(model.kind, model.schedule)
    return form


def _save_pricing(form, model=None):
    def save():
        schedule = pricing.schedule_from_text(form.kind.data, form.schedule.data)
        return services.save_pricing_model(current_user, model, name=form.name.data, kind=form.kind.data,
                                           schedule=schedule, member=model.member if model else current_user.member,
                                           description=form.description.data, source=form.source.data,
                                           is_illustrative=form.is_illustrative.data)
    return save_form(form, save)


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
    return render_template("negotiations/pricing_form.html", form=form, m=None, kinds=PRICING_KINDS)


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
    return render_template("negotiations/pricing_form.html", form=form, m=m, kinds=PRICING_KINDS)
