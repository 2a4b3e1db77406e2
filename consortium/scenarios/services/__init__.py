"""The rules of scenario groups, memberships, seed scenarios, replications and
invitations, one module per aggregate. Every function takes an explicit ``actor``,
flushes, and raises a domain exception; the caller commits.

Other domains and scripts may keep reading ``services.X``: the public names are
re-exported here. Code inside the scenarios package imports from the submodule."""
from .common import list_active_members, notify_leads
from .groups import GROUP_CODE, create_group, get_group_by_code, list_groups, update_group
from .invitations import (accept_invitation, decline_invitation, get_invitation, invitations_for_member,
                          invite_city, list_invitations, pending_invitation)
from .memberships import decide_join, get_membership, list_group_members, membership_of, remove_member, request_join
from .replications import (add_progress_note, change_stage, get_replication, is_backwards,
                           last_line_stage, list_events, list_replications, promotable_scenarios, replication_of,
                           stage_counts, start_replication, update_replication, withdraw_replication)
from .scenarios import (create_scenario, get_scenario, list_scenarios, parse_needs, update_scenario,
                        visible_resources)

__all__ = [
    "GROUP_CODE", "accept_invitation", "add_progress_note", "change_stage", "create_group",
    "create_scenario", "decide_join", "decline_invitation", "get_group_by_code", "get_invitation",
    "get_membership", "get_replication", "get_scenario", "invitations_for_member", "invite_city",
    "is_backwards", "last_line_stage", "list_active_members", "list_events", "list_group_members",
    "list_groups", "list_invitations", "list_replications", "list_scenarios", "membership_of",
    "notify_leads", "parse_needs", "pending_invitation", "promotable_scenarios",
    "remove_member", "replication_of", "request_join", "stage_counts", "start_replication",
    "update_group", "update_replication", "update_scenario", "visible_resources", "withdraw_replication",
]
