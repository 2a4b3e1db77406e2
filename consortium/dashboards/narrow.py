"""What a panel narrowed to a group, a domain or a province counts, read from the domains that
know: a scenario group's members (its lead and approved members), the members holding an entry
of a domain that the dashboard's audience may see, the members of a province. One home for these
rules, used by every panel kind that counts (``kinds/``) and written out in docs/dashboards.md."""
from consortium.catalog import queries as catalog
from consortium.members import queries as members
from consortium.scenarios import queries as scenarios

# the filters that narrow what is counted (the dates bound it in time)
NARROWING = ("province", "group", "domain")


def member_ids(ctx, filters, *, province=True, domain=True) -> list[int] | None:
    """The members a panel counts: those of the scenario group, holding a visible entry of the
    domain (for the dashboard's audience: a public dashboard counts public entries only), of the
    province — each filter that is set narrows further; None when none is set (everyone)."""
    chosen = None

    def keep(ids):
        nonlocal chosen
        chosen = set(ids) if chosen is None else chosen & set(ids)
    if filters.get("group"):
        keep(ctx.once(("group-members", filters["group"]), lambda: scenarios.group_member_ids(filters["group"])))
    if domain and filters.get("domain"):
        keep(ctx.once(("domain-members", filters["domain"]),
                      lambda: catalog.member_ids_with_entries(ctx.actor, domain=filters["domain"])))
    if province and filters.get("province"):
        keep(ctx.once(("province-members", filters["province"]),
                      lambda: members.member_ids(province=filters["province"])))
    return None if chosen is None else sorted(chosen)


def group_members(ctx, filters) -> list[int] | None:
    """A scenario group's members, or None when the panel is not narrowed to a group."""
    return member_ids(ctx, filters, province=False, domain=False)


def scenario_ids(filters) -> list[int] | None:
    """The scenarios of the group and/or needing data of the domain; None when neither is set."""
    if not (filters.get("group") or filters.get("domain")):
        return None
    return scenarios.scenario_ids(group=filters.get("group"), domain=filters.get("domain"))
