"""What a restore does with credentials (``flask restore``; docs/operations.md).

A backup holds sign-in sessions, API tokens and password hashes as they were when it was
written. Restored as they are, a session ended, a token revoked or a password changed after
the backup (perhaps because it leaked) would work again. So a restore

- ends every sign-in session: everybody signs in again;
- keeps a token usable only if it is usable both in the backup and in the database being
  replaced: a token revoked there stays revoked (with its revocation time), and a token the
  replaced database no longer holds — or never held, as when restoring into a new, empty
  database — is revoked at the restore's time (its holder creates a new one on the account page);
- keeps a password changed, or an account disabled, after the backup: for an account present
  in both (same id and e-mail) the replaced database's password hash and disabled state win.

Nothing else of the backup is changed."""
from sqlalchemy import delete, select

from consortium.core.backup import replacing
from consortium.core.clock import utcnow
from consortium.extensions import db

from .models import ApiToken, User, UserSession


def init_app(app) -> None:
    replacing.connect(_read_credentials, sender=app, weak=False)


def _read_credentials(app):
    """Before the rows are replaced: what the database knows now about tokens and accounts."""
    tokens = {h: (revoked_at, expires_at) for h, revoked_at, expires_at in db.session.execute(
        select(ApiToken.token_hash, ApiToken.revoked_at, ApiToken.expires_at))}
    accounts = {(uid, email): (password_hash, enabled) for uid, email, password_hash, enabled in db.session.execute(
        select(User.id, User.email, User.password_hash, User.is_enabled))}
    return lambda: _carry_over(tokens, accounts)


def _carry_over(tokens: dict, accounts: dict) -> str:
    now = utcnow()
    sessions = db.session.execute(delete(UserSession)).rowcount
    revoked = 0
    for token in db.session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_(None))):
        if token.token_hash not in tokens:
            token.revoked_at = now
        elif tokens[token.token_hash][0] is not None:
            token.revoked_at = tokens[token.token_hash][0]
        else:
            continue
        revoked += 1
    kept = 0
    for user in db.session.scalars(select(User)):  # through the session: the audit trail records it
        newer = accounts.get((user.id, user.email))
        if newer is None:
            continue
        password_hash, enabled = newer
        if user.password_hash != password_hash or (user.is_enabled and not enabled):
            user.password_hash = password_hash
            user.is_enabled = user.is_enabled and enabled
            kept += 1
    return (f"credentials: {sessions} sign-in sessions ended, {revoked} API tokens revoked "
            f"(revoked or unknown in the replaced database), {kept} accounts keep a password or "
            f"disabled state newer than the backup")
