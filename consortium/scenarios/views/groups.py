"""Group pages: the index, a group, creating and editing it, join requests and membership decisions."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consortium.core.naming import named
from consortium.auth.permissions import is_signed_in
from consortium.core.entity import described
from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.core.loaders import or_404
from consortium.core.pickers import make_picker
from consortium.extensions import db

from .. import permissions
from ..constants import STAGE_LINE
from ..forms import GroupForm, JoinForm, RemoveMemberForm
from ..schemas import JoinDecisionFields
from ..services import groups as group_services
from ..services import memberships as membership_services
from ..services import replications as replication_services
from .common import _group_or_404, _member_choices, _require, bp

# ---------------------------------------------------------------- groups

@bp.get("/")
def index():
    groups = group_services.list_groups()
    counts = {g.id: replication_services.stage_counts(group=g) for g in groups}
    summary = {}
    for g in groups:
        c = counts[g.id]
        summary[g.id] = {"scenarios": len(g.scenarios), "replications": sum(sum(v.values()) for v in c.values()),
                         "promotable": len(replication_services.promotable_scenarios(g, c))}
    return render_template("scenarios/index.html", groups=groups, summary=summary)


def _group_form(group=None):
    form = GroupForm(obj=group)
    make_picker(form.lead_member, _member_choices())
    if group is not None and request.method == "GET":
        form.lead_member.data = str(group.lead_member_id)
    if group is not None and not permissions.can_manage_groups(current_user):
        for name in group_services.SECRETARIAT_ONLY:
            delattr(form, name)
    return form


def _group_fields(form):
    """The definition's fields the form holds (the lead member as its id: the rules resolve it;
    a lead's form has no code, name or lead)."""
    return form.values()


@bp.route("/groups/new", methods=["GET", "POST"])
@login_required
def new_group():
    _require(permissions.can_manage_groups(current_user))
    form = _group_form()
    group = save_form(form, lambda: group_services.create_group(current_user, **_group_fields(form)))
    if group:
        flash(_("Group %(name)s created.", name=named(group)), "success")
        return redirect(url_for("scenarios.group", group_code=group.code))
    return render_template("scenarios/form.html", form=form, title=_("New scenario group"))


@bp.route("/groups/<group_code>/edit", methods=["GET", "POST"])
@login_required
def edit_group(group_code):
    group = _group_or_404(group_code)
    _require(permissions.can_lead(current_user, group))
    form = _group_form(group)
    saved = save_form(form, lambda: group_services.update_group(current_user, group, expected_version=form.version.data,
                                                                  **_group_fields(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for("scenarios.group", group_code=group.code))
    return render_template("scenarios/form.html", form=form, title=named(group))


@bp.get("/groups/<group_code>")
def group(group_code):
    group = _group_or_404(group_code)
    counts = replication_services.stage_counts(group=group)
    promotable = replication_services.promotable_scenarios(group, counts)
    membership = membership_services.membership_of(group, current_user.member) if is_signed_in(current_user) else None
    pending = membership_services.list_group_members(group, "pending") if permissions.can_view_pending(current_user, group) else []
    return render_template("scenarios/group.html", group=group, counts=counts, promotable=promotable,
                           members=membership_services.list_group_members(group), pending=pending, membership=membership,
                           join_form=JoinForm(), stage_line=STAGE_LINE)


@bp.post("/groups/<group_code>/join")
@login_required
def join(group_code):
    group = _group_or_404(group_code)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            membership_services.request_join(current_user, group, **form.values())
            db.session.commit()
            flash(_("Your request to join %(group)s was sent to its lead, %(lead)s.", group=named(group),
                    lead=named(group.lead_member) if group.lead_member else ""), "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "danger")
    return redirect(url_for("scenarios.group", group_code=group.code))


def _membership_or_404(membership_id):
    return or_404(membership_services.get_membership(membership_id), lambda m: permissions.can_lead(current_user, m.group))


@bp.post("/memberships/<int:membership_id>/decide")
@login_required
def decide(membership_id):
    m = _membership_or_404(membership_id)
    try:
        approved = request.form.get("decision") == "approve"
        membership_services.decide_join(current_user, m, approved,
                                        **{name: request.form.get(name, "") for name in described(JoinDecisionFields)})
        db.session.commit()
        flash(_("Approved: %(member)s joins %(group)s.", member=named(m.member), group=named(m.group)) if approved
              else _("Declined: %(member)s does not join %(group)s; it was told your reason.", member=named(m.member),
                     group=named(m.group)), "success")
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
    if save_form(form, lambda: membership_services.remove_member(current_user, m, form.reason.data)):
        flash(_("%(name)s was removed from the group; its users were told why.", name=named(m.member)), "warning")
        return redirect(url_for("scenarios.group", group_code=m.group.code))
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Remove %(member)s from %(group)s?", member=named(m.member), group=named(m.group)),
                           explanation=_("The organisation leaves the group and its users are notified with "
                                         "your reason. Its replications stay on the board."),
                           cancel_url=url_for("scenarios.group", group_code=m.group.code))
