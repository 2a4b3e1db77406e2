from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import get_locale
from flask_login import current_user, login_required

from consortium.auth.permissions import is_signed_in
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS
from consortium.core.exceptions import Conflict, DomainError
from consortium.core.forms import save_form, show_error
from consortium.extensions import db
from consortium.geo.services import list_provinces
from consortium.core import registry
from consortium.members.models import Member
from consortium.core.loaders import or_404

from . import board as board_data
from . import charts, permissions, ranking, services
from .constants import STAGE_COLOURS, STAGE_LINE, STAGES
from .forms import (AcceptInvitationForm, DeclineInvitationForm, GroupForm, JoinForm, NoteForm,
                    RemoveMemberForm, ReplicationForm, ScenarioForm, StageForm, StartReplicationForm, WithdrawForm,
                    as_choices, mode_choices)

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")


@bp.app_context_processor
def _stage_vocabulary():
    return {"stage_labels": STAGES, "stage_colours": STAGE_COLOURS}


def _locale() -> str:
    return str(get_locale())


def _group_or_404(code):
    return or_404(services.get_group_by_code(code))


def _scenario_or_404(scenario_id):
    return or_404(services.get_scenario(scenario_id))


def _replication_or_404(replication_id):
    return or_404(services.get_replication(replication_id), lambda _r: permissions.can_read_replications(current_user))


def _require(allowed):
    if not allowed:
        abort(403 if current_user.is_authenticated else 401)


def _member_choices(kind=None):
    return as_choices((m.id, f"{m.name} · {m.city.name}") for m in services.list_active_members(kind))


def _member(value):
    return db.session.get(Member, int(value)) if str(value or "").isdigit() else None


# ---------------------------------------------------------------- groups

@bp.get("/")
def index():
    groups = services.list_groups()
    counts = {g.id: services.stage_counts(group=g) for g in groups}
    summary = {}
    for g in groups:
        c = counts[g.id]
        summary[g.id] = {"scenarios": len(g.scenarios), "replications": sum(sum(v.values()) for v in c.values()),
                         "promotable": len(services.promotable_scenarios(g, c))}
    return render_template("scenarios/index.html", groups=groups, summary=summary)


def _group_form(group=None):
    form = GroupForm(obj=group)
    form.lead_member.choices = _member_choices()
    if group is not None and request.method == "GET":
        form.lead_member.data = str(group.lead_member_id)
    if group is not None and not permissions.can_manage_groups(current_user):
        for name in ("code", "name", "lead_member"):
            delattr(form, name)
    return form


def _group_fields(form):
    # `in form`, not hasattr: a field removed with delattr is still a class attribute
    fields = {k: form[k].data for k in ("description", "name_en", "target_count", "target_date",
                                        "promotable_cities", "stall_days", "authorisation_before_pilot")
              if k in form}
    if "code" in form:
        fields.update(code=form.code.data, name=form.name.data, lead_member=_member(form.lead_member.data))
    return fields


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new_group():
    _require(permissions.can_manage_groups(current_user))
    form = _group_form()
    group = save_form(form, lambda: services.create_group(current_user, **_group_fields(form)))
    if group:
        flash(_("Group %(name)s created.", name=group.name), "success")
        return redirect(url_for("scenarios.group", group_code=group.code))
    return render_template("scenarios/form.html", form=form, title=_("New scenario group"))


