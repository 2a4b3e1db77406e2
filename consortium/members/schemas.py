"""The JSON shape of a member (marshmallow): dumped by /api/v1/members and described
in /api/v1/openapi.json. ``users`` appear only when the caller may see the member's
accounts (``MemberOut(with_users=True)``)."""
from marshmallow import Schema, fields, post_dump

from consortium.geo.schemas import CityOut


class MemberUserOut(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    enabled = fields.Boolean(attribute="is_enabled", required=True)


class MemberOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    joined_on = fields.Date(required=True)
    city = fields.Nested(CityOut, required=True)
    description = fields.String(required=True)
    website = fields.String(required=True)
    users = fields.Method("_users", metadata={
        "type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
            "enabled": {"type": "boolean"}}},
        "description": "the member's accounts, for its own users and the secretariat only"})

    def __init__(self, *args, with_users=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_users = with_users

    def _users(self, member):
        return MemberUserOut(many=True).dump(member.users) if self.with_users else None

    @post_dump
    def _without_users(self, data, **kwargs):
        if not self.with_users:
            data.pop("users", None)
        return data


class MemberPage(Schema):
    items = fields.List(fields.Nested(MemberOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
