"""JSON API: /api/v1/agreements. Visitors read confirmed public agreements; parties
read their drafts, record, change (every change by a party is a draft for the
others) and confirm. Changes and confirmations carry the ``version`` read (409 if stale)."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.api import signed_in
from consortium.core.api import Blueprint, PageQuery, first, paginate
from consortium.core.entity import described
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.counterparties.models import Counterparty
from consortium.extensions import db
from consortium.members.services import get_member_by_code
from consortium.scenarios.services import get_scenario

from . import permissions, services
from .schemas import AgreementConfirm, AgreementFields, AgreementInput, AgreementOut, AgreementPage

bp = Blueprint("agreements_api", __name__, url_prefix="/api/v1/agreements", description="Co-operation agreements.")


def _fields(data) -> dict:
    """The service's arguments from a checked body (``AgreementInput``): codes, names and ids
    resolved to objects (an unknown one is a 400 naming the field); the defined fields as sent
    (a new agreement is under negotiation and public unless the body says otherwise)."""
    members = []
    for code in data.get("members", []):
        member = get_member_by_code(code)
        if member is None:
            raise DomainError(_("Unknown member."), field="members")
        members.append(member)
    counterparties = []
    for name in data.get("counterparties", []):
        cp = db.session.scalar(db.select(Counterparty).where(Counterparty.name == name))
        if cp is None:
            raise DomainError(_("Unknown counterparty."), field="counterparties")
        counterparties.append(cp)
    scenarios = []
    for sid in data.get("scenario_ids", []):
        scenario = get_scenario(int(sid)) if sid.isascii() and sid.isdigit() and len(sid) < 10 else None
        if scenario is None:
            raise DomainError(_("Unknown scenario."), field="scenario_ids")
        scenarios.append(scenario)
    defined = {name: data[name] for name in described(AgreementFields) if name in data}
    return {"status": "negotiating", "is_public": True, **defined,
            "members": members, "counterparties": counterparties, "scenarios": scenarios}


def visible_agreement(agreement_id) -> dict:
    """A ``core.api.first`` check: the agreement exists and the caller may see it (404)."""
    a = services.get_agreement(agreement_id)
    if a is None or not permissions.can_view(current_user, a):
        abort(404)
    return {"a": a}


def _version(data):
    if "version" not in data:
        raise DomainError(_("Send the version you read (optimistic locking)."), field="version")
    return data["version"]


@bp.route("")
@bp.arguments(PageQuery, location="query")
@bp.response(200, AgreementPage)
def index(query):
    """Agreements you may see (paginated)."""
    return paginate(services.list_agreements(current_user), query)


@bp.route("/<int:agreement_id>")
@first(visible_agreement)
@bp.response(200, AgreementOut)
def detail(a):
    """One agreement."""
    return a


def recorder(**kwargs) -> dict:
    signed_in()
    if not permissions.can_record(current_user):
        raise PermissionDenied(_("You may only record agreements your organisation is party to."))
    return kwargs


@bp.route("", methods=["POST"])
@first(recorder)
@bp.arguments(AgreementInput)
@bp.response(201, AgreementOut)
def create(body):
    """Record an agreement your organisation is party to (a draft for the other parties)."""
    a = services.record_agreement(current_user, **_fields(body))
    db.session.commit()
    return a


def editable_agreement(agreement_id) -> dict:
    signed_in()
    found = visible_agreement(agreement_id)
    if not permissions.can_edit(current_user, found["a"]):
        raise PermissionDenied(_("You cannot change this agreement."))
    return found


@bp.route("/<int:agreement_id>", methods=["PATCH"])
@first(editable_agreement)
@bp.arguments(AgreementInput)
@bp.response(200, AgreementOut)
def update(body, a):
    """Change an agreement (send the version you read; a draft again for the other parties)."""
    current = {**{name: getattr(a, name) for name in described(AgreementFields)},
               "members": [p.member.code for p in a.parties if p.member],
               "counterparties": [p.counterparty.name for p in a.parties if p.counterparty],
               "scenario_ids": [str(s.id) for s in a.scenarios]}
    services.update_agreement(current_user, a, expected_version=_version(body), **_fields({**current, **body}))
    db.session.commit()
    return a


def confirmable_agreement(agreement_id) -> dict:
    signed_in()
    found = visible_agreement(agreement_id)
    if not permissions.can_confirm(current_user, found["a"]):
        raise PermissionDenied(_("Only a named party or the secretariat confirms."))
    return found


@bp.route("/<int:agreement_id>/confirm", methods=["POST"])
@first(confirmable_agreement)
@bp.arguments(AgreementConfirm)
@bp.response(200, AgreementOut)
def confirm(body, a):
    """Confirm an agreement for your organisation (send the version you read)."""
    services.confirm_agreement(current_user, a, expected_version=_version(body))
    db.session.commit()
    return a
