"""A member organisation's one definition (``MemberFields``): every field the secretariat
edits, with its limit, vocabulary, label and help. The services' rules, the member form, the
JSON answer of /api/v1/members and its OpenAPI description (``MemberOut``) are derived from
it (see ``consortium.core.entity``). Adding a field: this file, the model, a migration and
the translations.

``users`` appear in the JSON only when the caller may see the member's accounts."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from wtforms.validators import URL

from consortium.core.api import ListWhen, Page, PageQuery, QueryDay, one_of
from consortium.core.entity import Choice, Day, Text, output_schema
from consortium.geo.schemas import CityOut

from .constants import MEMBER_KINDS, MEMBER_LEVELS, MEMBER_STATUSES


class MemberFields(Schema):
    """A member organisation (成员单位), field by field, in the order of the form. Its city
    (a choice among the reference cities) and its status (suspension) are not free fields."""

    code = Text(40, required=True, label=_l("Code"),
                help=_l("Chosen by the secretariat, used in addresses and imports: lower-case letters, digits, "
                        "hyphens, e.g. yantai. It cannot be changed later."))
    name = Text(120, required=True, label=_l("Name (Chinese)"))
    name_en = Text(160, label=_l("Name (English)"))
    kind = Choice(MEMBER_KINDS, required=True, plain=True, label=_l("Kind"), unknown=_l("Unknown member kind."))
    level = Choice(MEMBER_LEVELS, required=True, plain=True, label=_l("Level"), unknown=_l("Unknown level."),
                   help=_l("A province-level data group is seated in its provincial capital."))
    joined_on = Day(required=True, label=_l("Joined on"))
    website = Text(200, label=_l("Website"), checks=[URL()])
    description = Text(5000, label=_l("Description"), multiline=True)


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
