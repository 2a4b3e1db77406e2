"""How the resource map's audit rows read (the change history under an entry)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import name_of, register_model, vocabulary
from consortium.core.entity import Choice, described

from .constants import CIRCULATION_MODES, RESOURCE_STATUSES, modes_from_mask
from .schemas import ResourceFields


def _modes(mask):
    from flask_babel import get_locale
    zh = str(get_locale()).startswith("zh")
    return "、".join(CIRCULATION_MODES.label(c, "zh" if zh else "en")
                    for c in modes_from_mask(int(mask))) or "—"


def register() -> None:
    from consortium.geo.models import City
    from consortium.members.models import Member
    definition = described(ResourceFields)
    labels = {name: f.label for name, f in definition.items() if name != "circulation_modes"}
    register_model("DataResource", _l("Resource-map entry"), fields={
        "id": _l("ID"), "member_id": _l("Member"), **labels,
        "circulation_mask": definition["circulation_modes"].label, "status": _l("Status"), "city_id": _l("City"),
        "created_at": _l("Created at"), "updated_at": _l("Updated at")},
        values={**{name: vocabulary(f.vocabulary) for name, f in definition.items() if isinstance(f, Choice)},
                "status": vocabulary(RESOURCE_STATUSES), "circulation_mask": _modes,
                "member_id": name_of(Member), "city_id": name_of(City)})
