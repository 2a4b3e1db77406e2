"""A counterparty's one definition (``CounterpartyFields``): every field the secretariat
records, with its limit, vocabulary and label. The services' rules, the counterparty form, the
JSON answer of /api/v1/counterparties and its OpenAPI description (``CounterpartyOut``) are
derived from it (see ``consortium.core.entity``). Adding a field: this file, the model, a
migration and the translations.

Its contacts have their own definition (``ContactFields``); they appear in the JSON only for
those who may see them, visitors never get them."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from wtforms.validators import URL

from consortium.core.api import ListWhen
from consortium.core.entity import Choice, Email, Text, output_schema
from consortium.core.uscc import check_uscc

from .constants import COUNTERPARTY_KINDS


def _credit_code(value, name):
    """The unified social credit code, upper-case, with a valid check character (GB 32100-2015)."""
    return check_uscc(value, field=name)


class CounterpartyFields(Schema):
    """A counterparty (对手方), field by field, in the order of the form."""

    name = Text(120, required=True, label=_l("Name (Chinese)"))
    name_en = Text(160, label=_l("Name (English)"))
    kind = Choice(COUNTERPARTY_KINDS, required=True, plain=True, label=_l("Kind"),
                  unknown=_l("Unknown counterparty kind."))
    credit_code = Text(18, label=_l("Unified social credit code"), normalise=_credit_code)
    website = Text(200, label=_l("Website"), checks=[URL()])
    description = Text(5000, label=_l("Profile"), multiline=True)


class ContactFields(Schema):
    """A person the union talks to at a counterparty (a contact, never an account)."""

    name = Text(120, required=True, label=_l("Contact name"))
    title = Text(120, label=_l("Position"))
    email = Email(200, label=_l("E-mail"))
    phone = Text(40, label=_l("Phone"))


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
