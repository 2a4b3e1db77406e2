"""Plotly figures of the resource map, built from ``coverage`` data as plain
dicts and rendered by ``templates/macros/charts.html`` (one macro, one script:
static/js/charts.js). Points carry the URL to open on click in ``customdata``."""
import math
from urllib.parse import urlencode

from flask_babel import gettext as _

from .constants import DOMAINS, label

PALETTE = [[0, "#dbeafe"], [0.5, "#3b82f6"], [1, "#1e3a8a"]]
GAP_SCALE = [[0, "#fff1f2"], [1e-9, "#dbeafe"], [0.5, "#3b82f6"], [1, "#1e3a8a"]]


def _url(path: str, **args) -> str:
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return path + ("?" + urlencode(args) if args else "")


def china_map(city_counts, locale: str, filters: dict) -> dict:
    """Markers at city coordinates, sized and coloured by the number of entries."""
    biggest = max((c.count for c in city_counts), default=1)
    trace = {
        "type": "scattergeo", "mode": "markers",
        "lon": [c.city.longitude for c in city_counts], "lat": [c.city.latitude for c in city_counts],
        "text": [f"{c.city.display_name(locale)} · {c.city.province.display_name(locale)}<br>"
                 + _("%(n)d entries", n=c.count) for c in city_counts],
        "hoverinfo": "text",
        "customdata": [_url("/resources/", **{**filters, "city": c.city.adcode}) for c in city_counts],
        "marker": {"size": [8 + 30 * math.sqrt(c.count / biggest) for c in city_counts],
                   "color": [c.count for c in city_counts], "colorscale": PALETTE, "cmin": 0,
                   "cmax": biggest, "showscale": True, "line": {"width": 0.5, "color": "#1e3a8a"},
                   "colorbar": {"title": {"text": _("Entries")}, "thickness": 12}, "opacity": 0.85},
    }
    layout = {
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": 560, "dragmode": "pan",
        "geo": {"scope": "asia", "resolution": 50, "projection": {"type": "mercator"},
                "lonaxis": {"range": [73, 136]}, "lataxis": {"range": [17, 54]},
                "showland": True, "landcolor": "#f3f4f6", "showocean": True, "oceancolor": "#eef6fb",
                "showcountries": False, "showcoastlines": True, "coastlinecolor": "#9ca3af",
                "showlakes": True, "lakecolor": "#eef6fb", "showframe": False, "bgcolor": "rgba(0,0,0,0)"},
    }
    return {"data": [trace], "layout": layout}


def coverage_heatmap(matrix, locale: str, filters: dict) -> dict:
    """City × domain counts; empty cells (gaps) stand out in a light red."""
    x = [label(DOMAINS, d, locale) for d in matrix.domains]
    y = [f"{c.display_name(locale)}（{c.province.display_name(locale)}）" for c in matrix.cities]
    z = [[matrix.count(c, d) for d in matrix.domains] for c in matrix.cities]
    urls = [[_url("/resources/", **{**filters, "city": c.adcode, "domain": d}) for d in matrix.domains]
            for c in matrix.cities]
    trace = {"type": "heatmap", "x": x, "y": y, "z": z, "customdata": urls, "colorscale": GAP_SCALE,
             "xgap": 2, "ygap": 2, "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
             "colorbar": {"title": {"text": _("Entries")}, "thickness": 12}}
    height = max(260, 120 + 28 * len(y))
    layout = {"margin": {"l": 160, "r": 10, "t": 10, "b": 90}, "height": height,
              "yaxis": {"autorange": "reversed", "automargin": True}, "xaxis": {"side": "bottom", "tickangle": -30}}
    return {"data": [trace], "layout": layout}


def who_has_bars(ranking, domains: list[str], locale: str, modes: list[str]) -> dict:
    """One stacked bar per city: matching entries in each chosen domain."""
    cities = [c.city for c in ranking]
    names = [c.display_name(locale) for c in cities]
    mode = modes[0] if len(modes) == 1 else None
    data = [{"type": "bar", "name": label(DOMAINS, d, locale), "x": names,
             "y": [r.per_domain.get(d, 0) for r in ranking],
             "customdata": [_url("/resources/", city=c.adcode, domain=d, mode=mode) for c in cities]}
            for d in domains]
    layout = {"barmode": "stack", "height": 360, "margin": {"l": 40, "r": 10, "t": 10, "b": 60},
              "legend": {"orientation": "h"}, "yaxis": {"title": {"text": _("Matching entries")}}}
    return {"data": data, "layout": layout}
