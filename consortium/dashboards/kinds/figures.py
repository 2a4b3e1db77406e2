"""Key figures (tiles): members, cities covered, entries, live replications,
promotable solutions. Also stored with every publication, for comparing versions."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.catalog import queries as catalog
from consortium.members import queries as members
from consortium.scenarios import queries as scenarios

from ..panels import PanelKind, as_date, register

LABELS = {
    "members": _l("Member organisations"),
    "cities": _l("Cities covered"),
    "entries": _l("Entries on the resource map"),
    "live": _l("Live replications"),
    "promotable": _l("Promotable solutions"),
}


def collect(ctx, filters) -> dict:
    province, until = filters.get("province"), as_date(filters.get("date_to"))
    return {
        "members": members.count_members(province=province, joined_to=until),
        "cities": members.count_cities_covered(province=province, joined_to=until),
        "entries": ctx.once(("entries", province), lambda: catalog.count_entries(ctx.actor, province=province)),
        "live": scenarios.count_live_replications(province=province),
        "promotable": scenarios.count_promotable(),
    }


def table(data, locale):
    return [_("Figure"), _("Value")], [[str(LABELS[k]), data.get(k)] for k in LABELS if k in data]


register(PanelKind("key_figures", _l("Key figures (tiles)"), collect, table, None,
                   filters=("province", "date_to"), order=10,
                   description=_l("Members, cities covered, entries, live replications, promotable solutions. "
                                  "The end date counts the members who had joined by then; the other figures "
                                  "are those at publishing.")))
