"""Who may compose, publish and read dashboards; and the audience a panel's data
is collected for. One function per question."""
from consortium.auth.permissions import is_secretariat, is_signed_in


def can_manage(actor) -> bool:
    """Compose, preview, publish, unpublish: the secretariat."""
    return is_secretariat(actor)


def can_read_audience(actor, audience: str) -> bool:
    return audience == "public" or is_signed_in(actor)


def can_view_publication(actor, publication) -> bool:
    """An unpublished (hidden) version only for the secretariat; otherwise by audience."""
    if publication.is_hidden:
        return can_manage(actor)
    return can_read_audience(actor, publication.audience)


class MembersAudience:
    """The reader of a members-only dashboard: any signed-in member user, belonging to
    no particular member. Passed as ``actor`` to the other domains' read functions,
    whose own permission rules then decide what it may see (non-public map entries:
    yes; an agreement that only its parties may see: no)."""

    is_authenticated = True
    is_active = True
    is_secretariat = False
    is_anonymous = False
    id = None
    member_id = None
    member = None
    email = "members-audience"


def audience_actor(audience: str):
    """Whom a panel's data is collected for: a visitor (None) for a public dashboard."""
    return MembersAudience() if audience == "members" else None
