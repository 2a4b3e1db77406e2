"""The registers blueprint and what its pages share: the template helpers, loaders that 404,
the date filter, the member and body pickers."""
from datetime import date

from flask import Blueprint, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from consortium.auth.permissions import is_secretariat
from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS
from consortium.catalog.constants import label as catalog_label
from consortium.core.entity import more_fields as entity_more_fields
from consortium.core.exceptions import DomainError, NotFound
from consortium.core.pickers import picker_choices
from consortium.core.validation import parse_date
from consortium.extensions import db
from consortium.geo.pickers import city_choices
from consortium.members.models import Member
from consortium.members.pickers import member_choices
from consortium.members.services import active_members

from ..constants import CERTIFICATE_STATES, CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES, label
from ..services import certificates as certificate_services
from ..services import common as common_services
from ..services import recognitions as recognition_services


bp = Blueprint("registers", __name__, url_prefix="/registers")
PER_PAGE = 50


def _locale() -> str:
    return str(get_locale())


@bp.context_processor
def _helpers():
    locale = _locale()
    return {"reg_label": lambda vocabulary, code: label(vocabulary, code, locale),
            "cat_label": lambda vocabulary, code: catalog_label(vocabulary, code, locale),
            "CERTIFICATE_STATUSES": CERTIFICATE_STATUSES, "CERTIFICATE_STATES": CERTIFICATE_STATES,
            "SPACE_KINDS": SPACE_KINDS, "cert_state": certificate_services.certificate_state,
            "SPACE_STATUSES": SPACE_STATUSES, "DOMAINS": DOMAINS, "MODES": CIRCULATION_MODES,
            "state_of": recognition_services.current_state}


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


def _date_arg(name="date") -> tuple[date, str | None]:
    """A page's date filter: a bad one falls back to today with the parser's message shown."""
    try:
        return parse_date(request.args.get(name), name) or common_services.today(), None
    except DomainError as e:
        return common_services.today(), e.message


def _city_choices():
    """The city picker, submitting the city's adcode (``geo.services.city_named`` reads it)."""
    return city_choices(_locale(), value=lambda c: c.adcode, blank="—")


def _member_choices(actor, allow_none=True):
    locale = _locale()
    if is_secretariat(actor):
        members = active_members()
    else:
        members = [actor.member] if actor.member is not None else []
    blank = _("— none —") if allow_none and is_secretariat(actor) else None
    return member_choices(members, locale, value=lambda m: m.code, blank=blank)


def _member_from(code):
    return db.session.scalar(select(Member).where(Member.code == code)) if code else None


def more_fields(definition, obj, laid_out) -> list[tuple[str, object]]:
    return entity_more_fields(definition, obj, laid_out, _locale())


def _body_choices(bodies):
    locale = _locale()
    return picker_choices(bodies, locale, value=lambda b: b.code,
                          names=lambda b: [b.name, b.name_en, b.code, b.city.name, b.city.name_en])
