"""A counterparty's definition (``CounterpartyFields``), made from its model, whose columns
declare every field the secretariat records with its label (the limit is the column's, the
vocabulary named there). The services' rules, the counterparty form, the JSON answer of
/api/v1/counterparties and its OpenAPI description (``CounterpartyOut``) are derived from it
(see ``consortium.core.entity``). Adding a field: the model, a migration and the translations.

Its contacts have their own definition (``ContactFields``); they appear in the JSON only for
those who may see them, visitors never get them."""
from marshmallow import Schema, fields

from consortium.core.api import ListWhen
from consortium.core.entity import definition, output_schema

from .models import Counterparty, CounterpartyContact

CounterpartyFields = definition(Counterparty, "CounterpartyFields")  # 对手方, in the order of the form
# A person the union talks to at a counterparty (a contact, never an account).
ContactFields = definition(CounterpartyContact, "ContactFields")


ContactOut = output_schema(ContactFields, "ContactOut", {})


class CounterpartyExtraOut(Schema):
    """What a counterparty's JSON has beyond its defined fields (contacts aside)."""
    id = fields.Integer(required=True)


CounterpartyOut = output_schema(CounterpartyFields, "CounterpartyOut", {
    **CounterpartyExtraOut._declared_fields,
    "contacts": ListWhen(fields.Nested(ContactOut), "with_contacts",
                         metadata={"description": "for signed-in members and the secretariat only"})})


class CounterpartyList(Schema):
    items = fields.List(fields.Nested(CounterpartyOut), required=True)
