"""The rules of the resource map: create, update, retire and fetch entries.

Every function takes the acting user explicitly (``None`` means the system: CLI,
demo data) and only flushes; the caller commits. Validation errors are
DomainErrors naming the field, so forms, the API and the importer can show them
next to the right input."""
import csv
import io

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.auth.permissions import is_secretariat, is_signed_in
from consortium.core.entity import Day, clean_values, described, text_limits
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.core.locking import UNCHECKED, check_version
from consortium.extensions import db
from consortium.members.services import active_members
from consortium.members.signals import member_moved, member_reinstated, member_suspended

from . import permissions
from .constants import DOMAINS, FREQUENCIES, OPENNESS, mask_from_modes
from .models import DataResource
from .constants import SAMPLE_MAX_ROWS  # noqa: F401
from .field_list import clean_schema_fields, parse_column_list  # noqa: F401
from .schemas import ResourceFields
from .search import count_visible as from_columns

# What may be changed and the limits are the definition's (schemas.ResourceFields).
TEXT_LIMITS = text_limits(ResourceFields)
EDITABLE = tuple(described(ResourceFields))
DATE_FIELDS = tuple(name for name, f in described(ResourceFields).items() if isinstance(f, Day))


def _require_editor(actor, member):
    if actor is not None and not permissions.can_edit_for_member(actor, member):
        raise PermissionDenied(_("Only the owning member's users and the secretariat can change its entries."))
    set_actor(actor)


def sample_rows(resource) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(resource.sample_csv or "")) if any(c.strip() for c in r)]


def clean_fields(data: dict) -> dict:
    """Check and normalise resource fields (any subset of EDITABLE) with the definition's rules.
    Raises DomainError(field=...)."""
    return clean_values(ResourceFields, data)


def field_label(name: str) -> str:
    """A field's label in the reader's language (its name when the definition has no such field)."""
    definition = described(ResourceFields).get(name)
    return str(definition.label) if definition is not None else name


def _check_whole(resource: DataResource, code_is_free: bool = False):
    if not resource.code:
        raise DomainError(_("A resource code is required."), field="code")
    if not resource.title:
        raise DomainError(_("A title is required."), field="title")
    for key, vocabulary in (("domain", DOMAINS), ("frequency", FREQUENCIES), ("openness", OPENNESS)):
        if getattr(resource, key) not in vocabulary:
            raise DomainError(_("Choose a value."), field=key)
    if resource.licence == "custom" and not (resource.usage_conditions or "").strip():
        raise DomainError(_("Describe the custom terms."), field="usage_conditions")
    if resource.temporal_start and resource.temporal_end and resource.temporal_start > resource.temporal_end:
        raise DomainError(_("The time coverage ends before it starts."), field="temporal_end")
    if code_is_free:  # the caller checked it for many entries at once (codes_in_use); the unique key stands behind
        return
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


def create_resource(actor, member, *, code_is_free: bool = False, **fields) -> DataResource:
    """A new entry of ``member``. ``code_is_free``: the caller already knows no entry of the member
    has the code (``codes_in_use`` over a whole batch, as a harvest run does), so it is not asked
    again entry by entry."""
    _require_editor(actor, member)
    if not member.is_active:
        raise DomainError(_("A suspended member cannot add entries."), field="member")
    clean = clean_fields(fields)
    resource = DataResource(member=member, member_id=member.id, city_id=member.city_id, status="active",
                            description="", keywords="", department="", contact_name="", contact_email="",
                            spatial_coverage="", registration_no="", formats="", circulation_mask=0,
                            contact_phone="", licence="", usage_conditions="", schema_fields=[], sample_csv="",
                            download_url="",
                            has_api=False, is_public=False)
    _apply(resource, clean)
    _check_whole(resource, code_is_free)
    db.session.add(resource)
    db.session.flush()
    return resource


def update_resource(actor, resource: DataResource, expected_version=UNCHECKED, **fields) -> DataResource:
    _require_editor(actor, resource.member)
    check_version(resource, expected_version)
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
    if not resource.member.is_active or resource.status == "suspended":
        raise DomainError(_("The entries of a suspended member come back when the member is reinstated."),
                          field="status")
    resource.status = "active"
    db.session.flush()
    return resource


