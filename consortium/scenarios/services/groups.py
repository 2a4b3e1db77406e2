"""Scenario groups: a vertical (transport, health …) led by one member, with its targets."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version
from consortium.core.requests import check_code
from consortium.extensions import db

from .. import permissions
from ..models import ScenarioGroup
from .common import _positive, _require, _text

GROUP_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def list_groups():
    return db.session.scalars(select(ScenarioGroup).order_by(ScenarioGroup.id)).all()


def get_group_by_code(code: str) -> ScenarioGroup | None:
    return db.session.scalar(select(ScenarioGroup).where(ScenarioGroup.code == code))


def _validate_group(group: ScenarioGroup):
    if not group.name:
        raise DomainError(_("A name is required."), field="name")
    if not GROUP_CODE.match(group.code or ""):
        raise DomainError(_("The code uses lower-case letters, digits and hyphens (2–40)."), field="code")
    if group.lead_member is None or not group.lead_member.is_active:
        raise DomainError(_("Choose an active member as the lead."), field="lead_member")
    for field, value in (("code", group.code), ("name", group.name)):
        clash = db.session.scalar(select(ScenarioGroup.id).where(
            getattr(ScenarioGroup, field) == value, ScenarioGroup.id != (group.id or 0)))
        if clash:
            raise DomainError(_("Another group already uses this."), field=field)


def create_group(actor, *, code, name, lead_member, name_en="", description="", target_count=None,
                 target_date=None, promotable_cities=3, stall_days=60,
                 authorisation_before_pilot=False) -> ScenarioGroup:
    _require(actor is None or permissions.can_manage_groups(actor), _l("Only the secretariat can create groups."))
    set_actor(actor)
    group = ScenarioGroup(code=_text(code).lower(), name=_text(name, 120), name_en=_text(name_en, 160),
                          description=_text(description), lead_member=lead_member,
                          target_count=_positive(target_count, "target_count"), target_date=target_date,
                          promotable_cities=_positive(promotable_cities, "promotable_cities", False),
                          stall_days=_positive(stall_days, "stall_days", False),
                          authorisation_before_pilot=bool(authorisation_before_pilot))
    check_code(group.code)
    with db.session.no_autoflush:
        _validate_group(group)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(actor, group, expected_version=UNCHECKED, **fields) -> ScenarioGroup:
    """The secretariat changes everything; the lead changes purpose, target and thresholds."""
    lead_fields = {"description", "name_en", "target_count", "target_date", "promotable_cities", "stall_days",
                   "authorisation_before_pilot"}
    _require(permissions.can_lead(actor, group))
    check_version(group, expected_version)
    if not permissions.can_manage_groups(actor) and set(fields) - lead_fields:
        raise PermissionDenied(_("Only the secretariat can rename a group or change its lead."))
    set_actor(actor)
    for key, value in fields.items():
        if key in ("target_count",):
            value = _positive(value, key)
        elif key in ("promotable_cities", "stall_days"):
            value = _positive(value, key, False)
        elif isinstance(value, str):
            value = value.strip()
        setattr(group, key, value)
    with db.session.no_autoflush:
        _validate_group(group)
    db.session.flush()
    return group

