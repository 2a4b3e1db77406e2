"""How the counterparty register's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined, name_of

from .models import Counterparty
from .schemas import ContactFields, CounterpartyFields


def models(sender, **kwargs):
    labels, values = defined(CounterpartyFields)  # the defined fields read as the form labels them
    yield ModelLabels("Counterparty", _l("Counterparty"), fields={
        "id": _l("ID"), **labels, "description": _l("About the counterparty"), "created_at": _l("Created at")},
        values=values)
    yield ModelLabels("CounterpartyContact", _l("Counterparty contact"), fields={
        "id": _l("ID"), "counterparty_id": _l("Counterparty"),
        **defined(ContactFields)[0],
        "name": _l("Name")},  # the history's shorter label
        values={"counterparty_id": name_of(Counterparty)})
