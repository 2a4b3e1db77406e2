"""How the resource map's audit rows read (the change history under an entry)."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of, vocabulary
from consortium.auth.models import User
from consortium.geo.models import City
from consortium.members.models import Member

from .access.models import DELIVERY_METHODS
from .access.models import STATUSES as ACCESS_STATUSES
from .constants import CIRCULATION_MODES, RESOURCE_STATUSES, modes_from_mask
from .extras import delivery_spaces
from .models import DataResource
from .schemas import AccessDecisionFields, AccessGrantFields, AccessRequestFields, ResourceFields


def modes_text(mask) -> str:
    """Circulation modes stored as a bit mask, as the reader's language names them."""
    zh = str(get_locale()).startswith("zh")
    return "、".join(CIRCULATION_MODES.label(c, "zh" if zh else "en")
                    for c in modes_from_mask(int(mask))) or "—"


def space_name(value) -> str:
    """A data space by its name, as the registers describe it."""
    spaces = delivery_spaces()
    space = spaces.describe(int(value)) if spaces and value else None
    return space["name"] if space else f"#{value}"


def models(sender, **kwargs):
    fields, values = defined(ResourceFields)
    yield ModelLabels("DataResource", _l("Resource-map entry"), fields={
        "id": _l("ID"), "member_id": _l("Member"), **fields, "circulation_mask": fields["circulation_modes"],
        "status": _l("Status"), "city_id": _l("City"), "version": _l("Version"), "created_at": _l("Created at"),
        "updated_at": _l("Updated at")},
        values={**values, "status": vocabulary(RESOURCE_STATUSES), "circulation_mask": modes_text,
                "member_id": name_of(Member), "city_id": name_of(City)})
    request_fields, request_values = defined(AccessRequestFields)
    grant_fields, grant_values = defined(AccessGrantFields)
    yield ModelLabels("AccessRequest", _l("Access request"), fields={
        "id": _l("ID"), **request_fields, "resource_id": _l("Resource-map entry"),
        "requester_member_id": _l("Requesting member"), "owner_member_id": _l("Owning member"),
        "requested_by_id": _l("Requested by"), "status": _l("Status"), "decided_by_id": _l("Decided by"),
        "decided_at": _l("Decided at"), **defined(AccessDecisionFields)[0], **grant_fields,
        "delivery_space_id": _l("Data space"), "delivered_at": _l("Delivered at"), "delivered_by_id": _l("Delivered by"),
        "delivery_note": _l("Delivery note"), "received_at": _l("Received at"), "received_by_id": _l("Receipt confirmed by"),
        "receipt_note": _l("Receipt note"), "reminded_on": _l("Reminded of the end of the period on"),
        "created_at": _l("Created at")},
        values={**request_values, **grant_values, "resource_id": name_of(DataResource, "title"),
                "requester_member_id": name_of(Member), "owner_member_id": name_of(Member),
                "requested_by_id": name_of(User, "person_label"), "decided_by_id": name_of(User, "person_label"),
                "delivered_by_id": name_of(User, "person_label"), "received_by_id": name_of(User, "person_label"),
                "delivery_space_id": space_name, "delivery_method": vocabulary(DELIVERY_METHODS),
                "status": vocabulary(ACCESS_STATUSES)})
