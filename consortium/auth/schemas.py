"""An account's and an API token's one definition (see ``consortium.core.entity``): the
services clean with them and the forms are generated from them. A password is not a field of
the account (only its hash is kept): the forms add it."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from consortium.core.entity import Choice, Day, Email, Text
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
