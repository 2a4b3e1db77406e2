"""Plotly figures of the resource map, built from ``coverage`` data as plain
dicts and rendered by ``templates/macros/charts.html`` (one macro, one script:
static/js/charts.js). Points carry the URL to open on click in ``customdata``."""
from urllib.parse import urlencode

from flask_babel import gettext as _

from consortium.geo.maps import MapPoint, integer_steps
from consortium.geo.maps import china_map as standard_map

from .constants import DOMAINS, label

PALETTE = [[0, "#dbeafe"], [0.5, "#3b82f6"], [1, "#1e3a8a"]]
STEP_BLUES = ["#dbeafe", "#bfdbfe", "#93c5fd", "#60a5fa", "#3b82f6", "#1d4ed8", "#1e3a8a"]
GAP_SCALE = [[0, "#fff1f2"], [1e-9, "#dbeafe"], [0.5, "#3b82f6"], [1, "#1e3a8a"]]


def _url(path: str, **args) -> str:
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return path + ("?" + urlencode(args) if args else "")


def china_map(city_counts, locale: str, filters: dict) -> dict:
    """The standard map of China: provinces filled by their number of entries, cities sized
    by theirs (consortium.geo.maps)."""
    per_province: dict[str, int] = {}
    for c in city_counts:
        code = c.city.province.code
        per_province[code] = per_province.get(code, 0) + c.count
    points = [MapPoint(c.city.longitude, c.city.latitude, c.city.display_name(locale), c.count,
                       url=_url("/resources/", **{**filters, "city": c.city.adcode}),
                       hover=f"{c.city.display_name(locale)} · {c.city.province.display_name(locale)}<br>"
                             + _("%(n)d entries", n=c.count)) for c in city_counts]
    province_urls = {code: _url("/resources/", **{**filters, "province": code, "city": None}) for code in per_province}
    return standard_map(province_values=per_province, points=points, locale=locale,
                        province_title=_("Entries per province"), point_title=_("Entries per city"),
                        province_urls=province_urls)


def coverage_heatmap(matrix, locale: str, filters: dict) -> dict:
    """City × domain counts, the number written in each cell; integer colour steps (0, the
    gaps, in light red); a click opens the entries of that city and domain."""
    x = [label(DOMAINS, d, locale) for d in matrix.domains]
    y = [f"{c.display_name(locale)}（{c.province.display_name(locale)}）" for c in matrix.cities]
    counts = [[matrix.count(c, d) for d in matrix.domains] for c in matrix.cities]
    bins = integer_steps(max((v for row in counts for v in row), default=0), count=6)
    z = [[0 if not v else next(i + 1 for i, (lo, hi) in enumerate(bins) if lo <= v <= hi) for v in row]
         for row in counts]
    n = len(bins)
    colours = ["#fde2e4"] + [STEP_BLUES[round(i * (len(STEP_BLUES) - 1) / max(1, n - 1))] for i in range(n)]
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / len(colours), colour], [(i + 1) / len(colours), colour]]
    urls = [[_url("/resources/", **{**filters, "city": c.adcode, "domain": d}) for d in matrix.domains]
            for c in matrix.cities]
    trace = {"type": "heatmap", "x": x, "y": y, "z": z, "zmin": -0.5, "zmax": n + 0.5, "customdata": urls,
             "text": counts, "texttemplate": "%{text}", "textfont": {"size": 12}, "colorscale": scale,
             "xgap": 2, "ygap": 2, "hovertemplate": "%{y} · %{x}: %{text}<extra></extra>",
             "colorbar": {"title": {"text": _("Entries"), "side": "top"}, "thickness": 12,
                          "tickvals": list(range(n + 1)),
                          "ticktext": ["0"] + [f"{lo}" if lo == hi else f"{lo}–{hi}" for lo, hi in bins]}}
    height = max(260, 120 + 30 * len(y))
    layout = {"margin": {"l": 160, "r": 10, "t": 10, "b": 90}, "height": height,
              "yaxis": {"autorange": "reversed", "automargin": True},
              "xaxis": {"side": "bottom", "tickangle": -30, "automargin": True}}
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
