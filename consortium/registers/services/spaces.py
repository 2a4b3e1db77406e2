"""Trusted data spaces (可信数据空间): recording and changing them, linking catalog entries."""
from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.catalog.constants import mask_from_modes
from consortium.core.entity import clean_values, taken
from consortium.core.exceptions import Conflict, DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from .. import permissions
from ..models import DataSpace, DataSpaceResource
from ..schemas import SpaceFields


def _given(value) -> list:
    """The codes a form or a caller sent, empty ones dropped."""
    return [c for c in ([value] if isinstance(value, str) else value or []) if c]


def space_values(actor, values: dict) -> dict:
    """The definition's fields (``schemas.SpaceFields``: limits, vocabularies, the launch day),
    the operator and the city, and the rules between them."""
    out = clean_values(SpaceFields, taken(SpaceFields, {**values, "domains": _given(values.get("domains")),
                                                        "circulation_modes": _given(values.get("circulation_modes"))}))
    out["circulation_mask"] = mask_from_modes(out.pop("circulation_modes"))
    operator = values.get("operator")
    if actor is not None and not permissions.can_operate_body_for(actor, operator):
        raise PermissionDenied(_("Only the secretariat can record a space operated by another member."))
    city = values.get("city")
    out.update(operator_id=operator.id if operator else None, city_id=city.id if city else None)
    if out["status"] == "running" and out["launched_on"] is None:
        raise DomainError(_("A running space has a launch date."), field="launched_on")
    if "is_example" in values:
        out["is_example"] = bool(values["is_example"])
    return out


def create_space(actor, **values) -> DataSpace:
    if actor is not None and not permissions.can_create_space(actor):
        raise PermissionDenied(_("Only member users and the secretariat record data spaces."))
    set_actor(actor)
    data = space_values(actor, values)
    if db.session.scalar(select(DataSpace.id).where(DataSpace.name == data["name"])):
        raise Conflict(_("A data space named %(name)s is already registered.", name=data["name"]), field="name")
    space = DataSpace(**data)
    db.session.add(space)
    db.session.flush()
    return space


def update_space(actor, space, **values) -> DataSpace:
    if actor is not None and not permissions.can_manage_space(actor, space):
        raise PermissionDenied(_("Only the operator's users and the secretariat change this space."))
    set_actor(actor)
    data = space_values(actor, values)
    if db.session.scalar(select(DataSpace.id).where(DataSpace.name == data["name"], DataSpace.id != space.id)):
        raise Conflict(_("A data space named %(name)s is already registered.", name=data["name"]), field="name")
    for key, value in data.items():
        setattr(space, key, value)
    db.session.flush()
    return space


def get_space(space_id) -> DataSpace:
    space = db.session.get(DataSpace, space_id)
    if space is None:
        raise NotFound(_("No such data space."))
    return space


def link_resource(actor, space, resource) -> DataSpaceResource:
    if actor is not None and not permissions.can_link_resource(actor, resource):
        raise PermissionDenied(_("Only the entry's editors link it to a data space."))
    set_actor(actor)
    link = db.session.get(DataSpaceResource, (space.id, resource.id))
    if link is not None:
        raise Conflict(_("%(title)s is already linked to %(space)s.", title=resource.title, space=space.name))
    link = DataSpaceResource(space_id=space.id, resource_id=resource.id)
    db.session.add(link)
    db.session.flush()
    return link


def unlink_resource(actor, space, resource) -> None:
    if actor is not None and not permissions.can_link_resource(actor, resource):
        raise PermissionDenied(_("Only the entry's editors link it to a data space."))
    set_actor(actor)
    link = db.session.get(DataSpaceResource, (space.id, resource.id))
    if link is None:
        raise NotFound(_("This entry is not linked to this space."))
    db.session.delete(link)
    db.session.flush()
