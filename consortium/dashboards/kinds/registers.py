"""The registers: trusted data spaces against the national expectation (100+ by
2028) and data-asset registration mutual recognitions over time."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.charts import widen_count_axis
from consortium.registers import queries
from consortium.registers.constants import SPACE_STATUSES, label

from .. import charts
from ..narrow import NARROWING, group_members
from ..panels import PanelKind, as_date, register


def collect_spaces(ctx, filters):
    return queries.data_space_progress(province=filters.get("province"), domain=filters.get("domain"),
                                       operator_ids=group_members(ctx, filters))


def figure_spaces(data, locale):
    codes = list(data["by_status"])
    fig = charts.bars([label(SPACE_STATUSES, c, locale) for c in codes], [data["by_status"][c] for c in codes],
                      colour="#14b8a6", title=_("Trusted data spaces"))
    fig["layout"]["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                                "y0": data["target"], "y1": data["target"],
                                "line": {"dash": "dot", "color": "#ef4444", "width": 1}}]
    fig["layout"]["annotations"] = [{"xref": "paper", "x": 0.99, "xanchor": "right", "yref": "y", "y": data["target"],
                                     "yanchor": "bottom", "showarrow": False, "font": {"color": "#b91c1c", "size": 11},
                                     "text": _("National expectation: %(n)d+ by %(year)d", n=data["target"],
                                               year=data["target_year"])}]
    fig["layout"]["yaxis"] = widen_count_axis(fig["layout"]["yaxis"],
                                              max(data["target"], max(data["by_status"].values(), default=0)))
    return fig


def table_spaces(data, locale):
    rows = [[label(SPACE_STATUSES, c, locale), n] for c, n in data["by_status"].items()]
    rows += [[_("Counted (running or under construction)"), data["counted"]],
             [_("National expectation by %(year)d", year=data["target_year"]), data["target"]]]
    return [_("Status"), _("Trusted data spaces")], rows


def collect_recognitions(ctx, filters):
    return {"months": queries.recognitions_over_time(until=as_date(filters.get("date_to")),
                                                     province=filters.get("province"),
                                                     operator_ids=group_members(ctx, filters))}


def figure_recognitions(data, locale):
    rows = data["months"]
    months = [r["month"] for r in rows]
    return {"data": [{"type": "scatter", "mode": "lines+markers", "name": _("Agreements in force"), "x": months,
                      "y": [r["agreements"] for r in rows], "line": {"color": "#1e3a8a"}},
                     {"type": "scatter", "mode": "lines+markers", "name": _("Directed recognitions"), "x": months,
                      "y": [r["directed"] for r in rows], "line": {"color": "#f59e0b"}}],
            "layout": charts.layout(xaxis={"type": "category", "title": {"text": _("Month")}},
                                    yaxis=charts.count_axis(max([r["agreements"] for r in rows]
                                                                + [r["directed"] for r in rows], default=0)))}


def table_recognitions(data, locale):
    return ([_("Month"), _("Agreements in force"), _("Mutual"), _("Directed recognitions")],
            [[r["month"], r["agreements"], r["mutual"], r["directed"]] for r in data["months"]])


register(PanelKind("data_spaces", _l("Trusted data spaces against the national target"), collect_spaces,
                   table_spaces, figure_spaces, filters=NARROWING, order=60,
                   description=_l("A province counts the spaces located in it; a domain those serving it; a "
                                  "scenario group those its members operate. The national expectation stays "
                                  "union-wide.")))
register(PanelKind("recognitions", _l("Registration mutual recognitions over time"), collect_recognitions,
                   table_recognitions, figure_recognitions, filters=("province", "group", "date_to"), order=61,
                   description=_l("A province counts the agreements one of whose bodies is in it; a scenario group "
                                  "those one of whose bodies its members operate. A recognition covers every "
                                  "domain, so it is not narrowed to one.")))
