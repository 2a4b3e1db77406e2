"""How the auth domain's audit rows read."""
from flask_babel import lazy_gettext as _l

from consortium.audit.labels import register_model, vocabulary


def register() -> None:
    roles = {"member": _l("Member user"), "secretariat": _l("Secretariat")}
    register_model("User", _l("Account"), fields={
        "id": _l("ID"), "email": _l("E-mail"), "name": _l("Name"), "role": _l("Role"), "member_id": _l("Member"),
        "is_enabled": _l("Enabled"), "locale": _l("Language"), "created_at": _l("Created at"),
        "last_login_at": _l("Last sign-in"), "password_hash": _l("Password")},
        values={"role": vocabulary(roles)})  # member_id reads as a name: added by the members domain
    register_model("ApiToken", _l("API token"), fields={
        "id": _l("ID"), "user_id": _l("Account"), "name": _l("Name"), "token_hash": _l("Token"),
        "created_at": _l("Created at"), "revoked_at": _l("Revoked at")})
