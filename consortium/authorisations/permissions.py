"""Who may read and write authorisation applications: the same people as the replication."""
from consortium.scenarios import permissions as scenario_permissions


def can_view(actor, replication) -> bool:
    return scenario_permissions.can_read_replications(actor)


def can_write(actor, replication) -> bool:
    """Submit, record the authority's decision, withdraw: the replicating member, the lead, the secretariat."""
    return scenario_permissions.can_write_replication(actor, replication)
