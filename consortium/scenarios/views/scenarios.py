"""Scenario pages: creating, editing, reading one, opening a replication, where next."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.naming import named
from consortium.auth.permissions import is_signed_in
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS
from consortium.catalog.pickers import make_entry_picker
from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.core.rows import posted_rows
from consortium.core.pickers import make_picker
from consortium.core.requests import row_id
from consortium.extensions import db
from consortium.geo.services import list_provinces
from consortium.members.pickers import member_choices

from .. import permissions, ranking
from ..constants import STAGE_LINE
from ..forms import ScenarioForm, StartReplicationForm
from ..services import invitations as invitation_services
from ..services import replications as replication_services
from ..services import scenarios as scenario_services
from .common import (_group_or_404, _locale, _member, _member_choices, _opening_fields, _require, _scenario_or_404,
                     bp)

# ---------------------------------------------------------------- scenarios

NEED_FIELDS = ("label", "domain", "keyword")
NEED_ROWS_EXTRA = 2  # blank rows to add needs without JavaScript


def _posted_needs():
    return posted_rows(request.form, "need-", NEED_FIELDS) if request.method == "POST" else None


def _need_rows(scenario) -> list[dict]:
    """The data needs as the form's rows (name, domain, keyword): as posted, or as stored; and blank rows."""
    rows = _posted_needs()
    if rows is None:
        rows = [{"label": n.label, "domain": n.domain, "keyword": n.keyword} for n in (scenario.needs if scenario else [])]
    return rows + [dict.fromkeys(NEED_FIELDS, "") for _ in range(NEED_ROWS_EXTRA)]


def _needs_text() -> str:
    """What the rules read (``parse_needs``): the posted rows as “name | domain | keyword” lines, or,
    from a client posting the text field itself, that text."""
    rows = _posted_needs()
    if rows is None:
        return request.form.get("needs", "")
    return "\n".join(f"{r['label']} | {r['domain']} | {r['keyword']}" for r in rows)


def _scenario_form(group, scenario=None):
    form = ScenarioForm(obj=scenario)
    form.need_rows = _need_rows(scenario)
    make_picker(form.origin_member, _member_choices(blank="—"))
    if scenario is not None and request.method == "GET":
        form.origin_member.data = str(scenario.origin_member_id or "")
        form.circulation_modes.data = scenario.circulation_modes
        form.resource_ids.data = ", ".join(str(r.id) for r in scenario_services.visible_resources(current_user, scenario))
    make_entry_picker(form.resource_ids, current_user, str(get_locale()))  # the posted numbers, or the stored ones
    return form


def _scenario_fields(form):
    raw_ids = [x.strip() for x in (form.resource_ids.data or "").replace("，", ",").split(",") if x.strip()]
    if any(row_id(x) is None for x in raw_ids):
        raise DomainError(_("Resource IDs are whole numbers separated by commas."), field="resource_ids")
    fields = form.values()  # the definition's fields (the origin member as its id: the rules resolve it)
    return dict(fields, needs=scenario_services.parse_needs(_needs_text()), resource_ids=[int(x) for x in raw_ids])


@bp.route("/groups/<group_code>/scenarios/new", methods=["GET", "POST"])
@login_required
def new_scenario(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_edit_scenario(current_user, group))
    form = _scenario_form(group)
    scenario = save_form(form, lambda: scenario_services.create_scenario(current_user, group, **_scenario_fields(form)))
    if scenario:
        flash(_("Scenario %(title)s added.", title=named(scenario)), "success")
        return redirect(url_for("scenarios.scenario", scenario_id=scenario.id))
    return render_template("scenarios/scenario_form.html", form=form, title=_("New seed scenario"), domains=DOMAINS)


@bp.route("/<int:scenario_id>/edit", methods=["GET", "POST"])
@login_required
def edit_scenario(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    _require(permissions.can_edit_scenario(current_user, scenario.group))
    form = _scenario_form(scenario.group, scenario)
    saved = save_form(form, lambda: scenario_services.update_scenario(current_user, scenario, expected_version=form.version.data,
                                                                     **_scenario_fields(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for("scenarios.scenario", scenario_id=scenario.id))
    return render_template("scenarios/scenario_form.html", form=form, title=scenario.title, domains=DOMAINS)


def _start_form(scenario):
    """The lead brings the scenario to a city data group not running it yet (by pinyin); "show all"
    (``?members=all``) adds the other members; a posted choice is checked against all of them."""
    form = StartReplicationForm()
    if permissions.can_lead(current_user, scenario.group):
        show_all = request.method == "POST" or request.args.get("members") == "all"
        make_picker(form.member, member_choices(
            replication_services.members_to_bring(scenario, cities_only=not show_all), str(get_locale())))
    elif is_signed_in(current_user) and current_user.member_id:
        form.member.choices = member_choices([current_user.member], str(get_locale()))
    return form


@bp.get("/<int:scenario_id>")
def scenario(scenario_id):
    scenario = _scenario_or_404(scenario_id)
    can_read = permissions.can_read_replications(current_user)
    replications = replication_services.list_replications(scenario) if can_read else []
    counts = replication_services.stage_counts([scenario.id]).get(scenario.id, {})
    start_form = None
    if is_signed_in(current_user) and current_user.member_id and (
            permissions.can_lead(current_user, scenario.group)
            or replication_services.replication_of(scenario, current_user.member) is None):
        start_form = _start_form(scenario)
    return render_template("scenarios/scenario.html", scenario=scenario, replications=replications, counts=counts,
                           resources=scenario_services.visible_resources(current_user, scenario),
                           can_read=can_read, start_form=start_form,
                           leading=permissions.can_lead(current_user, scenario.group),
                           all_members=request.args.get("members") == "all",
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
            rep = replication_services.start_replication(current_user, scenario, member, note=form.note.data,
                                                         **_opening_fields(form))
            db.session.commit()
            flash(_("Replication in %(city)s opened at the interest stage.", city=named(member.city)), "success")
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
    invitations = invitation_services.list_invitations(scenario) if can_invite else []
    return render_template("scenarios/where_next.html", scenario=scenario, ranked=ranked, provinces=list_provinces(),
                           province=province, can_invite=can_invite, invitations=invitations,
                           pending_ids={i.member_id for i in invitations if i.status == "pending"}, weights=ranking,
                           where_labels={"title": _("title"), "keywords": _("keywords"), "fields": _("fields"),
                                         "domain": _("domain")})
