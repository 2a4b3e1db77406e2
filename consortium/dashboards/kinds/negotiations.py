"""Joint negotiations: how many dossiers stand in each status — counts only, never
a title, a counterparty or a term. A sensitive kind: collected only when the
secretariat ticks it at publishing time."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.negotiations import queries
from consortium.negotiations.constants import STATUSES

from .. import charts
from ..panels import PanelKind, register


def collect(ctx, filters):
    counts = queries.count_dossiers_by_status()
    return {"statuses": [{"code": code, "count": int(counts.get(code, 0))} for code in STATUSES]}


def figure(data, locale):
    rows = data["statuses"]
    return charts.bars([STATUSES.label(r["code"], locale) for r in rows], [r["count"] for r in rows],
                       colour="#64748b", title=_("Negotiations"))


def table(data, locale):
    return [_("Status"), _("Negotiations")], [[STATUSES.label(r["code"], locale), r["count"]]
                                             for r in data["statuses"]]


register(PanelKind("negotiations_by_status", _l("Joint negotiations by status"), collect, table, figure,
                   sensitive=True, order=70,
                   description=_l("Counts by status only. Published only when ticked at publishing time.")))
