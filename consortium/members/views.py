
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wtforms import SelectChoice

from consortium.core.clock import local_today
from consortium.audit.services import history_of
from consortium.audit.permissions import can_view_audit_log
from consortium.auth import permissions
from consortium.auth import services as auth_services
from consortium.auth.forms import PasswordForm, UserForm
from consortium.auth.models import User
from consortium.core.entity import more_fields
from consortium.core.exceptions import DomainError
from consortium.core.forms import save_form
from consortium.extensions import db
from consortium.geo.models import City
from consortium.geo.pickers import city_choices
from consortium.geo.services import list_provinces
from consortium.core.loaders import or_404
from consortium.core.pickers import make_picker
from consortium.core.validation import parse_date

from . import services
from .constants import MEMBER_KINDS
from .forms import MemberForm, SuspendForm
from .schemas import MemberFields

bp = Blueprint("members", __name__, url_prefix="/members")


def _require_secretariat():
    if not permissions.can_administer_members(current_user):
        abort(403 if current_user.is_authenticated else 401)


def _member_or_404(code):
    return or_404(services.get_member_by_code(code), lambda m: permissions.can_view_member(current_user, m))


def _parse_date(value, field):
    """A list filter: a bad date is ignored with a warning, never a 400."""
    try:
        return parse_date(value, field)
    except DomainError:
        flash(_("Ignored a date that is not in the form YYYY-MM-DD: %(v)s", v=value), "warning")
        return None


@bp.get("/")
def index():
    args = request.args
    include_suspended = args.get("status") == "all"
    stmt = services.list_members(
        current_user, province=args.get("province") or None,
        kind=args.get("kind") if args.get("kind") in MEMBER_KINDS else None,
        joined_from=_parse_date(args.get("joined_from"), "joined_from"),
        joined_to=_parse_date(args.get("joined_to"), "joined_to"),
        q=(args.get("q") or "").strip() or None, include_suspended=include_suspended)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("members/index.html", page=page, provinces=list_provinces(),
                           kinds=MEMBER_KINDS.choices(get_locale()), args=args)


@bp.get("/<code>")
def detail(code):
    member = _member_or_404(code)
    show_users = permissions.can_view_member_users(current_user, member)
    history = history_of(member) if can_view_audit_log(current_user) else []
    return render_template("members/detail.html", member=member, show_users=show_users, history=history,
                           more_fields=more_fields(MemberFields, member, LAID_OUT, str(get_locale())))


# The fields members/detail.html lays out itself; any other defined field is listed under them.
LAID_OUT = {"code", "name", "name_en", "kind", "level", "joined_on", "website", "description"}


def _city_picker(field):
    """The 337 cities, searchable: named in the page's language with their province, by pinyin."""
    make_picker(field, city_choices(str(get_locale())))


def _apply_form(form):
    """The defined fields (``code`` only on admission: the edit form drops it) and the city."""
    city = db.session.get(City, int(form.city.data)) if (form.city.data or "").isdigit() else None
    return {**form.values(), "city": city}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _require_secretariat()
    form = MemberForm()
    _city_picker(form.city)
    if request.method == "GET":
        form.joined_on.data = local_today()
    member = save_form(form, lambda: services.admit_member(current_user, **_apply_form(form)))
    if member:
        flash(_("%(name)s has been admitted.", name=member.name), "success")
        return redirect(url_for("members.detail", code=member.code))
    return render_template("members/form.html", form=form, member=None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code):
    _require_secretariat()
    member = _member_or_404(code)
    form = MemberForm(obj=member)
    del form.code  # chosen once, at admission
    _city_picker(form.city)
    if request.method == "GET":
        form.city.data = str(member.city_id)
    saved = save_form(form, lambda: services.update_member(current_user, member, expected_version=form.version.data,
                                                                   **_apply_form(form)))
    if saved:
        flash(_("Changes saved."), "success")
        return redirect(url_for("members.detail", code=member.code))
    return render_template("members/form.html", form=form, member=member)


@bp.route("/<code>/suspend", methods=["GET", "POST"])
@login_required
def suspend(code):
    """A confirmation page: the reason is required and shown to the member's users."""
    _require_secretariat()
    member = _member_or_404(code)
    form = SuspendForm()
    if save_form(form, lambda: services.suspend_member(current_user, member, form.reason.data)):
        flash(_("%(name)s is suspended; its users were signed out and will see the reason.", name=member.name),
              "warning")
        return redirect(url_for("members.detail", code=member.code))
    return render_template("core/confirm.html", form=form, danger=True,
                           title=_("Suspend %(name)s?", name=member.name),
                           explanation=_("Its %(n)d users are signed out at once and cannot sign in until the "
                                         "member is reinstated. Its entries and replications stay.",
                                         n=len(member.users)),
                           cancel_url=url_for("members.detail", code=member.code))


@bp.post("/<code>/reinstate")
@login_required
def reinstate(code):
    _require_secretariat()
    member = _member_or_404(code)
    services.reinstate_member(current_user, member)
    db.session.commit()
    flash(_("%(name)s is active again.", name=member.name), "success")
    return redirect(url_for("members.detail", code=member.code))


@bp.route("/<code>/users/new", methods=["GET", "POST"])
@login_required
def new_user(code):
    _require_secretariat()
    member = _member_or_404(code)
    form = UserForm()
    form.role.choices = [SelectChoice("member", _("Member user"))]
    user = save_form(form, lambda: auth_services.create_user(
        current_user, **{**form.values(), "role": "member"}, password=form.password.data, member=member,
        min_length=current_app.config["PASSWORD_MIN_LENGTH"]))
    if user:
        flash(_("Account %(email)s created.", email=user.email), "success")
        return redirect(url_for("members.detail", code=member.code))
    return render_template("members/user_form.html", form=form, member=member)


def _user_or_404(user_id):
    return or_404(db.session.get(User, user_id))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@login_required
def reset_password(user_id):
    _require_secretariat()
    user = _user_or_404(user_id)
    form = PasswordForm()
    saved = save_form(form, lambda: {"revoked": auth_services.reset_password(
        current_user, user, form.password.data, current_app.config["PASSWORD_MIN_LENGTH"])})
    if saved:
        flash(_("The password of %(email)s was reset; their sessions were ended and %(n)d API tokens revoked.",
                email=user.email, n=saved["revoked"]), "success")
        return redirect(url_for("members.detail", code=user.member.code) if user.member
                        else url_for("members.index"))
    return render_template("members/password_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/enabled")
@login_required
def set_user_enabled(user_id):
    _require_secretariat()
    user = _user_or_404(user_id)
    enable = request.form.get("enabled") == "1"
    auth_services.set_user_enabled(current_user, user, enable)
    db.session.commit()
    flash(_("Account %(email)s enabled.", email=user.email) if enable
          else _("Account %(email)s suspended; its sessions were ended.", email=user.email), "info")
    return redirect(url_for("members.detail", code=user.member.code) if user.member else url_for("members.index"))
