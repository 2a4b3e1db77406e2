"""An account's and an API token's definitions, made from their models' columns (see
``consortium.core.entity``): the services clean with them and the forms are generated from them.
A password is not a field of the account (only its hash is kept): the forms add it. A token's
expiry day is not a column (the model keeps the moment it expires): it is declared here."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_dump

from consortium.core.entity import Day, definition
from consortium.core.naming import named

from .models import ROLES, ApiToken, User

UserFields = definition(User, "UserFields")
TokenFields = definition(ApiToken, "TokenFields", extra={
    "expires_on": Day(label=_l("Expires on"),
                      help=_l("Optional: without a date the token expires after the default lifetime."))})


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
