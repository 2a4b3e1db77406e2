"""JSON API: /api/v1/agreements. Visitors read confirmed public agreements; parties
read their drafts, record, change (every change by a party is a draft for the
others) and confirm. Changes and confirmations carry the ``version`` read (409 if stale)."""
from flask import Blueprint, abort
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import paginated, parse_body
from consortium.core.entity import described, to_json
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.openapi import api_doc
from consortium.extensions import db
from consortium.counterparties.models import Counterparty
from consortium.members.services import get_member_by_code
from consortium.scenarios.services import get_scenario

from . import permissions, services
from .schemas import AgreementConfirm, AgreementExtraOut, AgreementFields, AgreementInput, AgreementOut, AgreementPage

bp = Blueprint("agreements_api", __name__, url_prefix="/api/v1/agreements")


def agreement_json(a, locale=None) -> dict:
    """An agreement as the API shows it (``schemas.AgreementOut``): its defined fields as the
    definition writes them, then its id, state, parties, scenarios and version."""
    return {**to_json(AgreementFields, a, locale or str(get_locale())), **AgreementExtraOut().dump(a)}


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
        scenario = get_scenario(int(sid)) if sid.isdigit() and len(sid) < 10 else None
        if scenario is None:
            raise DomainError(_("Unknown scenario."), field="scenario_ids")
        scenarios.append(scenario)
    defined = {name: data[name] for name in described(AgreementFields) if name in data}
    return {"status": "negotiating", "is_public": True, **defined,
            "members": members, "counterparties": counterparties, "scenarios": scenarios}


def _agreement(agreement_id):
    a = services.get_agreement(agreement_id)
    if a is None or not permissions.can_view(current_user, a):
        abort(404)
    return a


def _signed_in():
    if not is_signed_in(current_user):
        abort(401)


def _version(data):
    if "version" not in data:
        raise DomainError(_("Send the version you read (optimistic locking)."), field="version")
    return data["version"]


@bp.get("")
@api_doc(summary="Agreements you may see (paginated).", response=AgreementPage, auth=True)
def index():
    return paginated(services.list_agreements(current_user), agreement_json)


@bp.get("/<int:agreement_id>")
@api_doc(summary="One agreement.", response=AgreementOut, auth=True)
def detail(agreement_id):
    return agreement_json(_agreement(agreement_id))


@bp.post("")
@api_doc(summary="Record an agreement your organisation is party to (a draft for the other parties).",
         body=AgreementInput, response=AgreementOut, status=201)
def create():
    _signed_in()
    if not permissions.can_record(current_user):
        raise PermissionDenied(_("You may only record agreements your organisation is party to."))
    a = services.record_agreement(current_user, **_fields(parse_body(AgreementInput)))
    db.session.commit()
    return agreement_json(a), 201


@bp.patch("/<int:agreement_id>")
@api_doc(summary="Change an agreement (send the version you read; a draft again for the other parties).",
         body=AgreementInput, response=AgreementOut)
def update(agreement_id):
    _signed_in()
    a = _agreement(agreement_id)
    if not permissions.can_edit(current_user, a):
        raise PermissionDenied(_("You cannot change this agreement."))
    data = parse_body(AgreementInput)
    current = {**{name: getattr(a, name) for name in described(AgreementFields)},
               "members": [p.member.code for p in a.parties if p.member],
               "counterparties": [p.counterparty.name for p in a.parties if p.counterparty],
               "scenario_ids": [str(s.id) for s in a.scenarios]}
    services.update_agreement(current_user, a, expected_version=_version(data), **_fields({**current, **data}))
    db.session.commit()
    return agreement_json(a)


@bp.post("/<int:agreement_id>/confirm")
@api_doc(summary="Confirm an agreement for your organisation (send the version you read).", body=AgreementConfirm,
         response=AgreementOut)
def confirm(agreement_id):
    _signed_in()
    a = _agreement(agreement_id)
    if not permissions.can_confirm(current_user, a):  # refused before the body is judged
        raise PermissionDenied(_("Only a named party or the secretariat confirms."))
    services.confirm_agreement(current_user, a, expected_version=_version(parse_body(AgreementConfirm)))
    db.session.commit()
    return agreement_json(a)
