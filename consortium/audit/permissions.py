"""Who may read the audit trail."""
from consortium.core.roles import is_secretariat


def can_view_audit_log(actor) -> bool:
    return is_secretariat(actor)