def archive_resource(actor, resource: DataResource) -> DataResource:
    """An entry its source no longer lists: it leaves the map (search, exports, DCAT) like a
    retired one and keeps its page for its owner and the secretariat, and its history."""
    _require_editor(actor, resource.member)
    resource.status = "archived"
    db.session.flush()
    return resource


def restore_resource(actor, resource: DataResource) -> DataResource:
    """An archived entry whose source lists it again is back on the map."""
    _require_editor(actor, resource.member)
    if resource.status == "archived":
        resource.status = "active" if resource.member.is_active else "suspended"
        db.session.flush()
    return resource


def list_archived(actor):
    """The select of the archived entries this actor may see: its own member's (all for the secretariat)."""
    stmt = select(DataResource).where(DataResource.status == "archived")
    if not is_secretariat(actor):
        stmt = stmt.where(DataResource.member_id == (actor.member_id if is_signed_in(actor) else None))
    return stmt.order_by(DataResource.updated_at.desc(), DataResource.id.desc())


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
    """How many entries this actor may see (the home page's figure): from the search's columns,
    which follow every committed write (a COUNT over a million rows took ~340 ms on PostgreSQL)."""
    return from_columns(actor)


def latest_visible(actor, limit: int = 5) -> list[DataResource]:
    return db.session.scalars(select(DataResource).where(permissions.visible_clause(actor))
                              .order_by(DataResource.updated_at.desc(), DataResource.id.desc()).limit(limit)).all()


def codes_in_use(member, codes) -> set[str]:
    """Which of ``codes`` the member's entries already have (one query per 500 codes: for work
    over many records, such as a harvest run, instead of a ``get_by_code`` each)."""
    codes, found = list(dict.fromkeys(codes)), set()
    with db.session.no_autoflush:
        for start in range(0, len(codes), 500):
            found.update(db.session.scalars(select(DataResource.code).where(
                DataResource.member_id == member.id, DataResource.code.in_(codes[start:start + 500]))))
    return found


def get_by_code(member, code: str) -> DataResource | None:
    return db.session.scalar(select(DataResource).where(DataResource.member_id == member.id,
                                                        DataResource.code == code))


def editable_members(actor):
    """The members whose entries this actor may create: its own, or all for the secretariat."""
    if is_secretariat(actor):
        return active_members(order="code")
    if is_signed_in(actor) and actor.member is not None and actor.member.is_active:
        return [actor.member]
    return []


def related_resources(actor, resource, limit: int = 8) -> list[DataResource]:
    """Entries of the same domain in other cities that this actor may see, most recently updated first."""
    stmt = (select(DataResource)
            .where(permissions.visible_clause(actor), DataResource.domain == resource.domain,
                   DataResource.city_id != resource.city_id, DataResource.id != resource.id)
            .order_by(DataResource.updated_at.desc(), DataResource.id.desc()).limit(limit))
    return db.session.scalars(stmt).all()
# ---- reactions to members (one rule, applied everywhere through the entry's own status)

@member_suspended.connect
def _hide_entries_of_suspended_member(member, actor=None, **_kw):
    """A suspended member's active entries leave the map everywhere (pages, search, API,
    exports, DCAT) as status "suspended"; reinstating the member brings them back."""
    for resource in db.session.scalars(select(DataResource).where(DataResource.member_id == member.id,
                                                                  DataResource.status == "active")):
        resource.status = "suspended"
    db.session.flush()


@member_reinstated.connect
def _show_entries_of_reinstated_member(member, actor=None, **_kw):
    for resource in db.session.scalars(select(DataResource).where(DataResource.member_id == member.id,
                                                                  DataResource.status == "suspended")):
        resource.status = "active"
    db.session.flush()


@member_moved.connect
def _move_entries_with_member(member, actor=None, old_city_id=None, **_kw):
    """An entry's city is its owner's city: moving the member moves every entry."""
    for resource in db.session.scalars(select(DataResource).where(DataResource.member_id == member.id,
                                                                  DataResource.city_id != member.city_id)):
        resource.city_id = member.city_id
    db.session.flush()
