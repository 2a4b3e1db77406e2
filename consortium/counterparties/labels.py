"""How the counterparty register's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import name_of, register_model, vocabulary

from .constants import COUNTERPARTY_KINDS


def register() -> None:
    from .models import Counterparty
    register_model("Counterparty", _l("Counterparty"), fields={
        "id": _l("ID"), "name": _l("Name (Chinese)"), "name_en": _l("Name (English)"), "kind": _l("Kind"),
        "credit_code": _l("Unified social credit code"), "website": _l("Website"),
        "description": _l("About the counterparty"), "created_at": _l("Created at")},
        values={"kind": vocabulary(COUNTERPARTY_KINDS)})
    register_model("CounterpartyContact", _l("Counterparty contact"), fields={
        "id": _l("ID"), "counterparty_id": _l("Counterparty"), "name": _l("Name"), "title": _l("Title"),
        "email": _l("E-mail"), "phone": _l("Phone")},
        values={"counterparty_id": name_of(Counterparty)})
