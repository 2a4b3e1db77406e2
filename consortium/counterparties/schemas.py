"""The JSON shape of a counterparty (marshmallow), dumped by /api/v1/counterparties and
described in /api/v1/openapi.json. ``contacts`` appear only for those who may see them
(``CounterpartyOut(with_contacts=True)``); visitors never get them."""
from marshmallow import Schema, fields, post_dump


class ContactOut(Schema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    email = fields.String(required=True)
    phone = fields.String(required=True)


class CounterpartyOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    kind = fields.String(required=True)
    credit_code = fields.String(required=True)
    website = fields.String(required=True)
    description = fields.String(required=True)
    contacts = fields.Method("_contacts", metadata={
        "type": "array", "description": "for signed-in members and the secretariat only",
        "items": {"type": "object", "properties": {"name": {"type": "string"}, "title": {"type": "string"},
                                                   "email": {"type": "string"}, "phone": {"type": "string"}}}})

    def __init__(self, *args, with_contacts=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_contacts = with_contacts

    def _contacts(self, counterparty):
        return ContactOut(many=True).dump(counterparty.contacts) if self.with_contacts else None

    @post_dump
    def _without_contacts(self, data, **kwargs):
        if not self.with_contacts:
            data.pop("contacts", None)
        return data


class CounterpartyList(Schema):
    items = fields.List(fields.Nested(CounterpartyOut), required=True)
