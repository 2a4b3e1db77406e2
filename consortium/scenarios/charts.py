"""Plotly figures of the scenarios domain, built as plain dicts from service
data (no plotly.graph_objects: it validates every trace and is slow) and
rendered through templates/macros/charts.html; plotly.min.js is served
locally as a static file (a partial bundle vendored under static/vendor/plotly)."""

from flask_babel import gettext as _

from consortium.core.charts import count_axis
from consortium.core.months import months_between

from .constants import SIDE_STAGES, STAGE_COLOURS, STAGE_LINE, STAGES


def _layout(**extra):
    layout = {"margin": {"l": 120, "r": 20, "t": 20, "b": 40}, "height": 320,
              "font": {"family": "system-ui, 'Noto Sans CJK SC', sans-serif"},
              "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}
    layout.update(extra)
    return layout


def funnel(data, locale: str) -> dict:
    """A real funnel (``queries.Funnel``): replications that reached at least each stage of
    the main line. 停滞 and 退出 are not stages of the line and are shown beside it (table)."""
    stages = list(STAGE_LINE)
    return {"data": [{"type": "funnel", "y": [STAGES.label(s, locale) for s in stages],
                      "x": [data.reached.get(s, 0) for s in stages], "textinfo": "value+percent initial",
                      "hovertemplate": "%{y}: %{x}<extra></extra>",
                      "connector": {"line": {"width": 0}, "fillcolor": "#e9eef5"},
                      "marker": {"color": [STAGE_COLOURS[s] for s in stages]}}],
            "layout": _layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                              yaxis={"automargin": True})}


def timeline(points: list, locale: str) -> dict:
    """Stage changes per month, stacked by the stage reached; months without changes kept."""
    found = sorted({m for m, _s, _n in points})
    months = months_between(found[0], found[-1]) if found else []
    totals = {}
    for m, _s, n in points:
        totals[m] = totals.get(m, 0) + n
    top = max(totals.values(), default=0)
    data = []
    for stage in list(STAGE_LINE) + list(SIDE_STAGES):
        by_month = {m: n for m, s, n in points if s == stage}
        if not by_month:
            continue
        data.append({"type": "bar", "name": STAGES.label(stage, locale), "x": months,
                     "y": [by_month.get(m, 0) for m in months], "marker": {"color": STAGE_COLOURS[stage]},
                     "hovertemplate": "%{x} · " + STAGES.label(stage, locale) + ": %{y}<extra></extra>"})
    yaxis = count_axis(top, title={"text": _("Stage changes")}, automargin=True)
    return {"data": data, "layout": _layout(
        barmode="stack", height=340, margin={"l": 50, "r": 30, "t": 50, "b": 20},
        xaxis={"type": "category", "title": {"text": _("Month")}, "tickangle": -45, "automargin": True},
        yaxis=yaxis,
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})}
