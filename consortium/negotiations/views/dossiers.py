"""Dossier pages: the list, opening and editing a dossier, the dossier page, its status."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from consortium.catalog.models import DataResource
from consortium.catalog.permissions import can_view
from consortium.catalog.pickers import make_entry_picker
from consortium.core.clock import local_today
from consortium.core.entity import described
from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.core.pickers import make_picker, picker_choices
from consortium.core.requests import row_id
from consortium.counterparties.services import get_counterparty, list_counterparties
from consortium.extensions import db
from consortium.members.models import Member
from consortium.members.pickers import member_choices
from consortium.members.services import active_members
from consortium.scenarios.models import Scenario
from consortium.scenarios.pickers import scenario_choices
from consortium.scenarios.services import list_scenarios

from .. import permissions, pricing, services
from .. import terms as term_rules
from ..constants import (
    ABANDONED,
    CONCLUDED,
    EDITABLE,
    OUTCOME_RESULTS,
    STANCES,
    STATUSES,
    TERM_TYPES,
    TRANSITIONS,
    labels,
    shown_label,
)
from ..forms import (
    AmendmentForm,
    DecideForm,
    DossierForm,
    InviteForm,
    RespondForm,
    SignForm,
    TransitionForm,
    WithdrawForm,
    as_choices,
)
from ..schemas import AmendmentFields, EventFields, ParticipantFields, SignatureFields, StanceFields
from .common import _act, _back, _coordinated_or_404, _dossier_or_404, _form_errors, bp, more_of


@bp.get("/")
@login_required
def index():
    if not permissions.can_open_dossier(current_user):
        abort(403)
    status = request.args.get("status")
    q = (request.args.get("q") or "").strip() or None
    page = db.paginate(services.list_dossiers(current_user, status=status, q=q),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("negotiations/index.html", page=page, statuses=labels(STATUSES), status=status, q=q or "",
                           invitations=services.list_invitations(current_user))


def _dossier_choices(form):
    """Searchable pickers, names in the page's language (consortium.core.pickers)."""
    locale = str(get_locale())
    make_picker(form.counterparty, picker_choices(list_counterparties(), locale, value=lambda c: c.id))
    if current_user.is_secretariat:
        make_picker(form.coordinator, member_choices(active_members(), locale))
    else:
        form.coordinator.choices = member_choices([current_user.member], locale)
    make_picker(form.scenarios, scenario_choices(db.session.scalars(list_scenarios()), locale))


def _linked(form):
    ids = [n for n in map(row_id, form.scenarios.data or []) if n is not None]
    scenarios = db.session.scalars(select(Scenario).where(Scenario.id.in_(ids))).all() if ids else []
    raw = [x.strip().lstrip("#") for x in (form.resources.data or "").replace("，", ",").split(",") if x.strip()]
    if any(row_id(x) is None for x in raw):
        raise DomainError(_("Resource-map entries are given by number, separated by commas."), field="resources")
    resources = db.session.scalars(select(DataResource).where(DataResource.id.in_([int(x) for x in raw]))).all()
    if len(resources) != len(set(raw)) or not all(can_view(current_user, r) for r in resources):
        raise DomainError(_("Some resource-map entries do not exist."), field="resources")
    return scenarios, resources


def _quorum_text(dossier):
    return _("all") if dossier.quorum_num == dossier.quorum_den else f"{dossier.quorum_num}/{dossier.quorum_den}"


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
            current_user, **form.values(), counterparty=get_counterparty(int(form.counterparty.data)),
            coordinator=db.session.get(Member, int(form.coordinator.data)), scenarios=scenarios,
            resources=resources)
    dossier = save_form(form, create)
    if dossier:
        flash(_("Dossier opened. Write the first version of the common position."), "success")
        return redirect(url_for("negotiations.position", dossier_id=dossier.id))
    make_entry_picker(form.resources, current_user, str(get_locale()))
    return render_template("negotiations/form.html", form=form, dossier=None)


