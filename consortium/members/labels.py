"""How the members domain's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, MoreValues, defined, name_of, vocabulary
from consortium.geo.models import City

from .constants import MEMBER_STATUSES
from .models import Member
from .schemas import MemberFields


def models(sender, **kwargs):
    labels, values = defined(MemberFields)  # the defined fields read as the form labels them
    yield ModelLabels("Member", _l("Member"), fields={
        "id": _l("ID"), **labels, "city_id": _l("City"), "status": _l("Status"),
        "suspension_reason": _l("Reason for the suspension"), "created_at": _l("Created at"),
        "version": _l("Version")},
        values={**values, "status": vocabulary(MEMBER_STATUSES), "city_id": name_of(City)})
    yield MoreValues("User", {"member_id": name_of(Member)})  # auth sits below members
