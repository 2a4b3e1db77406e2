"""Plotly figures of the dashboards, built as plain dicts from a panel's frozen
data (never from the database), in the reader's language. Drawn by
templates/macros/charts.html and static/js/charts.js like every chart."""

from flask_babel import gettext as _

from consortium.core.charts import count_axis
from consortium.geo.maps import MapPoint
from consortium.geo.maps import china_map as standard_map

FONT = {"family": "system-ui, 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif", "size": 12}
BLUES = ["#1e3a8a", "#3b82f6", "#93c5fd", "#0ea5e9", "#6366f1", "#14b8a6", "#f59e0b", "#ef4444"]


def pick(row: dict, key: str, locale: str) -> str:
    """The English name when reading in English and one is stored, else the Chinese one."""
    return (row.get(key + "_en") if locale == "en" and row.get(key + "_en") else row.get(key)) or ""


def layout(**extra) -> dict:
    base = {"margin": {"l": 50, "r": 20, "t": 30, "b": 50}, "height": 340, "font": FONT,
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
            "legend": {"orientation": "h", "x": 0, "y": 1.08, "yanchor": "bottom"}}
    base.update(extra)
    return base


def _top(*series) -> float:
    return max((v for values in series for v in values if v is not None), default=0)


def bars(labels, values, *, colour="#3b82f6", horizontal=False, title="") -> dict:
    trace = {"type": "bar", "marker": {"color": colour}, "text": values, "textposition": "auto"}
    if horizontal:
        trace.update(x=values, y=labels, orientation="h")
        lay = layout(height=max(220, 60 + 30 * len(labels)), margin={"l": 180, "r": 20, "t": 10, "b": 40},
                     yaxis={"autorange": "reversed", "automargin": True},
                     xaxis=count_axis(_top(values), title={"text": title}))
    else:
        trace.update(x=labels, y=values)
        lay = layout(yaxis=count_axis(_top(values), title={"text": title}), xaxis={"type": "category", "automargin": True})
    return {"data": [trace], "layout": lay}


def stacked_months(months, series: dict, names: dict, colours: dict, *, ytitle="", cumulative=None) -> dict:
    """Stacked bars per month (every month of the span, empty ones included)."""
    data = [{"type": "bar", "name": names[key], "x": months, "y": values,
             "marker": {"color": colours.get(key, "#3b82f6")}}
            for key, values in series.items() if any(values)]
    if cumulative is not None:  # same axis: a month's arrivals never exceed the running total
        data.append({"type": "scatter", "mode": "lines+markers+text", "name": _("Cumulative"), "x": months,
                     "y": cumulative, "text": cumulative, "textposition": "top center",
                     "line": {"color": "#111827", "width": 2}})
    return {"data": data, "layout": layout(barmode="stack", xaxis={"type": "category", "title": {"text": _("Month")}},
                                           yaxis=count_axis(max(_top(cumulative or []), _top(
                                               [sum(v or 0 for v in month) for month in zip(*series.values())])),
                                               title={"text": ytitle}))}


def china_map(cities: list, locale: str) -> dict:
    """The standard map of China (``consortium.geo.maps``): provinces filled by their number of
    entries, cities sized by theirs, from the panel's frozen rows."""
    per_province: dict[str, int] = {}
    for c in cities:
        code = str(c["adcode"])[:2]
        per_province[code] = per_province.get(code, 0) + c["count"]
    points = [MapPoint(c["lon"], c["lat"], pick(c, "city", locale), c["count"],
                       hover=f"{pick(c, 'city', locale)} · {pick(c, 'province', locale)}<br>"
                             + _("%(n)d entries", n=c["count"])) for c in cities]
    return standard_map(province_values=per_province, points=points, locale=locale,
                        province_title=_("Entries per province"), point_title=_("Entries per city"), height=520)


def heatmap(x, y, z) -> dict:
    """A matrix with the number written in every cell; empty cells in light red."""
    trace = {"type": "heatmap", "x": x, "y": y, "z": z, "texttemplate": "%{z}", "xgap": 2, "ygap": 2,
             "colorscale": [[0, "#fff1f2"], [1e-9, "#dbeafe"], [0.5, "#3b82f6"], [1, "#1e3a8a"]],
             "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>", "showscale": False}
    return {"data": [trace], "layout": layout(height=max(240, 110 + 26 * len(y)),
                                              margin={"l": 150, "r": 10, "t": 10, "b": 90},
                                              yaxis={"autorange": "reversed", "automargin": True},
                                              xaxis={"tickangle": -30})}


def funnel(labels, values, colours, side_labels, side_values, side_colours) -> dict:
    data = [{"type": "funnel", "y": labels, "x": values, "textinfo": "value+percent initial",
             "marker": {"color": colours}, "name": _("Reached at least"), "xaxis": "x", "yaxis": "y"},
            {"type": "bar", "orientation": "h", "y": side_labels, "x": side_values, "text": side_values,
             "textposition": "auto", "marker": {"color": side_colours}, "name": _("Apart"),
             "xaxis": "x2", "yaxis": "y2"}]
    return {"data": data, "layout": layout(
        height=360, showlegend=False, margin={"l": 110, "r": 20, "t": 20, "b": 30},
        grid={"rows": 2, "columns": 1, "roworder": "top to bottom"},
        yaxis={"domain": [0.32, 1]}, yaxis2={"domain": [0, 0.22]},
        xaxis={"visible": False}, xaxis2=count_axis(_top(side_values), anchor="y2"))}


def target_bars(names, promotable, targets) -> dict:
    data = [{"type": "bar", "name": _("Promotable solutions"), "x": names, "y": promotable, "text": promotable,
             "textposition": "auto", "marker": {"color": "#198754"}},
            {"type": "bar", "name": _("Target"), "x": names, "y": targets, "text": targets, "textposition": "auto",
             "marker": {"color": "#d1d5db"}}]
    return {"data": data, "layout": layout(barmode="group", xaxis={"type": "category", "automargin": True},
                                           yaxis=count_axis(_top(promotable, targets)))}


def line_months(months, values, *, name, cumulative=True) -> dict:
    total, running = 0, []
    for v in values:
        total += v
        running.append(total)
    data = [{"type": "bar", "name": name, "x": months, "y": values, "marker": {"color": "#93c5fd"}}]
    if cumulative:
        data.append({"type": "scatter", "mode": "lines+markers", "name": _("Cumulative"), "x": months, "y": running,
                     "line": {"color": "#1e3a8a"}})
    return {"data": data, "layout": layout(xaxis={"type": "category", "title": {"text": _("Month")}},
                                           yaxis=count_axis(max(_top(values), _top(running) if cumulative else 0)))}
