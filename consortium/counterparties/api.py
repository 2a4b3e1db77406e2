"""JSON: /api/v1/counterparties. The public register (no contacts for visitors,
never any negotiation)."""
from flask import Blueprint, abort
from flask_babel import get_locale
from flask_login import current_user

from consortium.core.entity import to_json
from consortium.core.openapi import api_doc

from . import permissions, services
from .schemas import ContactFields, CounterpartyExtraOut, CounterpartyFields, CounterpartyList, CounterpartyOut

bp = Blueprint("counterparties_api", __name__, url_prefix="/api/v1")


def counterparty_json(cp, with_contacts=False, locale=None) -> dict:
    """A counterparty as the API shows it (``schemas.CounterpartyOut``): its id, its defined
    fields as the definition writes them, and its contacts for those who may see them."""
    locale = locale or str(get_locale())
    data = {**CounterpartyExtraOut().dump(cp), **to_json(CounterpartyFields, cp, locale)}
    if with_contacts:
        data["contacts"] = [to_json(ContactFields, c, locale) for c in cp.contacts]
    return data


@bp.get("/counterparties")
@api_doc(summary="The counterparty register.", response=CounterpartyList, auth=True)
def index():
    contacts = permissions.can_view_contacts(current_user)
    return {"items": [counterparty_json(c, contacts) for c in services.list_counterparties()]}


@bp.get("/counterparties/<int:counterparty_id>")
@api_doc(summary="One counterparty.", response=CounterpartyOut, auth=True)
def detail(counterparty_id):
    cp = services.get_counterparty(counterparty_id)
    if cp is None:
        abort(404)
    return counterparty_json(cp, permissions.can_view_contacts(current_user))