@bp.route("/groups/<group_code>/edit", methods=["GET", "POST"])
@login_required
def edit_group(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_lead(current_user, group))
    form = _group_form(group)
    saved = save_form(form, lambda: services.update_group(current_user, group, expected_version=form.version.data,
                                                                  **_group_fields(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for("scenarios.group", group_code=group.code))
    return render_template("scenarios/form.html", form=form, title=group.name)


@bp.get("/groups/<group_code>")
def group(group_code):
    group = _group_or_404(group_code)
    counts = services.stage_counts(group=group)
    promotable = services.promotable_scenarios(group, counts)
    membership = services.membership_of(group, current_user.member) if is_signed_in(current_user) else None
    pending = services.list_group_members(group, "pending") if permissions.can_view_pending(current_user, group) else []
    return render_template("scenarios/group.html", group=group, counts=counts, promotable=promotable,
                           members=services.list_group_members(group), pending=pending, membership=membership,
                           join_form=JoinForm(), stage_line=STAGE_LINE)


@bp.post("/groups/<group_code>/join")
@login_required
def join(group_code):
    group = _group_or_404(group_code)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            services.request_join(current_user, group, form.motivation.data)
            db.session.commit()
            flash(_("Your request was sent to the group's lead."), "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "danger")
    return redirect(url_for("scenarios.group", group_code=group.code))


def _membership_or_404(membership_id):
    return or_404(services.get_membership(membership_id), lambda m: permissions.can_lead(current_user, m.group))


@bp.post("/memberships/<int:membership_id>/decide")
@login_required
def decide(membership_id):
    m = _membership_or_404(membership_id)
    try:
        services.decide_join(current_user, m, request.form.get("decision") == "approve",
                             request.form.get("reason", ""))
        db.session.commit()
        flash(_("Decision recorded."), "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
    return redirect(url_for("scenarios.group", group_code=m.group.code))


@bp.route("/memberships/<int:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove(membership_id):
    """Removing a member from a group: a confirmation page with the reason its users will read."""
    m = _membership_or_404(membership_id)
    form = RemoveMemberForm()
    if save_form(form, lambda: services.remove_member(current_user, m, form.reason.data)):
        flash(_("%(name)s was removed from the group; its users were told why.", name=m.member.name), "warning")
        return redirect(url_for("scenarios.group", group_code=m.group.code))
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Remove %(member)s from %(group)s?", member=m.member.name, group=m.group.name),
                           explanation=_("The organisation leaves the group and its users are notified with "
                                         "your reason. Its replications stay on the board."),
                           cancel_url=url_for("scenarios.group", group_code=m.group.code))


# ---------------------------------------------------------------- board

def _board_filters(group):
    args = request.args
    scenario_id = args.get("scenario", type=int)
    if scenario_id and not any(s.id == scenario_id for s in group.scenarios):
        scenario_id = None
    stage = args.get("stage") if args.get("stage") in list(STAGES) + ["stalled_flag"] else None
    province = args.get("province") or None
    return {"scenario_id": scenario_id, "province": province, "stage": stage}


@bp.get("/groups/<group_code>/board")
@login_required
def board(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_read_replications(current_user))
    filters = _board_filters(group)
    data = board_data.build_board(group, locale=_locale(), **filters)
    ids = [c.replication_id for c in data.cells.values()] if filters["stage"] else None  # every chart filtered
    points = board_data.timeline(group, scenario_id=filters["scenario_id"], province=filters["province"],
                                 replication_ids=ids)
    from .queries import board_funnel
    funnel = board_funnel([c.replication_id for c in data.cells.values()])
    locale = _locale()
    figures = {"funnel": charts.funnel(funnel, locale), "timeline": charts.timeline(points, locale)}
    matrix = board_data.matrix_rows(data, STAGES, url_for("scenarios.replication", replication_id=0)[:-1],
                                    _("no progress for %(n)d days", n=group.stall_days))
    return render_template("scenarios/board.html", group=group, board=data, figures=figures, filters=filters,
                           matrix=matrix, funnel=funnel,
                           provinces=list_provinces(), stage_line=STAGE_LINE,
                           promotable=[s for s in data.scenarios
                                       if data.live_counts.get(s.id, 0) >= group.promotable_cities])


@bp.get("/groups/<group_code>/export.<fmt>")
@login_required
def export(group_code, fmt):
    group = _group_or_404(group_code)
    _require(permissions.can_read_replications(current_user))
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = board_data.export_rows(group, locale=_locale(), **_board_filters(group))
    header = [_("Scenario"), _("Member"), _("City"), _("Province"), _("Stage"), _("Last event"), _("Stalled"),
              _("Owner"), _("Next step"), _("Blockers")]
    name = f"board-{group.code}-{date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        body, mime = board_data.to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        body = board_data.to_xlsx(header, rows, title=group.code)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/groups/<group_code>/digest")
@login_required
def digest(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_lead(current_user, group))
    return render_template("scenarios/digest.html", group=group, digest=board_data.weekly_digest(group))


# ---------------------------------------------------------------- scenarios

def _scenario_form(group, scenario=None):
    form = ScenarioForm(obj=scenario)
    form.origin_member.choices = as_choices([("", "—")]) + _member_choices()
    form.modes.choices = mode_choices(_locale())
    if scenario is not None and request.method == "GET":
        form.origin_member.data = str(scenario.origin_member_id or "")
        form.modes.data = scenario.circulation_modes
        form.needs.data = services.needs_text(scenario)
        form.resource_ids.data = ", ".join(str(r.id) for r in services.visible_resources(current_user, scenario))
    return form


def _scenario_fields(form):
    raw_ids = [x.strip() for x in (form.resource_ids.data or "").replace("，", ",").split(",") if x.strip()]
    if any(not x.isdigit() for x in raw_ids):
        raise DomainError(_("Resource IDs are whole numbers separated by commas."), field="resource_ids")
    return dict(title=form.title.data, title_en=form.title_en.data, description=form.description.data,
                origin_member=_member(form.origin_member.data), needs=services.parse_needs(form.needs.data),
                modes=form.modes.data or [], maturity=form.maturity.data, links=form.links.data,
                resource_ids=[int(x) for x in raw_ids])


@bp.route("/groups/<group_code>/scenarios/new", methods=["GET", "POST"])
@login_required
def new_scenario(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_edit_scenario(current_user, group))
    form = _scenario_form(group)
    scenario = save_form(form, lambda: services.create_scenario(current_user, group, **_scenario_fields(form)))
    if scenario:
        flash(_("Scenario %(title)s added.", title=scenario.title), "success")
        return redirect(url_for("scenarios.scenario", scenario_id=scenario.id))
    return render_template("scenarios/form.html", form=form, title=_("New seed scenario"))


@bp.route("/<int:scenario_id>/edit", methods=["GET", "POST"])
@login_required
def edit_scenario(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    _require(permissions.can_edit_scenario(current_user, scenario.group))
    form = _scenario_form(scenario.group, scenario)
    saved = save_form(form, lambda: services.update_scenario(current_user, scenario, expected_version=form.version.data,
                                                                     **_scenario_fields(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for("scenarios.scenario", scenario_id=scenario.id))
    return render_template("scenarios/form.html", form=form, title=scenario.title)


def _start_form(scenario):
    form = StartReplicationForm()
    if permissions.can_lead(current_user, scenario.group):
        form.member.choices = _member_choices()
    elif is_signed_in(current_user) and current_user.member_id:
        form.member.choices = as_choices([(current_user.member_id, current_user.member.name)])
    return form


@bp.get("/<int:scenario_id>")
def scenario(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    can_read = permissions.can_read_replications(current_user)
    replications = services.list_replications(scenario) if can_read else []
    counts = services.stage_counts([scenario.id]).get(scenario.id, {})
    start_form = None
    if is_signed_in(current_user) and current_user.member_id and (
            permissions.can_lead(current_user, scenario.group)
            or services.replication_of(scenario, current_user.member) is None):
        start_form = _start_form(scenario)
    agreements = registry.scenario_agreements(current_app, current_user, scenario)  # set by consortium.agreements
    return render_template("scenarios/scenario.html", scenario=scenario, replications=replications, counts=counts,
                           resources=services.visible_resources(current_user, scenario),
                           can_read=can_read, start_form=start_form, agreements=agreements,
                           stage_line=STAGE_LINE, domains=DOMAINS, modes=CIRCULATION_MODES)


@bp.post("/<int:scenario_id>/replications")
@login_required
def start_replication(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    form = _start_form(scenario)
    if form.validate_on_submit():
        member = _member(form.member.data)
        try:
            if member is None:
                raise DomainError(_("Choose a city."), field="member")
            rep = services.start_replication(current_user, scenario, member, owner=form.owner.data,
                                             next_step=form.next_step.data, note=form.note.data)
            db.session.commit()
            flash(_("Replication in %(city)s opened at the interest stage.", city=member.city.name), "success")
            return redirect(url_for("scenarios.replication", replication_id=rep.id))
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "danger")
    else:
        flash(_("Choose a city."), "danger")
    return redirect(url_for("scenarios.scenario", scenario_id=scenario.id))


@bp.get("/<int:scenario_id>/where-next")
@login_required
def where_next(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    _require(permissions.can_read_replications(current_user))
    province = request.args.get("province") or None
    ranked = ranking.where_next(current_user, scenario, province=province, limit=200, locale=_locale())
    can_invite = permissions.can_lead(current_user, scenario.group)
    invitations = services.list_invitations(scenario) if can_invite else []
    return render_template("scenarios/where_next.html", scenario=scenario, ranked=ranked, provinces=list_provinces(),
                           province=province, can_invite=can_invite, invitations=invitations,
                           pending_ids={i.member_id for i in invitations if i.status == "pending"}, weights=ranking)


@bp.post("/<int:scenario_id>/invite")
@login_required
def invite(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    _require(permissions.can_lead(current_user, scenario.group))
    member = _member(request.form.get("member_id"))
    if member is None or not member.is_active:
        abort(404)
    try:
        services.invite_city(current_user, scenario, member, request.form.get("note", ""))
        db.session.commit()
        flash(_("%(member)s was invited; its users have been notified and will accept or decline.",
                member=member.name), "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "danger")
    return redirect(url_for("scenarios.where_next", scenario_id=scenario.id))


def _invitation_or_404(invitation_id):
    return or_404(services.get_invitation(invitation_id),
                  lambda i: permissions.can_view_invitation(current_user, i))


@bp.get("/invitations/<int:invitation_id>")
@login_required
def invitation(invitation_id, accept_form=None, decline_form=None, status=200):
    inv = _invitation_or_404(invitation_id)
    can_answer = permissions.can_answer_invitation(current_user, inv) and inv.status == "pending"
    return render_template("scenarios/invitation.html", inv=inv, can_answer=can_answer,
                           accept_form=accept_form or AcceptInvitationForm(formdata=None),
                           decline_form=decline_form or DeclineInvitationForm(formdata=None)), status


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id):
    inv = _invitation_or_404(invitation_id)
    _require(permissions.can_answer_invitation(current_user, inv))
    form = AcceptInvitationForm()
    rep = save_form(form, lambda: services.accept_invitation(current_user, inv, owner=form.owner.data,
                                                             next_step=form.next_step.data))
    if rep:
        flash(_("Invitation accepted: the replication of %(scenario)s is open at the interest stage; the "
                "group's lead was told.", scenario=inv.scenario.title), "success")
        return redirect(url_for("scenarios.replication", replication_id=rep.id))
    return invitation(invitation_id, accept_form=form, status=400)


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id):
    inv = _invitation_or_404(invitation_id)
    _require(permissions.can_answer_invitation(current_user, inv))
    form = DeclineInvitationForm()
    if save_form(form, lambda: services.decline_invitation(current_user, inv, form.reason.data)):
        flash(_("Invitation declined; the group's lead was told your reason."), "info")
        return redirect(url_for("scenarios.invitation", invitation_id=inv.id))
    return invitation(invitation_id, decline_form=form, status=400)


# ---------------------------------------------------------------- replications

def _replication_page(rep, edit_form=None, stage_form=None, note_form=None, status=200, conflict=False):
    writer = permissions.can_write_replication(current_user, rep)
    today = date.today()
    if writer:
        submitted = {id(f) for f in (edit_form, stage_form, note_form) if f is not None}
        edit_form = edit_form or ReplicationForm(obj=rep, formdata=None)
        stage_form = stage_form or StageForm(formdata=None, occurred_on=today, to_stage=rep.stage)
        note_form = note_form or NoteForm(formdata=None, occurred_on=today)
        for f in (edit_form, stage_form, note_form):
            if conflict or id(f) not in submitted:
                f.version.data = rep.version  # the version the writer has now seen
    return render_template("scenarios/replication.html", rep=rep, events=services.list_events(rep), writer=writer,
                           edit_form=edit_form, stage_form=stage_form, note_form=note_form, conflict=conflict,
                           stalled=board_data.is_stalled(rep.stage, rep.last_event_on, rep.scenario.group.stall_days,
                                                         today)), status


@bp.get("/replications/<int:replication_id>")
@login_required
def replication(replication_id):
    return _replication_page(_replication_or_404(replication_id))


def _write(replication_id, form_class, action, slot, message):
    rep = _replication_or_404(replication_id)
    _require(permissions.can_write_replication(current_user, rep))
    form = form_class()
    if not form.validate_on_submit():
        return _replication_page(rep, **{slot: form}, status=400)
    try:
        action(rep, form)
        db.session.commit()
        flash(message(rep) if callable(message) else message, "success")
        return redirect(url_for("scenarios.replication", replication_id=rep.id))
    except Conflict:
        db.session.rollback()
        rep = services.get_replication(replication_id)
        return _replication_page(rep, **{slot: form}, status=409, conflict=True)
    except DomainError as e:
        db.session.rollback()
        show_error(form, e)
        return _replication_page(services.get_replication(replication_id), **{slot: form}, status=400)


@bp.post("/replications/<int:replication_id>/edit")
@login_required
def edit_replication(replication_id):
    return _write(replication_id, ReplicationForm, lambda rep, f: services.update_replication(
        current_user, rep, expected_version=f.version.data, owner=f.owner.data, next_step=f.next_step.data,
        blockers=f.blockers.data), "edit_form", _("Owner, next step and blockers saved."))


@bp.post("/replications/<int:replication_id>/stage")
@login_required
def change_stage(replication_id):
    return _write(replication_id, StageForm, lambda rep, f: services.change_stage(
        current_user, rep, f.to_stage.data, expected_version=f.version.data, note=f.note.data,
        reason=f.reason.data, occurred_on=f.occurred_on.data), "stage_form",
        lambda rep: _("Stage changed to %(stage)s.", stage=STAGES[rep.stage]))


@bp.post("/replications/<int:replication_id>/note")
@login_required
def add_note(replication_id):
    return _write(replication_id, NoteForm, lambda rep, f: services.add_progress_note(
        current_user, rep, f.note.data, expected_version=f.version.data, occurred_on=f.occurred_on.data),
        "note_form", _("Progress note added."))


@bp.route("/replications/<int:replication_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(replication_id):
    """退出: a confirmation page with the reason, kept in the replication's history."""
    rep = _replication_or_404(replication_id)
    _require(permissions.can_write_replication(current_user, rep))
    form = WithdrawForm()
    if request.method == "GET":
        form.version.data = rep.version
        form.occurred_on.data = date.today()
    status = 200
    if form.validate_on_submit():
        try:
            services.withdraw_replication(current_user, rep, form.reason.data, expected_version=form.version.data,
                                          occurred_on=form.occurred_on.data)
            db.session.commit()
            flash(_("%(city)s withdrew from %(scenario)s; the reason is kept in the history.",
                    city=rep.member.city.name, scenario=rep.scenario.title), "warning")
            return redirect(url_for("scenarios.replication", replication_id=rep.id))
        except DomainError as e:
            db.session.rollback()
            show_error(form, e)
            rep = services.get_replication(replication_id)
            status = e.status
    elif request.method == "POST":
        status = 400
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Withdraw %(city)s from %(scenario)s?", city=rep.member.city.name,
                                   scenario=rep.scenario.title),
                           explanation=_("The replication moves to Withdrawn. It stays in the history and on the "
                                         "board; it can be resumed later with a reason."),
                           cancel_url=url_for("scenarios.replication", replication_id=rep.id)), status


