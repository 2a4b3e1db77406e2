"""How the resource map's audit rows read (the change history under an entry)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import name_of, register_model, vocabulary

from .constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS, RESOURCE_STATUSES, modes_from_mask


def _modes(mask):
    from flask_babel import get_locale
    zh = str(get_locale()).startswith("zh")
    return "、".join(CIRCULATION_MODES[c][1] if zh else str(CIRCULATION_MODES[c][2])
                    for c in modes_from_mask(int(mask))) or "—"


def register() -> None:
    from consortium.geo.models import City
    from consortium.members.models import Member
    register_model("DataResource", _l("Resource-map entry"), fields={
        "id": _l("ID"), "member_id": _l("Member"), "code": _l("Resource code"), "title": _l("Title"),
        "description": _l("Description"), "keywords": _l("Keywords"), "domain": _l("Domain"),
        "department": _l("Data-providing department"), "contact_name": _l("Contact"),
        "contact_email": _l("Contact e-mail"), "frequency": _l("Update frequency"),
        "record_count": _l("Records"), "size_mb": _l("Size (MB)"), "temporal_start": _l("Time coverage from"),
        "temporal_end": _l("Time coverage to"), "spatial_coverage": _l("Spatial coverage"),
        "openness": _l("Openness"), "circulation_mask": _l("Circulation modes"),
        "registration_no": _l("Data-asset registration number"), "formats": _l("Formats"),
        "has_api": _l("API available"), "data_updated_on": _l("Data last updated"),
        "is_public": _l("Public"), "status": _l("Status"), "city_id": _l("City"),
        "created_at": _l("Created at"), "updated_at": _l("Updated at")},
        values={"domain": vocabulary(DOMAINS), "frequency": vocabulary(FREQUENCIES),
                "openness": vocabulary(OPENNESS), "status": vocabulary(RESOURCE_STATUSES),
                "circulation_mask": _modes, "member_id": name_of(Member), "city_id": name_of(City)})