@bp.route("/<int:dossier_id>/edit", methods=["GET", "POST"])
def edit(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = DossierForm(obj=dossier)
    _dossier_choices(form)
    locale = str(get_locale())  # both are fixed once the dossier exists: one choice each, nothing to search
    form.counterparty.choices = picker_choices([dossier.counterparty], locale, value=lambda c: c.id)
    form.coordinator.choices = member_choices([dossier.coordinator], locale)
    form.counterparty.render_kw = form.coordinator.render_kw = None
    if request.method == "GET":
        form.counterparty.data, form.coordinator.data = str(dossier.counterparty_id), str(dossier.coordinator_id)
        form.quorum.data = _quorum_text(dossier)
        form.scenarios.data = [str(s.id) for s in dossier.scenarios]
        form.resources.data = ", ".join(str(r.id) for r in dossier.resources)

    def change():
        scenarios, resources = _linked(form)
        return services.update_dossier(current_user, dossier, **form.values(), scenarios=scenarios,
                                       resources=resources)
    if save_form(form, change):
        flash(_("Changes saved."), "success")
        return _back(dossier)
    make_entry_picker(form.resources, current_user, locale)
    return render_template("negotiations/form.html", form=form, dossier=dossier)


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
    locale = "en" if str(get_locale()).startswith("en") else "zh"
    names = [(p.member_id, p.member.display_name(locale)) for p in dossier.active_participants]
    keys = [""] + ([t["key"] for t in position.terms] if position else [])
    return {key: [(name, stances.get((member_id, key))) for member_id, name in names] for key in keys}


@bp.get("/<int:dossier_id>")
def detail(dossier_id):
    dossier = _dossier_or_404(dossier_id, invited_ok=True)
    if not permissions.can_view(current_user, dossier):   # invited: the invitation only
        return render_template("negotiations/invitation.html", dossier=dossier, form=RespondForm(formdata=None))
    position = services.current_position(dossier)
    stances = services.current_stances(dossier)
    coordinating = permissions.can_coordinate(current_user, dossier)
    taking_part = permissions.can_take_part(current_user, dossier)
    invite_form = None
    if coordinating and dossier.status not in (CONCLUDED, ABANDONED):
        invite_form = InviteForm()
        taken = {p.member_id for p in dossier.participants if p.status in ("invited", "active")}
        make_picker(invite_form.member, member_choices([m for m in active_members() if m.id not in taken],
                                                       str(get_locale())))
    amendment_form = None
    if taking_part and position is not None and dossier.status in EDITABLE:
        amendment_form = AmendmentForm()
        amendment_form.term_key.choices = as_choices((t["key"], shown_label(t)) for t in position.terms)
    sim_term, simulation = _simulation(position)
    stance_rows = _stance_rows(dossier, position, stances)
    outcome_rows = {o.term_key: o for o in services.outcomes(dossier)}
    return render_template(
        "negotiations/detail.html", dossier=dossier, position=position, stances=stances,
        meters=services.consensus(dossier, stances), coordinating=coordinating, taking_part=taking_part,
        my_member_id=current_user.member_id if taking_part else None,
        amendments=services.list_amendments(dossier), quorum=services.quorum_status(dossier),
        signatures={s.member_id: s for s in services.signatures(dossier)}, outcome_rows=outcome_rows,
        next_statuses=[s for s in TRANSITIONS[dossier.status]], statuses=labels(STATUSES), stance_labels=labels(STANCES),
        invite_form=invite_form, amendment_form=amendment_form, editable=dossier.status in EDITABLE,
        fmt=term_rules.format_value, term_types=labels(TERM_TYPES), sim_term=sim_term, simulation=simulation,
        outcome_results=labels(OUTCOME_RESULTS), today=local_today(), fmt_amount=pricing.format_amount,
        stance_rows=stance_rows, stance_text=labels(STANCES),
        stance_quorum=services.stance_quorum(dossier, stances), breaches=services.breaches(dossier),
        tier_rows=term_rules.tier_rows,
        # a field added to the stance's definition gets an input beside the comment
        stance_extra=[(n, str(f.label)) for n, f in described(StanceFields).items() if n not in ("stance", "comment")],
        # the small forms of the page (generated from their definitions): a field the page does
        # not lay out by hand gets an input, and shows on its row once written
        transition_form=TransitionForm(formdata=None), sign_form=SignForm(formdata=None),
        withdraw_form=WithdrawForm(formdata=None), decide_form=DecideForm(formdata=None),
        more_event=more_of(EventFields, ("note",)), more_participant=more_of(ParticipantFields, ("reason",)),
        more_signature=more_of(SignatureFields, ("comment",)),
        more_amendment=more_of(AmendmentFields, ("reason", "value", "decision_reason")),
        on_version={n: _("on version %(n)d", n=n) for n in range(1, dossier.current_version + 1)})


@bp.post("/<int:dossier_id>/transition")
def transition(dossier_id):
    dossier = _coordinated_or_404(dossier_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        return _form_errors(form, dossier)
    return _act(dossier, lambda: services.transition(current_user, dossier, form.to_status.data,
                                                     acknowledgement=form.acknowledgement.data or "", **form.values()),
                _("Status changed."))
