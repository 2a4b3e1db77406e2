"""JSON API: /api/v1/agreements. Visitors read confirmed public agreements; parties
read their drafts, record, change (every change by a party is a draft for the
others) and confirm. Changes and confirmations carry the ``version`` read (409 if stale)."""
from datetime import date

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import paginated
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.extensions import db
from consortium.counterparties.models import Counterparty
from consortium.members.services import get_member_by_code
from consortium.scenarios.services import get_scenario

from . import permissions, services

bp = Blueprint("agreements_api", __name__, url_prefix="/api/v1/agreements")


def agreement_json(a) -> dict:
    return {"id": a.id, "subject": a.subject, "description": a.description,
            "signed_on": a.signed_on.isoformat() if a.signed_on else None, "status": a.status,
            "is_public": a.is_public, "is_draft": a.is_draft, "documents": a.document_list,
            "parties": [{"member": p.member.code if p.member else None,
                         "counterparty": p.counterparty.name if p.counterparty else None,
                         "name": p.party.name if p.party else "", "confirmed": p.is_confirmed} for p in a.parties],
            "scenario_ids": [s.id for s in a.scenarios], "version": a.version}


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Send a JSON object."))
    return data


def _strings(data, key) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                              for v in value):
        raise DomainError(_("%(name)s must be a list.", name=key), field=key)
    return [str(v) for v in value]


def _fields(data) -> dict:
    members = []
    for code in _strings(data, "members"):
        member = get_member_by_code(code)
        if member is None:
            raise DomainError(_("Unknown member."), field="members")
        members.append(member)
    counterparties = []
    for name in _strings(data, "counterparties"):
        cp = db.session.scalar(db.select(Counterparty).where(Counterparty.name == name))
        if cp is None:
            raise DomainError(_("Unknown counterparty."), field="counterparties")
        counterparties.append(cp)
    scenarios = []
    for sid in _strings(data, "scenario_ids"):
        scenario = get_scenario(int(sid)) if sid.isdigit() and len(sid) < 10 else None
        if scenario is None:
            raise DomainError(_("Unknown scenario."), field="scenario_ids")
        scenarios.append(scenario)
    signed_on = data.get("signed_on")
    try:
        signed_on = date.fromisoformat(str(signed_on)) if signed_on not in (None, "") else None
    except ValueError:
        raise DomainError(_("Parameter %(name)s must be a date (YYYY-MM-DD).", name="signed_on"),
                          field="signed_on") from None
    for key in ("subject", "status", "description", "documents"):
        if not isinstance(data.get(key, ""), str):
            raise DomainError(_("This field must be text."), field=key)
    if not isinstance(data.get("is_public", True), bool):
        raise DomainError(_("This field must be true or false."), field="is_public")
    return dict(subject=data.get("subject", ""), signed_on=signed_on, status=data.get("status", "negotiating"),
                members=members, counterparties=counterparties, scenarios=scenarios,
                description=data.get("description", ""), documents=data.get("documents", ""),
                is_public=data.get("is_public", True))


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
def index():
    return paginated(services.list_agreements(current_user), agreement_json)


@bp.get("/<int:agreement_id>")
def detail(agreement_id):
    return agreement_json(_agreement(agreement_id))


@bp.post("")
def create():
    _signed_in()
    if not permissions.can_record(current_user):
        raise PermissionDenied(_("You may only record agreements your organisation is party to."))
    a = services.record_agreement(current_user, **_fields(_body()))
    db.session.commit()
    return agreement_json(a), 201


@bp.patch("/<int:agreement_id>")
def update(agreement_id):
    _signed_in()
    a = _agreement(agreement_id)
    if not permissions.can_edit(current_user, a):
        raise PermissionDenied(_("You cannot change this agreement."))
    data = _body()
    current = {"subject": a.subject, "status": a.status, "description": a.description, "documents": a.documents,
               "signed_on": a.signed_on.isoformat() if a.signed_on else None, "is_public": a.is_public,
               "members": [p.member.code for p in a.parties if p.member],
               "counterparties": [p.counterparty.name for p in a.parties if p.counterparty],
               "scenario_ids": [s.id for s in a.scenarios]}
    services.update_agreement(current_user, a, expected_version=_version(data), **_fields({**current, **data}))
    db.session.commit()
    return agreement_json(a)


@bp.post("/<int:agreement_id>/confirm")
def confirm(agreement_id):
    _signed_in()
    a = _agreement(agreement_id)
    services.confirm_agreement(current_user, a, expected_version=_version(_body()))
    db.session.commit()
    return agreement_json(a)
