"""The rules of the resource map: create, update, retire and fetch entries.

Every function takes the acting user explicitly (``None`` means the system: CLI,
demo data) and only flushes; the caller commits. Validation errors are
DomainErrors naming the field, so forms, the API and the importer can show them
next to the right input."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consortium.audit.services import set_actor
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from . import permissions
from .constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS, mask_from_modes
from .models import DataResource

TEXT_LIMITS = {"code": 60, "title": 200, "description": 5000, "keywords": 500, "department": 120,
               "contact_name": 100, "contact_email": 200, "spatial_coverage": 200, "registration_no": 80,
               "formats": 200}
DATE_FIELDS = ("temporal_start", "temporal_end", "data_updated_on")
EDITABLE = tuple(TEXT_LIMITS) + ("domain", "frequency", "openness", "circulation_modes", "record_count", "size_mb",
                                 "has_api", "is_public") + DATE_FIELDS


def _require_editor(actor, member):
    if actor is not None and not permissions.can_edit_for_member(actor, member):
        raise PermissionDenied(_("Only the owning member's users and the secretariat can change its entries."))
    set_actor(actor)


def _date(name, value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_("Enter a date as YYYY-MM-DD."), field=name) from None


def _number(name, value, kind):
    if value in (None, ""):
        return None
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a number."), field=name) from None
    if number < 0 or (kind is float and number != number):
        raise DomainError(_("The number cannot be negative."), field=name)
    if kind is int and number > 10**15:
        raise DomainError(_("The number is too large."), field=name)
    return number


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "是", "y")
    return bool(value)


def clean_fields(data: dict) -> dict:
    """Check and normalise resource fields (any subset of EDITABLE). Raises DomainError(field=...)."""
    clean = {}
    for key, value in data.items():
        if key not in EDITABLE:
            raise DomainError(_("This field cannot be changed."), field=key)
        if key in TEXT_LIMITS:
            value = "" if value is None else str(value).strip()
            if len(value) > TEXT_LIMITS[key]:
                raise DomainError(_("At most %(n)d characters.", n=TEXT_LIMITS[key]), field=key)
            if key == "keywords":
                value = ",".join(dict.fromkeys(
                    k.strip() for k in value.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
                    if k.strip()))
            if key == "contact_email" and value and ("@" not in value or " " in value):
                raise DomainError(_("Enter a valid e-mail address."), field=key)
        elif key == "domain":
            if value not in DOMAINS:
                raise DomainError(_("Unknown domain: %(value)s", value=value), field=key)
        elif key == "frequency":
            if value not in FREQUENCIES:
                raise DomainError(_("Unknown update frequency: %(value)s", value=value), field=key)
        elif key == "openness":
            if value not in OPENNESS:
                raise DomainError(_("Unknown openness: %(value)s", value=value), field=key)
        elif key == "circulation_modes":
            codes = [value] if isinstance(value, str) else list(value or [])
            unknown = [c for c in codes if c not in CIRCULATION_MODES]
            if unknown:
                raise DomainError(_("Unknown circulation mode: %(value)s", value=unknown[0]), field=key)
            value = codes
        elif key == "record_count":
            value = _number(key, value, int)
        elif key == "size_mb":
            value = _number(key, value, float)
        elif key in DATE_FIELDS:
            value = _date(key, value)
        elif key in ("has_api", "is_public"):
            value = _bool(value)
        clean[key] = value
    return clean


def _check_whole(resource: DataResource):
    if not resource.code:
        raise DomainError(_("A resource code is required."), field="code")
    if not resource.title:
        raise DomainError(_("A title is required."), field="title")
    for key, vocabulary in (("domain", DOMAINS), ("frequency", FREQUENCIES), ("openness", OPENNESS)):
        if getattr(resource, key) not in vocabulary:
            raise DomainError(_("Choose a value."), field=key)
    if resource.temporal_start and resource.temporal_end and resource.temporal_start > resource.temporal_end:
        raise DomainError(_("The time coverage ends before it starts."), field="temporal_end")
    with db.session.no_autoflush:
        clash = db.session.scalar(select(DataResource.id).where(
            DataResource.member_id == resource.member_id, DataResource.code == resource.code,
            DataResource.id != (resource.id or 0)))
    if clash:
        raise DomainError(_("This member already has a resource with code %(code)s.", code=resource.code),
                          field="code")


def _apply(resource: DataResource, clean: dict):
    for key, value in clean.items():
        if key == "circulation_modes":
            resource.circulation_mask = mask_from_modes(value)
        else:
            setattr(resource, key, value)


def create_resource(actor, member, **fields) -> DataResource:
    _require_editor(actor, member)
    if not member.is_active:
        raise DomainError(_("A suspended member cannot add entries."), field="member")
    clean = clean_fields(fields)
    resource = DataResource(member=member, member_id=member.id, city_id=member.city_id, status="active",
                            description="", keywords="", department="", contact_name="", contact_email="",
                            spatial_coverage="", registration_no="", formats="", circulation_mask=0,
                            has_api=False, is_public=False)
    _apply(resource, clean)
    _check_whole(resource)
    db.session.add(resource)
    db.session.flush()
    return resource


def update_resource(actor, resource: DataResource, **fields) -> DataResource:
    _require_editor(actor, resource.member)
    clean = clean_fields(fields)
    with db.session.no_autoflush:
        _apply(resource, clean)
        _check_whole(resource)
    db.session.flush()
    return resource


def retire_resource(actor, resource: DataResource) -> DataResource:
    """Retired entries leave the map (search, facets, exports) but keep their history."""
    _require_editor(actor, resource.member)
    resource.status = "retired"
    db.session.flush()
    return resource


def reinstate_resource(actor, resource: DataResource) -> DataResource:
    _require_editor(actor, resource.member)
    resource.status = "active"
    db.session.flush()
    return resource


def get_resource(actor, resource_id) -> DataResource:
    """The entry if this actor may see it; NotFound otherwise (hidden entries look absent)."""
    try:
        resource = db.session.get(DataResource, int(resource_id))
    except (TypeError, ValueError):
        resource = None
    if resource is None or not permissions.can_view(actor, resource):
        raise NotFound(_("This resource does not exist, or you cannot see it."))
    return resource


def count_visible(actor) -> int:
    """How many entries this actor may see (the home page's figure)."""
    return db.session.scalar(select(func.count(DataResource.id)).where(permissions.visible_clause(actor)))


def latest_visible(actor, limit: int = 5) -> list[DataResource]:
    return db.session.scalars(select(DataResource).where(permissions.visible_clause(actor))
                              .order_by(DataResource.updated_at.desc(), DataResource.id.desc()).limit(limit)).all()


def get_by_code(member, code: str) -> DataResource | None:
    return db.session.scalar(select(DataResource).where(DataResource.member_id == member.id,
                                                        DataResource.code == code))


def editable_members(actor):
    """The members whose entries this actor may create: its own, or all for the secretariat."""
    from consortium.auth.permissions import is_secretariat, is_signed_in
    from consortium.members.models import Member
    if is_secretariat(actor):
        return db.session.scalars(select(Member).where(Member.status == "active").order_by(Member.code)).all()
    if is_signed_in(actor) and actor.member is not None and actor.member.is_active:
        return [actor.member]
    return []
