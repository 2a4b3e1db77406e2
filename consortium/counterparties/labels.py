"""How the counterparty register's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import name_of, register_model, vocabulary
from consortium.core.entity import Choice, described

from .schemas import ContactFields, CounterpartyFields


def register() -> None:
    from .models import Counterparty
    definition = described(CounterpartyFields)  # the defined fields read as the form labels them
    register_model("Counterparty", _l("Counterparty"), fields={
        "id": _l("ID"), **{name: f.label for name, f in definition.items()},
        "description": _l("About the counterparty"), "created_at": _l("Created at")},
        values={name: vocabulary(f.vocabulary) for name, f in definition.items() if isinstance(f, Choice)})
    register_model("CounterpartyContact", _l("Counterparty contact"), fields={
        "id": _l("ID"), "counterparty_id": _l("Counterparty"),
        **{name: f.label for name, f in described(ContactFields).items()},
        "name": _l("Name"), "title": _l("Title")},  # the history's shorter labels
        values={"counterparty_id": name_of(Counterparty)})
