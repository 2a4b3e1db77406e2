"""Key figures (tiles): members, cities covered, entries, live replications,
promotable solutions. Also stored with every publication, for comparing versions."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.catalog import queries as catalog
from consortium.members import queries as members
from consortium.scenarios import queries as scenarios

from ..narrow import NARROWING, group_members, member_ids
from ..panels import PanelKind, as_date, register

LABELS = {
    "members": _l("Member organisations"),
    "cities": _l("Cities covered"),
    "entries": _l("Entries on the resource map"),
    "live": _l("Live replications"),
    "promotable": _l("Promotable solutions"),
}


def collect(ctx, filters) -> dict:
    """The tiles, narrowed as the panel says (``narrow``): a province (its members, their cities,
    the entries of the province, its live replications, the promotable solutions live there), a
    scenario group (its lead and approved members, their entries, the group's replications and
    promotable solutions), a domain (the members holding an entry of it, those entries, the
    replications and promotable solutions of the scenarios needing data of it)."""
    province, until = filters.get("province"), as_date(filters.get("date_to"))
    group, domain = filters.get("group") or None, filters.get("domain") or None
    ids = member_ids(ctx, filters, province=False)
    entries_of = group_members(ctx, filters)
    return {
        "members": members.count_members(province=province, joined_to=until, ids=ids),
        "cities": members.count_cities_covered(province=province, joined_to=until, ids=ids),
        "entries": ctx.once(("entries", province, group, domain), lambda: catalog.count_entries(
            ctx.actor, province=province, domain=domain, member_ids=entries_of)),
        "live": scenarios.count_live_replications(province=province, group=group, domain=domain),
        "promotable": scenarios.count_promotable(group=group, domain=domain, province=province),
    }


def table(data, locale):
    return [_("Figure"), _("Value")], [[str(LABELS[k]), data.get(k)] for k in LABELS if k in data]


register(PanelKind("key_figures", _l("Key figures (tiles)"), collect, table, None,
                   filters=NARROWING + ("date_to",), order=10,
                   description=_l("Members, cities covered, entries, live replications, promotable solutions. "
                                  "A province narrows every figure to it; a scenario group counts its members, "
                                  "their entries and its own replications; a domain counts the members holding an "
                                  "entry of it, those entries and the replications of the scenarios needing data "
                                  "of it. The end date counts the members who had joined by then; the other "
                                  "figures are those at publishing.")))
