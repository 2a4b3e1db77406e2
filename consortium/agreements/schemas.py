"""The JSON shapes of co-operation agreements (marshmallow): what a client sends
(parsed by ``core.api.parse_body``: a wrong type or an unknown field is a 400 naming
the field) and what it gets back (``AgreementOut``); both described in
/api/v1/openapi.json. The rules themselves stay in services."""
from marshmallow import Schema, fields, validate

from consortium.core.requests import DB_INT_MAX


class _StrictBoolean(fields.Boolean):
    """true or false only: not 1, "y" or "true"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class _Reference(fields.Field):
    """A member code, a counterparty name or a scenario id: text or a whole number, read as text."""

    default_error_messages = {"invalid": "Not a valid text or whole number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.make_error("invalid")
        return str(value)


def _references(description):
    return fields.List(_Reference(metadata={"type": ["string", "integer"]}), metadata={"description": description})


class AgreementInput(Schema):
    subject = fields.String()
    status = fields.String()
    description = fields.String()
    documents = fields.String(metadata={"description": "one link per line"})
    signed_on = fields.Raw(allow_none=True, metadata={"type": "string", "format": "date",
                                                      "description": "YYYY-MM-DD"})
    is_public = _StrictBoolean()
    members = _references("member codes of the parties")
    counterparties = _references("names of the counterparties that are parties")
    scenario_ids = _references("ids of the scenarios the agreement serves")
    version = fields.Integer(strict=True, validate=validate.Range(min=0, max=DB_INT_MAX),
                             metadata={"description": "the version you read (optimistic locking; "
                                                      "required to change or confirm)"})


class AgreementConfirm(Schema):
    version = fields.Integer(strict=True, validate=validate.Range(min=0, max=DB_INT_MAX),
                             metadata={"description": "the version you read (optimistic locking)"})


class PartyOut(Schema):
    member = fields.Function(lambda p: p.member.code if p.member else None, required=True,
                             metadata={"type": ["string", "null"]})
    counterparty = fields.Function(lambda p: p.counterparty.name if p.counterparty else None, required=True,
                                   metadata={"type": ["string", "null"]})
    name = fields.Function(lambda p: p.party.name if p.party else "", required=True, metadata={"type": "string"})
    confirmed = fields.Boolean(attribute="is_confirmed", required=True)


class AgreementOut(Schema):
    id = fields.Integer(required=True)
    subject = fields.String(required=True)
    description = fields.String(required=True)
    signed_on = fields.Date(allow_none=True, required=True)
    status = fields.String(required=True)
    is_public = fields.Boolean(required=True)
    is_draft = fields.Boolean(required=True)
    documents = fields.List(fields.String(), attribute="document_list", required=True)
    parties = fields.List(fields.Nested(PartyOut), required=True)
    scenario_ids = fields.Function(lambda a: [s.id for s in a.scenarios], required=True,
                                   metadata={"type": "array", "items": {"type": "integer"}})
    version = fields.Integer(required=True)


class AgreementPage(Schema):
    items = fields.List(fields.Nested(AgreementOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
