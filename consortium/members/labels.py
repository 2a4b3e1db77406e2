"""How the members domain's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import add_values, name_of, register_model, vocabulary

from .constants import MEMBER_KINDS, MEMBER_LEVELS, MEMBER_STATUSES


def register() -> None:
    from consortium.geo.models import City
    register_model("Member", _l("Member"), fields={
        "id": _l("ID"), "code": _l("Code"), "name": _l("Name (Chinese)"), "name_en": _l("Name (English)"),
        "kind": _l("Kind"), "level": _l("Level"), "city_id": _l("City"), "joined_on": _l("Joined on"),
        "status": _l("Status"), "suspension_reason": _l("Reason for the suspension"),
        "description": _l("Description"), "website": _l("Website"), "created_at": _l("Created at"),
        "version": _l("Version")},
        values={"kind": vocabulary(MEMBER_KINDS), "level": vocabulary(MEMBER_LEVELS),
                "status": vocabulary(MEMBER_STATUSES), "city_id": name_of(City)})
    from .models import Member
    add_values("User", {"member_id": name_of(Member)})  # auth sits below members
