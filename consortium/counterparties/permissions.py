"""Who may do what with counterparties. The register is public; contacts are for
the union's signed-in users; only the secretariat writes."""
from consortium.auth.permissions import is_secretariat, is_signed_in


def can_manage(actor) -> bool:
    return is_secretariat(actor)


def can_view_contacts(actor) -> bool:
    return is_signed_in(actor)
