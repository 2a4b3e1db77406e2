"""An account's and an API token's one definition (see ``consortium.core.entity``): the
services clean with them and the forms are generated from them. A password is not a field of
the account (only its hash is kept): the forms add it."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_dump

from consortium.core.entity import Choice, Day, Email, Text
from consortium.core.naming import named
from consortium.core.vocab import Term, Vocabulary

from .models import ROLE_MEMBER, ROLE_SECRETARIAT

ROLES = Vocabulary("roles", [Term(ROLE_MEMBER, "成员用户", _l("Member user")),
                             Term(ROLE_SECRETARIAT, "秘书处", _l("Secretariat"))])


class UserFields(Schema):
    email = Email(200, required=True, label=_l("E-mail"))
    name = Text(100, label=_l("Name"))
    role = Choice(ROLES, required=True, plain=True, label=_l("Role"), unknown=_l("Unknown role."))


class TokenFields(Schema):
    name = Text(100, required=True, label=_l("Token name"))
    expires_on = Day(label=_l("Expires on"),
                     help=_l("Optional: without a date the token expires after the default lifetime."))


class MeOut(Schema):
    """The caller's account, from ``{"user": …, "facts": {…}}``."""
    id = fields.Integer(attribute="user.id", required=True)
    email = fields.String(attribute="user.email", required=True)
    name = fields.String(attribute="user.name", required=True)
    role = fields.String(attribute="user.role", required=True, metadata={"enum": list(ROLES)})
    member = fields.Function(lambda me: me["user"].member.code if me["user"].member else None, required=True,
                             metadata={"type": ["string", "null"],
                                       "description": "the member's code (none for the secretariat)"})
    member_name = fields.Function(lambda me: named(me["user"].member) if me["user"].member else None,
                                  required=True, metadata={"type": ["string", "null"],
                                                           "description": "the member's name in the reader's language (the English name on English requests where the data has one)"})

    class Meta:
        description = ("The caller's account. Other keys are facts other domains know about the user, "
                       "e.g. leads_groups: the codes of the scenario groups the user leads.")

    @post_dump(pass_original=True)
    def _facts(self, data, original, **kwargs):
        return {**data, **original["facts"]}
