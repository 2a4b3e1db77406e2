"""Registration bodies (数据资产登记机构): recording, changing, finding them."""
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

from consortium.audit.services import set_actor
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.entity import clean_values, taken
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from .. import permissions
from ..models import RegistrationBody
from ..schemas import BodyFields


def get_body(code: str) -> RegistrationBody:
    body = db.session.scalar(select(RegistrationBody).where(RegistrationBody.code == (code or "")))
    if body is None:
        raise NotFound(_("There is no registration body %(code)s.", code=code))
    return body


def find_body(value: str) -> RegistrationBody | None:
    """A body by its code or its exact name (what users and spreadsheets type)."""
    value = (value or "").strip()
    return db.session.scalar(select(RegistrationBody).options(lazyload("*")).where(
        or_(RegistrationBody.code == value, RegistrationBody.name == value)))


def _body_values(actor, values: dict) -> dict:
    """The definition's fields (but the code, given once), the city, the operating member."""
    out = clean_values(BodyFields, taken(BodyFields, values, skip=("code",)))
    city = values.get("city")
    if city is None:
        raise DomainError(_("Choose the body's city."), field="city")
    out["city_id"] = city.id
    member = values.get("member")
    if actor is not None and not permissions.can_operate_body_for(actor, member):
        raise PermissionDenied(_("Only the secretariat can record a body operated by another member."))
    out["member_id"] = member.id if member is not None else None
    if "is_example" in values:
        out["is_example"] = bool(values["is_example"])
    return out


def create_body(actor, *, code, **values) -> RegistrationBody:
    if actor is not None and not permissions.can_create_body(actor):
        raise PermissionDenied(_("Only member users and the secretariat record registration bodies."))
    set_actor(actor)
    code = clean_values(BodyFields, {"code": code})["code"]
    data = _body_values(actor, values)
    if db.session.scalar(select(RegistrationBody.id).where(RegistrationBody.code == code)):
        raise Conflict(_("The code %(code)s is already taken.", code=code), field="code")
    if db.session.scalar(select(RegistrationBody.id).where(RegistrationBody.name == data["name"])):
        raise Conflict(_("A body named %(name)s is already registered.", name=data["name"]), field="name")
    body = RegistrationBody(code=code, **data)
    db.session.add(body)
    db.session.flush()
    return body


def update_body(actor, body, **values) -> RegistrationBody:
    if actor is not None and not permissions.can_manage_body(actor, body):
        raise PermissionDenied(_("Only the operating member's users and the secretariat change this body."))
    set_actor(actor)
    data = _body_values(actor, values)
    other = db.session.scalar(select(RegistrationBody.id).where(RegistrationBody.name == data["name"],
                                                               RegistrationBody.id != body.id))
    if other:
        raise Conflict(_("A body named %(name)s is already registered.", name=data["name"]), field="name")
    for key, value in data.items():
        setattr(body, key, value)
    db.session.flush()
    return body


def managed_bodies(actor) -> list[RegistrationBody]:
    """The bodies whose certificates and agreements this actor records."""
    if not is_signed_in(actor):
        return []
    stmt = select(RegistrationBody).order_by(RegistrationBody.name)
    if not is_secretariat(actor):
        stmt = stmt.where(RegistrationBody.member_id == actor.member_id)
    return [b for b in db.session.scalars(stmt) if permissions.can_manage_body(actor, b)]
