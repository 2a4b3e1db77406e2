"""A member organisation's definition (``MemberFields``), made from its model, whose columns
declare every field the secretariat edits with its label and help (the limit is the column's,
the vocabulary named there). The services' rules, the member form, the JSON answer of
/api/v1/members and its OpenAPI description (``MemberOut``) are derived from it (see
``consortium.core.entity``). Adding a field: the model, a migration and the translations.

``users`` appear in the JSON only when the caller may see the member's accounts."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from consortium.core.api import ListWhen, Page, PageQuery, QueryDay, one_of
from consortium.core.entity import Choice, definition, output_schema
from consortium.geo.schemas import CityOut

from .constants import MEMBER_KINDS, MEMBER_STATUSES
from .models import Member

MemberFields = definition(Member, "MemberFields")  # 成员单位, in the order of the form


# Defined fields the JSON answer does not carry (it never did: adding them would change the answer).
NOT_IN_JSON = ("level",)


class MemberUserOut(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    enabled = fields.Boolean(attribute="is_enabled", required=True)


class MemberExtraOut(Schema):
    """What a member's JSON has beyond its defined fields."""
    status = Choice(MEMBER_STATUSES, plain=True, label=_l("Status")).out_field()
    city = fields.Nested(CityOut, required=True)


class MemberOut(output_schema(MemberFields, "_MemberOut", {**MemberExtraOut._declared_fields})):
    """A member's JSON shape: its defined fields (its level aside), status and city, and its
    accounts when the view says the caller may see them (``answer_context()["with_users"]``)."""
    users = ListWhen(fields.Nested(MemberUserOut), "with_users", metadata={
        "description": "the member's accounts, for its own users and the secretariat only"})

    class Meta:
        exclude = NOT_IN_JSON


class MemberPage(Page):
    items = fields.List(fields.Nested(MemberOut), required=True)


class MemberQuery(PageQuery):
    province = fields.String(metadata={"description": "a province's code, e.g. 33"})
    kind = one_of(MEMBER_KINDS)
    joined_from = QueryDay(metadata={"description": "joined on or after (YYYY-MM-DD)"})
    joined_to = QueryDay(metadata={"description": "joined on or before (YYYY-MM-DD)"})
    q = fields.String(metadata={"description": "part of the Chinese or English name"})
    status = one_of(("active", "all"), metadata={"description": "all: suspended members too (the secretariat)"})
