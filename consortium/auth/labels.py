"""How the auth domain's audit rows read (the account's and the token's definitions, plus the
columns the services set)."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import ModelLabels, defined

from .schemas import TokenFields, UserFields


def models(sender, **kwargs):
    fields, values = defined(UserFields)
    yield ModelLabels("User", _l("Account"), fields={
        "id": _l("ID"), **fields, "member_id": _l("Member"), "is_enabled": _l("Enabled"), "locale": _l("Language"),
        "created_at": _l("Created at"), "last_login_at": _l("Last sign-in"), "password_hash": _l("Password")},
        values=values)  # member_id reads as a name: added by the members domain
    fields, values = defined(TokenFields)
    yield ModelLabels("ApiToken", _l("API token"), fields={
        "id": _l("ID"), "user_id": _l("Account"), **fields, "token_hash": _l("Token"), "created_at": _l("Created at"),
        "expires_at": _l("Expires at"), "revoked_at": _l("Revoked at"), "last_used_at": _l("Last used")}, values=values)
