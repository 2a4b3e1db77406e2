"""A co-operation agreement's definition (``AgreementFields``), made from the columns of its
model, where every field its parties write is declared with its label (its limit and type are
the column's, its vocabulary named there). The services' rules, the agreement form, what a
client sends (``AgreementInput``, parsed by the API's framework: a wrong type or an unknown
field is a 400 naming the field) and what it gets back (``AgreementOut``), and their OpenAPI
description, are derived from it (see ``consortium.core.entity``). The parties and the linked
scenarios are references, not free fields. Adding a field: the model, a migration and the
translations."""
from marshmallow import Schema, fields, validate

from consortium.core.api import Page, StrictBoolean
from consortium.core.entity import definition, input_schema, output_schema
from consortium.core.requests import DB_INT_MAX

from .models import Agreement

AgreementFields = definition(Agreement, "AgreementFields")  # 签约合作, in the order of the form


class _Reference(fields.Field):
    """A member code, a counterparty name or a scenario id: text or a whole number, read as text."""

    default_error_messages = {"invalid": "Not a valid text or whole number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.make_error("invalid")
        return str(value)


def _references(description):
    return fields.List(_Reference(metadata={"type": ["string", "integer"]}), metadata={"description": description})


def _version(description):
    return fields.Integer(strict=True, validate=validate.Range(min=0, max=DB_INT_MAX),
                          metadata={"description": description})


# What a client sends to record or change an agreement: the defined fields (none required: the
# services say what is missing) and the references. Stricter than the kernel's kinds read JSON:
# a flag is true or false, never 1 or "y"; a day is read by the services' one date rule
# (core.validation.parse_date: YYYY-MM-DD only, not 20251001 or 2025-W40-3, which marshmallow's
# Date takes).
INPUT_EXTRA = {
    "is_public": StrictBoolean(),
    "signed_on": fields.Raw(allow_none=True, metadata={"type": "string", "format": "date",
                                                       "description": "YYYY-MM-DD"}),
    "members": _references("member codes of the parties"),
    "counterparties": _references("names of the counterparties that are parties"),
    "scenario_ids": _references("ids of the scenarios the agreement serves"),
    "version": _version("the version you read (optimistic locking; required to change or confirm)")}
AgreementInput = input_schema(AgreementFields, "AgreementInput", INPUT_EXTRA)


class AgreementConfirm(Schema):
    version = _version("the version you read (optimistic locking)")


class PartyOut(Schema):
    member = fields.Function(lambda p: p.member.code if p.member else None, required=True,
                             metadata={"type": ["string", "null"]})
    counterparty = fields.Function(lambda p: p.counterparty.name if p.counterparty else None, required=True,
                                   metadata={"type": ["string", "null"]})
    name = fields.Function(lambda p: p.party.name if p.party else "", required=True, metadata={"type": "string"})
    confirmed = fields.Boolean(attribute="is_confirmed", required=True)


class AgreementExtraOut(Schema):
    """What an agreement's JSON has beyond its defined fields; ``documents`` is written as the
    list of its links."""
    id = fields.Integer(required=True)
    is_draft = fields.Boolean(required=True)
    documents = fields.List(fields.String(), attribute="document_list", required=True)
    parties = fields.List(fields.Nested(PartyOut), required=True)
    scenario_ids = fields.Function(lambda a: [s.id for s in a.scenarios], required=True,
                                   metadata={"type": "array", "items": {"type": "integer"}})
    version = fields.Integer(required=True)


AgreementOut = output_schema(AgreementFields, "AgreementOut", dict(AgreementExtraOut._declared_fields))


class AgreementPage(Page):
    items = fields.List(fields.Nested(AgreementOut), required=True)
