"""How passwords are kept: Argon2id through pwdlib (on argon2-cffi), with the parameters OWASP's
Password Storage Cheat Sheet gives as its first choice (19 MiB of memory, 2 passes, 1 lane;
``PASSWORD_ARGON2`` in the configuration). A check costs about 40 ms of one core, where werkzeug's
scrypt (N=2^15, which OWASP rates below its own scrypt minimum of 2^17) cost about 250 ms: eight
members signing in at once no longer hold both cores for two seconds.

Hashes written before (werkzeug's ``scrypt:…`` and ``pbkdf2:…``) are still checked, and replaced
by an Argon2id hash at the account's next successful sign-in, as is an Argon2id hash made with
other parameters (pwdlib's ``verify_and_update``)."""
import functools

from flask import current_app, has_app_context
from pwdlib import PasswordHash
from pwdlib.exceptions import HashVerificationError, UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from werkzeug.security import check_password_hash

# OWASP's Argon2id minimum: m=19 MiB, t=2, p=1.
ARGON2 = {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}


class WerkzeugHashes:
    """pwdlib's hasher protocol for the hashes werkzeug wrote: verified, never written again
    (each needs a rehash), so an account moves to Argon2id when its owner next signs in."""

    @classmethod
    def identify(cls, hash: str | bytes) -> bool:
        text = hash.decode() if isinstance(hash, bytes) else hash
        return text.startswith(("scrypt:", "pbkdf2:"))

    def hash(self, password, *, salt=None) -> str:
        raise NotImplementedError("werkzeug hashes are only verified; new ones are Argon2id")

    def verify(self, password, hash) -> bool:
        text = hash.decode() if isinstance(hash, bytes) else hash
        return check_password_hash(text, password if isinstance(password, str) else password.decode())

    def check_needs_rehash(self, hash) -> bool:
        return True


@functools.lru_cache(maxsize=4)
def _hasher(memory_cost: int, time_cost: int, parallelism: int) -> PasswordHash:
    return PasswordHash((Argon2Hasher(memory_cost=memory_cost, time_cost=time_cost, parallelism=parallelism),
                         WerkzeugHashes()))


def _current() -> PasswordHash:
    params = current_app.config.get("PASSWORD_ARGON2", ARGON2) if has_app_context() else ARGON2
    return _hasher(**params)


def hash_password(password: str) -> str:
    return _current().hash(password)


def verify(password: str, stored: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches ``stored``, and the hash to keep instead when ``stored`` was
    made by an older scheme or with other parameters (None when it is current). An empty or
    unknown hash never matches."""
    if not stored:
        _current().hash(password or "")  # the same cost as a real check
        return False, None
    try:
        return _current().verify_and_update(password, stored)
    except (UnknownHashError, HashVerificationError, ValueError):  # not a hash we know, or damaged
        return False, None
