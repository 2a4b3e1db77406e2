"""Co-operation agreements signed over time, among those the audience may see."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.agreements import queries

from .. import charts
from ..panels import PanelKind, as_date, register


def collect(ctx, filters):
    rows = queries.agreements_signed_by_month(ctx.actor, since=as_date(filters.get("date_from")),
                                              until=as_date(filters.get("date_to")))
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
                   filters=("date_from", "date_to"), order=50))
