"""Co-operation agreements signed over time, among those the audience may see."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.agreements import queries

from .. import charts
from ..narrow import NARROWING, member_ids, scenario_ids
from ..panels import PanelKind, as_date, register


def collect(ctx, filters):
    """A group or a domain: the agreements linked to its scenarios (those of the group, those
    needing data of the domain); a province: those with a member of the province as a party."""
    rows = queries.agreements_signed_by_month(ctx.actor, since=as_date(filters.get("date_from")),
                                              until=as_date(filters.get("date_to")),
                                              scenario_ids=scenario_ids(filters),
                                              member_ids=member_ids(ctx, {"province": filters.get("province")}))
    return {"months": [m for m, _n in rows], "signed": [n for _m, n in rows]}


def figure(data, locale):
    return charts.line_months(data["months"], data["signed"], name=_("Agreements signed"))


def table(data, locale):
    total, rows = 0, []
    for m, n in zip(data["months"], data["signed"]):
        total += n
        rows.append([m, n, total])
    return [_("Month"), _("Agreements signed"), _("Cumulative")], rows


register(PanelKind("agreements", _l("Agreements signed over time"), collect, table, figure,
                   filters=NARROWING + ("date_from", "date_to"), order=50,
                   description=_l("A scenario group or a domain counts the agreements linked to its scenarios "
                                  "(those needing data of the domain); a province those with a member of it as a "
                                  "party.")))
