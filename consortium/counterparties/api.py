"""JSON: /api/v1/counterparties. The public register (no contacts for visitors,
never any negotiation)."""
from flask import Blueprint, abort
from flask_login import current_user

from . import permissions, services

bp = Blueprint("counterparties_api", __name__, url_prefix="/api/v1")


def counterparty_json(cp, with_contacts=False) -> dict:
    data = {"id": cp.id, "name": cp.name, "name_en": cp.name_en, "kind": cp.kind, "credit_code": cp.credit_code,
            "website": cp.website, "description": cp.description}
    if with_contacts:
        data["contacts"] = [{"name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
                            for c in cp.contacts]
    return data


@bp.get("/counterparties")
def index():
    contacts = permissions.can_view_contacts(current_user)
    return {"items": [counterparty_json(c, contacts) for c in services.list_counterparties()]}


@bp.get("/counterparties/<int:counterparty_id>")
def detail(counterparty_id):
    cp = services.get_counterparty(counterparty_id)
    if cp is None:
        abort(404)
    return counterparty_json(cp, permissions.can_view_contacts(current_user))
