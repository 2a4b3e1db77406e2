"""Scenario groups: a vertical (transport, health …) led by one member, with its targets.
What may be edited, the limits and the number ranges are the definition's
(``schemas.ScenarioGroupFields``); the rules here are the unique code and name, an active lead
and who may change what."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.entity import clean_values, described
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version
from consortium.extensions import db

from .. import permissions
from ..models import ScenarioGroup
from ..models import GROUP_CODE
from ..schemas import ScenarioGroupFields
from .common import _require

# Only the secretariat renames a group or changes its lead; a lead changes everything else.
SECRETARIAT_ONLY = ("code", "name", "lead_member")
__all__ = ["GROUP_CODE", "SECRETARIAT_ONLY", "create_group", "get_group_by_code", "list_groups", "update_group"]


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


def create_group(actor, **fields) -> ScenarioGroup:
    """``fields``: the definition's (code, name and lead required; thresholds default)."""
    _require(actor is None or permissions.can_manage_groups(actor), _l("Only the secretariat can create groups."))
    defaults = {name: f.initial for name, f in described(ScenarioGroupFields).items()
                if getattr(f, "initial", None) is not None}
    clean = clean_values(ScenarioGroupFields, {**defaults, **fields})
    set_actor(actor)
    group = ScenarioGroup(**clean)
    with db.session.no_autoflush:
        _validate_group(group)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(actor, group, expected_version=UNCHECKED, **fields) -> ScenarioGroup:
    """The secretariat changes everything; the lead changes purpose, target and thresholds."""
    _require(permissions.can_lead(actor, group))
    check_version(group, expected_version)
    if not permissions.can_manage_groups(actor) and set(fields) & set(SECRETARIAT_ONLY):
        raise PermissionDenied(_("Only the secretariat can rename a group or change its lead."))
    clean = clean_values(ScenarioGroupFields, fields)
    set_actor(actor)
    for key, value in clean.items():
        setattr(group, key, value)
    with db.session.no_autoflush:
        _validate_group(group)
    db.session.flush()
    return group
