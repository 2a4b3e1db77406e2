"""The scenarios blueprint and what its pages share: loaders that 404, the member pickers."""

from flask import Blueprint, abort
from flask_babel import get_locale
from flask_login import current_user

from consortium.core.entity import more_fields as entity_more_fields
from consortium.members.pickers import member_choices
from consortium.core.loaders import or_404
from consortium.core.requests import row_id
from consortium.extensions import db
from consortium.members.models import Member

from .. import permissions
from ..constants import STAGE_COLOURS, STAGES
from ..schemas import ReplicationFields, ScenarioFields, ScenarioGroupFields
from ..services import common as common_services
from ..services import groups as group_services
from ..services import replications as replication_services
from ..services import scenarios as scenario_services

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")


@bp.app_context_processor
def _stage_vocabulary():
    return {"stage_labels": dict(STAGES.choices(get_locale())), "stage_colours": STAGE_COLOURS,
            "more_fields": more_fields}


# The fields each page lays out itself; any other field of the entity's definition is listed on
# the page under them (label and value), so a field added to a definition shows without editing it.
PAGES = {
    "group": (ScenarioGroupFields, {"code", "name", "name_en", "lead_member", "description", "target_count",
                                    "target_date", "promotable_cities", "stall_days",
                                    "authorisation_before_pilot"}),
    "scenario": (ScenarioFields, {"title", "title_en", "description", "origin_member", "circulation_modes",
                                  "maturity", "links"}),
    "replication": (ReplicationFields, {"owner", "next_step", "blockers"}),
}


def more_fields(page: str, obj) -> list[tuple[str, object]]:
    """(label, value) of the definition's fields ``page`` does not lay out, when they hold a value."""
    definition, laid_out = PAGES[page]
    return entity_more_fields(definition, obj, laid_out, get_locale())


def _locale() -> str:
    return str(get_locale())


def _group_or_404(code):
    return or_404(group_services.get_group_by_code(code))


def _scenario_or_404(scenario_id):
    return or_404(scenario_services.get_scenario(scenario_id))


def _replication_or_404(replication_id):
    return or_404(replication_services.get_replication(replication_id), lambda _r: permissions.can_read_replications(current_user))


def _require(allowed):
    if not allowed:
        abort(403 if current_user.is_authenticated else 401)


def _member_choices(kind=None, blank=None):
    """Active members, searchable (consortium.members.pickers)."""
    return member_choices(common_services.list_active_members(kind), str(get_locale()), blank=blank)


def _opening_fields(form) -> dict:
    """The replication definition's fields a form opening one holds (start, accepting an invitation)."""
    return form.values()  # the form holds no excluded field


def _member(value):
    number = row_id(value)
    return db.session.get(Member, number) if number is not None else None

