"""The two questions about an account that every layer asks (the audit log too)."""


def is_signed_in(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def is_secretariat(actor) -> bool:
    return is_signed_in(actor) and actor.is_secretariat
