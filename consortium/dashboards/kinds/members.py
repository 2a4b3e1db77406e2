"""Membership growth over time (by kind) and members by province."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.charts import widen_count_axis
from consortium.core.months import months_between
from consortium.members import queries
from consortium.members.constants import MEMBER_KINDS

from .. import charts
from ..narrow import NARROWING, member_ids
from ..panels import PanelKind, as_date, register

KIND_COLOURS = {"data_group": "#1e3a8a", "data_merchant": "#f59e0b", "research_institute": "#14b8a6",
                "other": "#9ca3af"}
# The 2025 source report's figures, shown beside the portal's own count.
SOURCE_FIGURES = {"founding_month": "2025-04", "founding_groups": 24, "later_groups": 22, "later_merchants": 17}


def collect_growth(ctx, filters):
    rows = queries.growth_by_month(province=filters.get("province"), joined_from=as_date(filters.get("date_from")),
                                   joined_to=as_date(filters.get("date_to")),
                                   ids=member_ids(ctx, filters, province=False))
    months = months_between(rows[0][0], rows[-1][0]) if rows else []
    series = {k: [0] * len(months) for k in MEMBER_KINDS}
    index = {m: i for i, m in enumerate(months)}
    for month, kind, n in rows:
        series.setdefault(kind, [0] * len(months))[index[month]] += n
    return {"months": months, "by_kind": {k: v for k, v in series.items() if any(v)}, "source": SOURCE_FIGURES}


def figure_growth(data, locale):
    months, by_kind = data["months"], data["by_kind"]
    cumulative, total = [], 0
    for i in range(len(months)):
        total += sum(v[i] for v in by_kind.values())
        cumulative.append(total)
    names = {k: MEMBER_KINDS.label(k, locale) for k in by_kind}
    fig = charts.stacked_months(months, by_kind, names, KIND_COLOURS, ytitle=_("Members"),
                                cumulative=cumulative)
    src = data.get("source") or {}
    if src:
        full = src["founding_groups"] + src["later_groups"] + src["later_merchants"]
        fig["layout"]["shapes"] = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
                                    "line": {"dash": "dot", "color": "#ef4444", "width": 1}}
                                   for y in (src["founding_groups"], full)]
        fig["layout"]["annotations"] = [
            {"xref": "paper", "x": 0.99, "xanchor": "right", "yref": "y", "y": src["founding_groups"], "yanchor": "bottom",
             "showarrow": False, "font": {"color": "#b91c1c", "size": 11},
             "text": _("Source: %(n)d founding data groups (%(month)s)", n=src["founding_groups"],
                       month=src["founding_month"])},
            {"xref": "paper", "x": 0.99, "xanchor": "right", "yref": "y", "y": full, "yanchor": "bottom",
             "showarrow": False, "font": {"color": "#b91c1c", "size": 11},
             "text": _("Source: +%(groups)d data groups and +%(merchants)d scenario-group members later (%(total)d)",
                       groups=src["later_groups"], merchants=src["later_merchants"], total=full)}]
        fig["layout"]["yaxis"] = widen_count_axis(fig["layout"]["yaxis"], max(full, cumulative[-1] if cumulative else 0))
    return fig


def table_growth(data, locale):
    kinds = list(data["by_kind"])
    headers = [_("Month")] + [MEMBER_KINDS.label(k, locale) for k in kinds] + [_("Cumulative")]
    rows, total = [], 0
    for i, month in enumerate(data["months"]):
        new = [data["by_kind"][k][i] for k in kinds]
        total += sum(new)
        rows.append([month, *new, total])
    return headers, rows


def collect_provinces(ctx, filters):
    return {"provinces": queries.growth_by_province(province=filters.get("province"),
                                                    joined_from=as_date(filters.get("date_from")),
                                                    joined_to=as_date(filters.get("date_to")),
                                                    ids=member_ids(ctx, filters, province=False))}


def figure_provinces(data, locale):
    rows = data["provinces"]
    return charts.bars([charts.pick(r, "name", locale) for r in rows], [r["count"] for r in rows],
                       horizontal=True, title=_("Members"))


def table_provinces(data, locale):
    return [_("Province"), _("Members")], [[charts.pick(r, "name", locale), r["count"]] for r in data["provinces"]]


register(PanelKind("membership_growth", _l("Membership growth"), collect_growth, table_growth, figure_growth,
                   filters=NARROWING + ("date_from", "date_to"), order=20,
                   description=_l("New members per month by kind, the cumulative total and the source report's figures. "
                                  "A scenario group counts its members; a domain the members holding an entry of it.")))
register(PanelKind("members_by_province", _l("Members by province"), collect_provinces, table_provinces,
                   figure_provinces, filters=NARROWING + ("date_from", "date_to"), order=25,
                   description=_l("A scenario group counts its members; a domain the members holding an entry of it.")))
