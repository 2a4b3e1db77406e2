"""How harvest sources read in the audit log."""
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel import lazy_pgettext

from consortium.audit.labels import ModelLabels, name_of, vocabulary
from consortium.auth.models import User
from consortium.members.models import Member

from .constants import KINDS, SCHEDULES, SOURCE_STATES


def _minutes(value) -> str:
    return ngettext("%(num)d minute", "%(num)d minutes", int(value))


def models(sender, **kwargs):
    yield ModelLabels("HarvestSource", _l("Harvest source"), fields={
        "id": _l("ID"), "member_id": _l("Member"), "kind": _l("Kind of source"), "name": _l("Name"),
        "url": _l("Address"), "schedule": lazy_pgettext("harvest", "Schedule"), "state": _l("State"),
        "decision_comment": _l("Secretariat's comment"), "decided_by_id": _l("Decided by"),
        "decided_at": _l("Decided at"), "proposed_by_id": _l("Proposed by"),
        "vocabulary_maps": _l("Vocabulary maps"), "make_public": _l("New entries are public"),
        "archive_after": _l("Archive after runs without the entry"), "run_timeout_minutes": _l("Run time limit (minutes)"), "last_run_at": _l("Last run"),
        "last_success_at": _l("Last successful run"), "created_at": _l("Created at")},
        values={"member_id": name_of(Member), "kind": vocabulary(KINDS), "schedule": vocabulary(SCHEDULES),
                "state": vocabulary(SOURCE_STATES), "run_timeout_minutes": _minutes, "decided_by_id": name_of(User, "person_label"),
                "proposed_by_id": name_of(User, "person_label")})
